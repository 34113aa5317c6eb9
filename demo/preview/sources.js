// Where the preview gets its inputs: the sample customers, the wasm core, the launcher element
// and (demo only) the admin key demo/start wrote for this run.
import { personas as shopPersonas, sampleProgram } from '/assets/personas.js';

let configPromise = null;

/**
 * DEMO ONLY: this run's admin key for Publish, which demo/start serves at /preview/config.json
 * and nowhere under the storefront's paths. A real merchant page sits behind the merchant's
 * login and publishes through the shop's server; no admin key is ever sent to a browser.
 */
export function previewConfig() {
  configPromise ??= fetch('/preview/config.json').then((response) => {
    if (!response.ok) throw new Error(`no demo preview config (HTTP ${response.status})`);
    return response.json();
  });
  return configPromise;
}

/** The storefront's personas, each able to load its customer document. */
export const personas = shopPersonas.map((persona) => ({
  key: persona.key,
  label: persona.label,
  load: async () => {
    const url = `/programs/${sampleProgram}/customers/${persona.file}.json`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    return response.json();
  },
}));

/** The same wasm core the launcher uses, for validation with JSON paths. */
export async function loadCoreModule() {
  const { default: createLoyaltyCore } = await import('/web/loyalty-core.js');
  return createLoyaltyCore();
}

/** The <loyalty-launcher> (static mode: given documents, fetches nothing) in the device frame. */
export function frameLauncher(frame) {
  return new Promise((resolve) => {
    const ready = () => {
      const launcher = frame.contentWindow?.previewLauncher;
      if (launcher) resolve(launcher);
      return Boolean(launcher);
    };
    if (ready()) return;
    frame.addEventListener('load', function check() {
      if (ready()) return;
      frame.contentWindow.addEventListener('preview-launcher-ready', ready, { once: true });
    });
  });
}

/**
 * A cart to preview what an order earns (the launcher's "This order earns …"), with a line of
 * each sort the order rule's exclusions tell apart: products in collections and a gift card.
 * Prices are minor units in the program's currency, whatever it is.
 */
export const sampleCart = {
  items: [
    { productId: 'sku-mug', quantity: 1, price: 2400, collections: ['kitchen'] },
    { productId: 'sku-candle', quantity: 2, price: 3200, collections: ['candles'] },
    { productId: 'gift-card-25', quantity: 1, price: 2500, kind: 'gift_card' },
  ],
  amounts: { subtotal: 11300, discount: 0, shipping: 695, tax: 0 },
};
