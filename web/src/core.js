// Loads the wasm core once per page and shares it (STYLE.md: one factory, one place): on the
// main thread (loadCore, answers at once) or in a Web Worker where the page allows one
// (loadCoreClient, answers as promises).
let corePromise = null;
let clientPromise = null;
// How long a worker may take to load the core before the main thread loads it instead.
const WORKER_START_MS = 15000;

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

/** The main-thread core with the worker's interface: every operation returns a promise. */
const asPromises = (core) =>
  Object.fromEntries(
    OPERATIONS.map((name) => [
      name,
      (...texts) => new Promise((done) => done(core[name](...texts))),
    ]),
  );

// Where a page's CSP refused a blob: worker, 'auto' doesn't ask again for a week: the refusal is
// reported (console, report-uri) each time it is tried.
const BLOB_REFUSED_KEY = 'loyalty:v1:core-worker-refused';
const REMEMBER_REFUSAL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Whether 'auto' tries a blob: worker for launcher files on another origin. A page whose CSP
 * can be seen (a <meta> one, or scripts with a nonce, which only a CSP asks for) is not asked:
 * most such policies refuse blob: workers. A header CSP can't be read, so the first try there
 * is refused once and remembered.
 */
function blobWorkerWorthTrying() {
  if (document.querySelector('meta[http-equiv="content-security-policy" i], script[nonce]')) {
    return false;
  }
  try {
    const refusedAt = Number(localStorage.getItem(BLOB_REFUSED_KEY));
    return !(Date.now() - refusedAt < REMEMBER_REFUSAL_MS);
  } catch {
    return true; // storage blocked: nothing remembered either way
  }
}

/** Remembers (for blobWorkerWorthTrying) a CSP violation that refused a blob: worker. */
function rememberBlobRefusal(event) {
  if (!String(event.blockedURI).startsWith('blob') || !/^worker-src/.test(event.effectiveDirective))
    return;
  try {
    localStorage.setItem(BLOB_REFUSED_KEY, String(Date.now()));
  } catch {
    /* storage blocked: it will be tried again */
  }
}

/**
 * A worker for `workerUrl`: a plain module worker on the page's origin; from another origin only
 * through a blob: module that imports it (a cross-origin worker URL is refused), which a page's
 * CSP may forbid: with `mode` 'blob', or 'auto' where blobWorkerWorthTrying(). Throws when no
 * worker can be made.
 */
function newWorker(workerUrl, mode) {
  if (typeof Worker !== 'function') throw new Error('no Worker');
  if (new URL(workerUrl).origin === location.origin)
    return new Worker(workerUrl, { type: 'module' });
  if (mode !== 'blob' && !(mode === 'auto' && blobWorkerWorthTrying())) {
    throw new Error('the worker is on another origin');
  }
  const source = new Blob([`import ${JSON.stringify(workerUrl)};`], { type: 'text/javascript' });
  const blobUrl = URL.createObjectURL(source);
  // The violation is reported after the worker's error, so the listener outlives the attempt.
  document.addEventListener('securitypolicyviolation', rememberBlobRefusal);
  setTimeout(() => {
    URL.revokeObjectURL(blobUrl);
    document.removeEventListener('securitypolicyviolation', rememberBlobRefusal);
  }, 60000);
  return new Worker(blobUrl, { type: 'module' });
}

/**
 * The core in a worker: resolves to {operation: (...texts) => Promise<text>} once the worker has
 * loaded it; rejects when the worker can't start (no Worker, another origin, a CSP, a failure).
 */
function workerCore(workerUrl, coreUrl, mode) {
  return new Promise((ready, refused) => {
    const worker = newWorker(workerUrl, mode);
    const waiting = new Map(); // id -> {done, failed}
    let nextId = 0;
    let broken = null;
    const fail = (message) => {
      if (broken) return;
      clearTimeout(patience);
      broken = new Error(message);
      worker.terminate();
      for (const { failed } of waiting.values()) failed(broken);
      waiting.clear();
      clientPromise = null; // the next load starts again
      refused(broken);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      fail(`the core's worker failed: ${event.message ?? 'no message'}`);
    };
    worker.onmessageerror = () => fail("the core's worker sent what can't be read");
    // A worker that neither starts nor fails (a blocked import that never settles) must not
    // leave the launcher waiting: the main thread takes over.
    const patience = setTimeout(() => fail("the core's worker did not start"), WORKER_START_MS);
    worker.onmessage = ({ data }) => {
      if (data?.ready) {
        clearTimeout(patience);
        const call =
          (operation) =>
          (...texts) =>
            new Promise((done, failed) => {
              if (broken) throw broken;
              const id = (nextId += 1);
              waiting.set(id, { done, failed });
              worker.postMessage({ id, operation, texts });
            });
        const client = Object.fromEntries(
          [...OPERATIONS, 'warmIntl'].map((name) => [name, call(name)]),
        );
        client.broken = () => Boolean(broken);
        ready(client);
      } else if (data?.failed) {
        fail(data.failed);
      } else {
        const entry = waiting.get(data?.id);
        if (!entry) return;
        waiting.delete(data.id);
        if (typeof data.text === 'string') entry.done(data.text);
        else entry.failed(new Error(data.error ?? 'no answer'));
      }
    };
    worker.postMessage({ start: coreUrl });
  });
}

/**
 * The core for the panel: in a worker from `workerUrl` when `mode` allows and the page lets one
 * start ('auto': a worker on the page's own origin, and from another origin through blob: where
 * the page shows no CSP that would refuse it; 'blob': always tried, which needs `worker-src blob:`
 * in a page's CSP; 'none': never), else on the main thread. Either way every
 * operation returns a promise of the answer text. Resolves to {core, thread: 'worker'|'main'}.
 */
export function loadCoreClient({ coreUrl, workerUrl, mode = 'auto' }) {
  if (!clientPromise) {
    const inWorker =
      workerUrl && mode !== 'none'
        ? new Promise((done) => done(workerCore(workerUrl, coreUrl, mode)))
        : Promise.reject(new Error('no worker asked for'));
    clientPromise = inWorker
      .then((core) => ({ core, thread: 'worker' }))
      .catch(() =>
        loadCore(coreUrl).then((core) => ({
          core: { ...asPromises(core), warmIntl: async () => '', broken: () => false },
          thread: 'main',
        })),
      );
    clientPromise.catch(() => {
      clientPromise = null;
    });
  }
  return clientPromise;
}
