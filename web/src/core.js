// Loads the wasm core once per page and shares it (STYLE.md: one factory, one place).
let corePromise = null;

// The core's operations, called by name (src/wasm/bindings.cpp looks the name up).
const OPERATIONS = [
  'viewJson',
  'validateProgramJson',
  'validateCustomerJson',
  'earnJson',
  'redeemJson',
];
// Longer texts take Embind's string path: the core refuses documents over 5 MB anyway, and a
// buffer of three bytes per UTF-16 unit would be needlessly large for them.
const BUFFERED_MAX_LENGTH = 1 << 20;
let encoder = null;
let decoder = null;

/**
 * The core's text API (JSON text in, JSON text out) over a module from createLoyaltyCore().
 * Texts go in through TextEncoder.encodeInto into buffers the core owns and answers come back
 * through TextDecoder: Embind's own string conversion walks every byte in JavaScript.
 */
export function textCore(module) {
  if (typeof module.inputBuffer !== 'function' || typeof module.callBuffered !== 'function') {
    return module;
  }
  encoder ??= new TextEncoder();
  decoder ??= new TextDecoder();
  // What each input buffer holds: a redraw passes the same program (and often the same
  // customer) again, and those bytes are still there.
  const held = [null, null, null, null];
  const lengths = [0, 0, 0, 0];
  const call = (operation, texts) => {
    if (texts.some((text) => typeof text !== 'string' || text.length > BUFFERED_MAX_LENGTH)) {
      return module[operation](...texts);
    }
    for (let slot = 0; slot < 4; slot += 1) {
      const text = texts[slot] ?? '';
      if (text !== held[slot]) {
        const buffer = module.inputBuffer(slot, text.length * 3);
        lengths[slot] = encoder.encodeInto(text, buffer).written;
        held[slot] = text;
      }
    }
    return decoder.decode(module.callBuffered(operation, ...lengths));
  };
  return Object.fromEntries(OPERATIONS.map((name) => [name, (...texts) => call(name, texts)]));
}

function loadClassicScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.onload = () => resolve(globalThis.createLoyaltyCore);
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.append(script);
  });
}

/** The module factory from `url`: an ES module's default export or the classic global. */
async function loadFactory(url) {
  if (typeof globalThis.createLoyaltyCore === 'function') return globalThis.createLoyaltyCore;
  try {
    const module = await import(/* @vite-ignore */ url);
    const factory = module.default ?? module.createLoyaltyCore;
    if (typeof factory === 'function') return factory;
  } catch {
    /* not an ES module: try it as a classic script */
  }
  return loadClassicScript(url);
}

/**
 * Resolves to the text API {viewJson, validateProgramJson, validateCustomerJson, earnJson,
 * redeemJson}; rejects when the core can't start.
 */
export function loadCore(url) {
  if (!corePromise) {
    corePromise = loadFactory(url)
      .then((factory) => {
        if (typeof factory !== 'function') throw new Error('createLoyaltyCore is missing');
        return factory({ locateFile: (file) => new URL(file, url).href });
      })
      .then((core) => {
        if (typeof core.viewJson !== 'function') throw new Error('viewJson is missing');
        return textCore(core);
      });
    corePromise.catch(() => {
      corePromise = null; // let a retry load it again
    });
  }
  return corePromise;
}
