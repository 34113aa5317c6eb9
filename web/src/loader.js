// The tiny embed: <script src=".../loyalty-launcher.js" data-api=... data-customer-id=...
// data-customer-token=... async>. Creates <loyalty-launcher> at once; the panel and the wasm
// core load later (idle time or first hover/focus/click).
import './loader-start.js';
import { LoyaltyLauncher } from './loyalty-launcher.js';

try {
  const script = document.currentScript;
  LoyaltyLauncher.define();
  const mount = () => {
    if (
      !script?.hasAttribute('data-api') ||
      document.querySelector('loyalty-launcher[data-loyalty-loader]')
    )
      return;
    const element = document.createElement('loyalty-launcher');
    element.setAttribute('data-loyalty-loader', '');
    // The element's own attributes, as data-* on the script tag (not its request timeout).
    for (const name of LoyaltyLauncher.observedAttributes) {
      if (name === 'timeout') continue;
      const value = script.getAttribute(`data-${name}`);
      if (value !== null) element.setAttribute(name, value);
    }
    document.body.append(element);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
} catch (error) {
  // Never break the host page.
  console.error('loyalty-launcher:', error);
}
