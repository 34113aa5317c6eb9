// The tiny embed: <script src=".../loyalty-launcher.js" data-api=... data-customer-id=...
// data-customer-token=... async>. Creates <loyalty-launcher> at once; the panel and the wasm
// core load later (idle time or first hover/focus/click).
import './loader-start.js';
import { DEBUG_FLAG, LoyaltyLauncher } from './loyalty-launcher.js';

try {
  const script = document.currentScript;
  // Everything else (panel, core, wasm, catalogs) comes from beside this script, whichever
  // origin the page has: a classic script from another origin has no base URL of its own for
  // a relative import(), so the panel is imported by this absolute URL.
  if (script?.src) LoyaltyLauncher.baseUrl ??= script.src;
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
  if (DEBUG_FLAG.test(location.search) && !script?.hasAttribute('data-api')) {
    // Diagnostics live in the element; with neither a data-api nor an element there is none.
    const check = () =>
      document.querySelector('loyalty-launcher') ||
      console.warn('loyalty-launcher: no data-api on the script tag and no <loyalty-launcher>');
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', check, { once: true });
    } else check();
  }
} catch (error) {
  // Never break the host page.
  console.error('loyalty-launcher:', error);
}
