// Loads the wasm core once per page and shares it (STYLE.md: one factory, one place).
let corePromise = null;

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

/** Resolves to {viewJson, validateProgramJson, earnJson, redeemJson}; rejects when it can't start. */
export function loadCore(url) {
  if (!corePromise) {
    corePromise = loadFactory(url)
      .then((factory) => {
        if (typeof factory !== 'function') throw new Error('createLoyaltyCore is missing');
        return factory({ locateFile: (file) => new URL(file, url).href });
      })
      .then((core) => {
        if (typeof core.viewJson !== 'function') throw new Error('viewJson is missing');
        return core;
      });
    corePromise.catch(() => {
      corePromise = null; // let a retry load it again
    });
  }
  return corePromise;
}
