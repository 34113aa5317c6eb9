// The wasm core in a Web Worker (built to loyalty-core-worker.js): compiling and running the core
// here keeps both off the page's main thread. The page talks to it through web/src/core.js
// (workerCore): {start: coreUrl} once, then {id, operation, texts} answered by {id, text} or
// {id, error}.
import { textCore } from './core.js';
import {
  numberFormat as makeNumberFormat,
  decimalFormat as makeDecimalFormat,
  pluralRules as makePluralRules,
  dateFormat as makeDateFormat,
  moneyFormat as makeMoneyFormat,
} from './intl-formats.js';

let core = null;

/**
 * Makes the Intl formats the panel will make (i18n.js createFormatter) once here, so the
 * browser loads their locale and currency data off the main thread: that data is shared by
 * every thread, and the main thread's first currency format then costs next to nothing.
 */
function warmIntl(tag, currency) {
  const now = new Date();
  makeNumberFormat(tag).format(1234.5);
  makeDecimalFormat(tag).format(1.25);
  makePluralRules(tag).select(1);
  makeDateFormat(tag).format(now);
  if (/^[A-Z]{3}$/.test(currency)) makeMoneyFormat(tag, currency, 2).format(1.5);
  return '';
}

async function start(coreUrl) {
  const module = await import(/* @vite-ignore */ coreUrl);
  const factory = module.default ?? module.createLoyaltyCore;
  if (typeof factory !== 'function') throw new Error('createLoyaltyCore is missing');
  core = textCore(await factory({ locateFile: (file) => new URL(file, coreUrl).href }));
  if (typeof core.viewJson !== 'function') throw new Error('viewJson is missing');
}

self.onmessage = async ({ data }) => {
  if (data?.start) {
    try {
      await start(data.start);
      self.postMessage({ ready: true });
    } catch (error) {
      self.postMessage({ failed: String(error?.message ?? error) });
    }
    return;
  }
  const { id, operation, texts } = data ?? {};
  try {
    if (operation === 'warmIntl') {
      self.postMessage({ id, text: warmIntl(...texts) });
      return;
    }
    if (!core || typeof core[operation] !== 'function') throw new Error(`no ${operation}`);
    self.postMessage({ id, text: core[operation](...texts) });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
};
