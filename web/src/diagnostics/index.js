// "Why isn't it showing?": diagnostics for theme developers, loaded only with the `diagnostics`
// attribute or ?loyalty-debug=1. It watches what the launcher and the browser report (CSP
// violations, loyalty:error) and checks the token and the button's place itself, then says
// what is wrong and what to change, in the console and in a small overlay.
import {
  buttonFinding,
  cspFinding,
  describeElement,
  originOf,
  probe,
  tokenFindings,
} from './checks.js';
import { createOverlay } from './overlay.js';

const PREFIX = 'loyalty-launcher diagnostics:';
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A finding for an answer a file gave to a plain request (see checks.js probe). */
function fileFinding(id, what, url, answer, expectedType) {
  if (!answer.reached) {
    return {
      id,
      title: `${what} could not be downloaded`,
      detail: `Nothing answered at ${url} (network error or wrong address), or the page's connect-src refused this check.`,
      hint: 'Open the address in a browser tab; check the launcher host and the CSP.',
    };
  }
  if (!answer.cors) {
    return {
      id,
      title: `${what} is served without CORS headers`,
      detail: `${url} answers, but without Access-Control-Allow-Origin, so this page (${location.origin}) may not use it.`,
      hint: 'Serve the launcher files with Access-Control-Allow-Origin: * (web/README.md "Hosting the launcher").',
    };
  }
  if (answer.status >= 400) {
    return {
      id,
      title: `${what} is missing on the launcher host`,
      detail: `${url} answered HTTP ${answer.status}.`,
      hint: 'Upload every file of build/web together, beside loyalty-launcher.js.',
    };
  }
  if (expectedType && !expectedType.test(answer.type)) {
    return {
      id,
      title: `${what} is served with the wrong Content-Type`,
      detail: `${url} is served as "${answer.type}".`,
      hint: 'Serve .js and .mjs as text/javascript and .wasm as application/wasm.',
    };
  }
  return null;
}

/**
 * Starts diagnostics for one launcher. `seen` = events that happened before this module
 * arrived (CSP violations, loyalty:error). Returns {stop()}.
 */
export function startDiagnostics(host, { button, seen = [], assetUrl }) {
  const findings = new Map(); // id → finding, in the order found
  const refusedByCsp = new Map(); // blocked URL → directive, from securitypolicyviolation
  let overlay = null;
  let dismissed = false;
  let ready = false;
  const abort = new AbortController();
  const { signal } = abort;

  const coreUrl = () => host.constructor.coreUrl ?? assetUrl('loyalty-core.js');
  const apiUrl = (kind) => {
    if (!host.api) return '';
    const base = host.api.endsWith('/') ? host.api : `${host.api}/`;
    const path = String(host.mapping?.paths?.[kind] ?? `v1/${kind}`).replace(/^\//, '');
    try {
      return new URL(path, new URL(base, document.baseURI)).href;
    } catch {
      return '';
    }
  };
  const origins = () =>
    [
      originOf(assetUrl('loyalty-panel.js')),
      originOf(coreUrl()),
      originOf(apiUrl('program')),
    ].filter(Boolean);

  function summary() {
    const count = findings.size;
    if (count) return `${count} problem${count === 1 ? '' : 's'} found.`;
    return ready
      ? 'No problems found: the launcher loaded its data, and its button is visible and not covered.'
      : 'Checking…';
  }

  function draw() {
    if (dismissed) return;
    overlay ??= createOverlay(dismiss);
    overlay.show([...findings.values()], summary());
  }

  function dismiss() {
    dismissed = true;
    overlay?.remove();
    overlay = null;
    button.focus?.();
  }

  function add(finding) {
    if (!finding || findings.get(finding.id)?.detail === finding.detail) return;
    findings.set(finding.id, finding);
    console.warn(
      `${PREFIX} ${finding.title}\n${finding.detail}${finding.hint ? `\n→ ${finding.hint}` : ''}`,
    );
    draw();
  }

  /** The button's state is current, not a log: an earlier finding about it is replaced. */
  function checkButton() {
    const finding = buttonFinding(host, button, overlay ? [overlay.host] : []);
    let changed = false;
    for (const id of findings.keys()) {
      if (id.startsWith('button:') && id !== finding?.id) {
        findings.delete(id);
        changed = true;
      }
    }
    if (finding) add(finding);
    else if (changed) draw();
  }
  let buttonCheckQueued = false;
  const queueButtonCheck = () => {
    if (buttonCheckQueued) return;
    buttonCheckQueued = true;
    requestAnimationFrame(() => {
      buttonCheckQueued = false;
      if (!signal.aborted) checkButton();
    });
  };

  /**
   * A finding when the CSP refused `url` (its violation is reported on its own), else null.
   * Waits one task first: the violation event is queued when the request is refused, so it
   * arrives before a failure that the refusal caused is handled here.
   */
  async function cspRefused(id, what, url) {
    await new Promise((resolve) => setTimeout(resolve));
    const directive = refusedByCsp.get(url);
    if (!directive) return null;
    return {
      id,
      title: `${what} was refused by the page's Content-Security-Policy`,
      detail: `${directive} does not allow ${url}.`,
      hint: `Add ${originOf(url)} to the page's ${directive.replace(/-elem$/, '')}.`,
    };
  }

  async function loadFinding(detail) {
    const url = detail.url ?? assetUrl('loyalty-panel.js');
    const what = 'The panel code (loyalty-panel.js)';
    const refused = await cspRefused('load:panel', what, url);
    if (refused) return refused;
    const answer = await probe(url);
    return (
      fileFinding('load:panel', 'The panel code (loyalty-panel.js)', url, answer, /javascript/) ?? {
        id: 'load:panel',
        title: 'The panel code (loyalty-panel.js) did not load',
        detail: `${url} answers (HTTP ${answer.status}, ${answer.type}), but the import failed: ${detail.message ?? ''}`,
        hint: "If the CSP lists paths, allow the launcher's whole folder in script-src.",
      }
    );
  }

  async function coreFinding(detail) {
    const message = (detail.details ?? []).join(' ');
    if (/wasm-eval|wasm-unsafe-eval/i.test(message)) {
      return {
        id: 'core:csp',
        title: 'The rewards engine (wasm) was refused by the CSP',
        detail: message,
        hint: "Add 'wasm-unsafe-eval' to the page's script-src.",
      };
    }
    const wasmUrl = new URL('loyalty-core.wasm', coreUrl()).href;
    for (const [url, what, type] of [
      [wasmUrl, 'The engine (loyalty-core.wasm)', /^application\/wasm/],
      [coreUrl(), 'The engine loader (loyalty-core.js)', /javascript/],
    ]) {
      const finding =
        (await cspRefused(`core:${url}`, what, url)) ??
        fileFinding(`core:${url}`, what, url, await probe(url), type);
      if (finding) return finding;
    }
    return {
      id: 'core:start',
      title: 'The rewards engine (wasm) could not start',
      detail: message || 'No reason was given.',
      hint: "Check the console for the browser's own message.",
    };
  }

  async function apiFinding(detail) {
    const url = apiUrl('program');
    if (!url) {
      return {
        id: 'api:missing',
        title: 'No api attribute',
        detail: 'The launcher has neither an api to fetch from nor a program given by the page.',
        hint: 'Set api (data-api on the script tag), or give the documents (static mode).',
      };
    }
    if (detail.kind === 'timeout') {
      return {
        id: 'api:timeout',
        title: 'The API did not answer in time',
        detail: `No answer from ${url} within ${host.timeout} ms (the timeout attribute).`,
        hint: 'Check that the backend is running and reachable from the shopper.',
      };
    }
    if (detail.kind === 'http') {
      return {
        id: `api:http:${detail.status}`,
        title: `The API answered HTTP ${detail.status}`,
        detail: `${url}${detail.code ? ` answered with error code ${detail.code}` : ''}.`,
        hint: "See the backend's log for this request.",
      };
    }
    if (detail.kind === 'tooLarge') {
      return {
        id: 'api:tooLarge',
        title: 'The API sent more than 1 MB',
        detail: `An answer from ${url} was refused for its size.`,
        hint: 'Check that the api attribute points at the loyalty API, not at a page.',
      };
    }
    const answer = await probe(url);
    if (detail.kind === 'notJson') {
      return {
        id: 'api:notJson',
        title: 'The API answered with something that is not JSON',
        detail: `${url} is served as "${answer.type ?? 'unknown'}".`,
        hint: 'Check that the api attribute points at the loyalty API, not at a page.',
      };
    }
    if (answer.reached && !answer.cors) {
      return {
        id: 'api:cors',
        title: 'The API does not allow this shop’s origin (CORS)',
        detail: `${url} answers, but without Access-Control-Allow-Origin for ${location.origin}.`,
        hint:
          `Allow ${location.origin} on the API (loyalty-server --allow-origin ${location.origin}), ` +
          'answering preflights for Authorization, Content-Type and Idempotency-Key.',
      };
    }
    if (answer.reached) {
      return {
        id: 'api:preflight',
        title: 'The API answers simple requests but the launcher’s failed',
        detail: `${url} answered HTTP ${answer.status} to a plain request; the launcher's request (with an Authorization header) failed, so its CORS preflight was probably refused.`,
        hint: 'Answer OPTIONS with Access-Control-Allow-Headers: Authorization, Content-Type, Idempotency-Key.',
      };
    }
    return {
      id: 'api:unreachable',
      title: 'The API is unreachable',
      detail: `Nothing answered at ${url}, or the page's connect-src refused it.`,
      hint: "Check the api attribute, that the backend is running, and the CSP's connect-src.",
    };
  }

  function shapeFinding(detail) {
    const where =
      detail.kind === 'mapping'
        ? 'The mapping attribute'
        : host.api
          ? `The API's ${detail.kind} (${apiUrl(detail.kind === 'context' ? 'program' : detail.kind)})`
          : `The ${detail.kind} document given by the page`;
    return {
      id: `shape:${detail.kind}:${(detail.details ?? []).join('|')}`,
      title: `${where} has an unexpected shape`,
      detail: (detail.details ?? []).join('\n') || 'The core refused it.',
      hint:
        detail.kind === 'mapping'
          ? 'Fix the mapping (web/README.md "Mapping"); each problem names its path.'
          : 'Each line names the JSON path: fix the backend’s answer, or read its shape with the mapping attribute.',
    };
  }

  async function onError(event) {
    const detail = event.detail ?? {};
    switch (detail.kind) {
      case 'load':
        return add(await loadFinding(detail));
      case 'core':
        return add(await coreFinding(detail));
      case 'unauthorized':
        for (const finding of tokenFindings({
          customerId: host.customerId,
          token: host.customerToken,
          nowSeconds: nowSeconds(),
          refused: detail,
        }))
          add(finding);
        return undefined;
      case 'program':
      case 'customer':
      case 'context':
      case 'mapping':
        return add(shapeFinding(detail));
      case 'network':
      case 'timeout':
      case 'http':
      case 'notJson':
      case 'tooLarge':
        return add(await apiFinding(detail));
      default:
        return add({
          id: `error:${detail.kind}`,
          title: 'The launcher reported an error',
          detail: `${detail.kind}: ${detail.message ?? (detail.details ?? []).join(' ')}`,
        });
    }
  }

  const guarded = (handler) => (event) => {
    Promise.resolve()
      .then(() => handler(event))
      .catch((error) => console.error(PREFIX, error));
  };
  const onViolation = guarded((event) => {
    if (event.blockedURI) {
      refusedByCsp.set(event.blockedURI, event.effectiveDirective || event.violatedDirective);
    }
    add(cspFinding(event, origins()));
  });
  const onFailure = guarded(onError);

  document.addEventListener('securitypolicyviolation', onViolation, { signal });
  host.addEventListener('loyalty:error', onFailure, { signal });
  host.addEventListener(
    'loyalty:ready',
    () => {
      ready = true;
      queueButtonCheck();
      draw();
      if (!findings.size) console.info(`${PREFIX} ${summary()}`);
    },
    { signal },
  );
  for (const name of ['loyalty:open', 'loyalty:close']) {
    host.addEventListener(name, queueButtonCheck, { signal });
  }
  window.addEventListener('resize', queueButtonCheck, { signal });
  window.addEventListener('load', queueButtonCheck, { signal });
  // Something added to or removed from the page later (a cookie banner, a chat bubble) may
  // cover or uncover the button.
  const watcher = new MutationObserver(queueButtonCheck);
  if (document.body) watcher.observe(document.body, { childList: true, subtree: true });

  const rawId = host.getAttribute('customer-id') ?? '';
  if (rawId && !host.customerId) {
    add({
      id: 'customer-id',
      title: 'The customer-id is not valid',
      detail: `"${rawId}" is not 1 to 64 of A–Z, a–z, 0–9, _ and -, so the launcher treats the shopper as a guest.`,
      hint: 'Give the shop’s customer id as it is, without spaces or other characters.',
    });
  }
  for (const finding of tokenFindings({
    customerId: host.customerId,
    token: host.customerToken,
    nowSeconds: nowSeconds(),
  })) {
    add(finding);
  }
  for (const event of seen) {
    if (event.type === 'securitypolicyviolation') onViolation(event);
    else onFailure(event);
  }
  draw();
  queueButtonCheck();
  console.info(`${PREFIX} on for ${describeElement(host)}`);

  return {
    stop() {
      abort.abort();
      watcher.disconnect();
      overlay?.remove();
    },
  };
}
