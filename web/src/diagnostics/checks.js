// What diagnostics looks at, as small functions that return findings ({id, title, detail,
// hint}) or facts: the shopper token, the button's place on screen, CSP violations, and what
// a plain request to an address meets. Nothing here changes the launcher or the page.

/** `div#cookie-banner.overlay` for an element, for a theme developer to find it. */
export function describeElement(element) {
  if (!element?.tagName) return String(element);
  const id = element.id ? `#${element.id}` : '';
  const classes = [...element.classList]
    .slice(0, 3)
    .map((name) => `.${name}`)
    .join('');
  return `${element.tagName.toLowerCase()}${id}${classes}`;
}

/** The parent of `element`, stepping out of a shadow root to its host. */
const parentOf = (element) => element.parentElement ?? element.getRootNode?.().host ?? null;

/**
 * The z-index that places `element` on the page: its own, or that of the nearest ancestor
 * that sets one (the stacking context it is painted in). {zIndex: 'auto'} when none does.
 */
export function effectiveZIndex(element) {
  for (let node = element; node && node.nodeType === 1; node = parentOf(node)) {
    const zIndex = getComputedStyle(node).zIndex;
    if (zIndex !== 'auto') return { zIndex, setOn: node };
  }
  return { zIndex: 'auto', setOn: null };
}

/**
 * Whether the shopper can see and click the launcher's button: hidden, outside the viewport,
 * or under another element at its centre (elementFromPoint, as a click would land).
 * `ignore` = elements of diagnostics itself. Returns a finding or null.
 */
export function buttonFinding(host, button, ignore = []) {
  const rect = button.getBoundingClientRect();
  const style = getComputedStyle(button);
  if (!host.isConnected || rect.width === 0 || rect.height === 0) {
    return {
      id: 'button:hidden',
      title: 'The launcher button is not displayed',
      detail: `It has no size on the page (${describeElement(host)} or an ancestor has display: none, or the element is not in the document).`,
      hint: 'Look for a theme rule that hides loyalty-launcher or its container.',
    };
  }
  if (style.visibility === 'hidden' || Number(getComputedStyle(host).opacity) === 0) {
    return {
      id: 'button:invisible',
      title: 'The launcher button is invisible',
      detail: `visibility: ${style.visibility}, opacity: ${getComputedStyle(host).opacity} on ${describeElement(host)}.`,
      hint: 'Look for a theme rule that sets visibility or opacity on loyalty-launcher.',
    };
  }
  const x = Math.round(rect.left + rect.width / 2);
  const y = Math.round(rect.top + rect.height / 2);
  if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) {
    return {
      id: 'button:offscreen',
      title: 'The launcher button is outside the viewport',
      detail: `Its centre is at (${x}, ${y}); the viewport is ${innerWidth}×${innerHeight}.`,
      hint: 'Check --loyalty-offset-x and --loyalty-offset-y, and transforms on its ancestors.',
    };
  }
  const hit = document.elementsFromPoint(x, y).find((node) => !ignore.includes(node));
  if (!hit || hit === host || host.contains(hit)) return null;
  const cover = effectiveZIndex(hit);
  const own = effectiveZIndex(host);
  const where =
    cover.setOn && cover.setOn !== hit ? `, set on ${describeElement(cover.setOn)}` : '';
  return {
    id: `button:covered:${describeElement(hit)}`,
    title: 'The launcher button is covered by another element',
    detail: `At the button's centre (${x}, ${y}) clicks land on ${describeElement(hit)} (z-index ${cover.zIndex}${where}); the launcher's z-index is ${own.zIndex}.`,
    hint:
      'Give loyalty-launcher a higher --loyalty-z-index, lower the other element, or move ' +
      'the button (position="left", --loyalty-offset-x, --loyalty-offset-y).',
  };
}

function decodeBase64Url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) =>
    c.charCodeAt(0),
  );
  return new TextDecoder().decode(bytes);
}

/**
 * What a shopper token says about itself, read without verifying it (only the backend holds
 * the secret): {format: 'loyalty' | 'jwt' | 'unknown', subject, expiresAt (Unix seconds)}.
 * The contract's token is `<customerId>.<expiry>.<hex HMAC>`; a JWT's payload has sub and exp.
 */
export function readToken(token) {
  const parts = token.split('.');
  // A digits-only middle part is the contract's expiry (a JWT's payload is base64 JSON).
  if (parts.length === 3 && /^\d{1,12}$/.test(parts[1]) && parts[2]) {
    return { format: 'loyalty', subject: parts[0], expiresAt: Number(parts[1]) };
  }
  if (parts.length === 3) {
    try {
      const payload = JSON.parse(decodeBase64Url(parts[1]));
      if (payload && typeof payload === 'object') {
        return {
          format: 'jwt',
          subject: typeof payload.sub === 'string' ? payload.sub : '',
          expiresAt: Number.isFinite(payload.exp) ? payload.exp : null,
        };
      }
    } catch {
      /* not a JWT either */
    }
  }
  return { format: 'unknown', subject: '', expiresAt: null };
}

/** "3 h 5 min" for a number of seconds. */
function span(seconds) {
  const minutes = Math.round(Math.abs(seconds) / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

/** "2026-01-01T00:00:00Z (3 h ago)" for an expiry in Unix seconds. */
export function describeExpiry(expiresAt, nowSeconds) {
  const when = new Date(expiresAt * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const left = expiresAt - nowSeconds;
  return `${when} (${left <= 0 ? `${span(left)} ago` : `in ${span(left)}`})`;
}

/**
 * Findings about the shopper token the page gave: missing beside a customer id, expired, or
 * for another customer. `refused` = the backend answered 401/403 to it.
 */
export function tokenFindings({ customerId, token, nowSeconds, refused = null }) {
  const findings = [];
  if (!token) {
    if (customerId || refused) {
      findings.push({
        id: 'token:missing',
        title: 'No shopper token',
        detail: `customer-id is "${customerId}" but customer-token is empty, so the launcher shows the guest view.`,
        hint: 'Render customer-token on the server, signed with the shop secret (README "Signing the shopper token").',
      });
    }
    return findings;
  }
  const facts = readToken(token);
  const expiry =
    facts.expiresAt === null
      ? ''
      : `Its payload (not verified) says it expires ${describeExpiry(facts.expiresAt, nowSeconds)}.`;
  if (facts.expiresAt !== null && facts.expiresAt <= nowSeconds) {
    findings.push({
      id: 'token:expired',
      title: 'The shopper token has expired',
      detail: `${expiry}${refused ? ` The backend answered ${refused.status}${refused.code ? ` ${refused.code}` : ''}.` : ''}`,
      hint: 'Sign a new token on every page view (or before it expires) with a later expiry.',
    });
  } else if (facts.subject && customerId && facts.subject !== customerId) {
    findings.push({
      id: 'token:subject',
      title: 'The shopper token is for another customer',
      detail: `The token names "${facts.subject}", customer-id is "${customerId}".`,
      hint: 'Sign the token for the same customer id the page gives the launcher.',
    });
  } else if (refused) {
    findings.push({
      id: 'token:refused',
      title: 'The backend refused the shopper token',
      detail:
        `It answered ${refused.status}${refused.code ? ` ${refused.code}` : ''}. ` +
        (facts.format === 'unknown'
          ? 'The token is neither <customerId>.<expiry>.<signature> nor a JWT, so its expiry cannot be read.'
          : `${expiry} So it is likely signed with another secret, or malformed.`),
      hint: 'Check that the shop and the loyalty backend use the same secret and customer ids.',
    });
  }
  return findings;
}

/**
 * What a plain request to `url` meets: {reached: true, cors: true, status, type} when it
 * answers with CORS headers, {reached: true, cors: false} when it answers without them (an
 * opaque no-cors answer), {reached: false} when nothing answers or the CSP blocks it.
 */
export async function probe(url) {
  try {
    const response = await fetch(url, { credentials: 'omit', cache: 'no-store' });
    return {
      reached: true,
      cors: true,
      status: response.status,
      type: response.headers.get('content-type') ?? '',
    };
  } catch {
    /* CORS, network or CSP: the no-cors request tells the first apart */
  }
  try {
    await fetch(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store' });
    return { reached: true, cors: false };
  } catch {
    return { reached: false };
  }
}

/** The origin of a URL (relative to the page), or '' when it is not one. */
export const originOf = (url) => {
  try {
    return new URL(url, document.baseURI).origin;
  } catch {
    return '';
  }
};

/**
 * A finding for a CSP violation that concerns the launcher (its files, its API, or compiling
 * WebAssembly), else null. `origins` = the launcher's and the API's origins.
 */
export function cspFinding(event, origins) {
  const blocked = event.blockedURI || '';
  const directive = event.effectiveDirective || event.violatedDirective || '';
  if (blocked === 'wasm-eval') {
    return {
      id: 'csp:wasm-eval',
      title: 'The Content-Security-Policy blocks WebAssembly',
      detail: `${directive} does not allow compiling the rewards engine (wasm).`,
      hint: "Add 'wasm-unsafe-eval' to the page's script-src.",
    };
  }
  if (blocked.startsWith('blob') && directive.startsWith('worker-src')) {
    // The launcher's own try (web/src/core.js): it works on, with its engine on the main thread.
    return {
      id: 'csp:worker-src:blob',
      title: "The Content-Security-Policy keeps the rewards engine on the page's main thread",
      detail: `${directive} refused the engine's blob: worker; the launcher works without it, slower on phones.`,
      hint: `Add blob: ${origins[0] ?? ''} to the page's worker-src, or set core-worker="none" to stop the try.`,
    };
  }
  const origin = originOf(blocked);
  if (!origin || !origins.includes(origin)) return null;
  const list = directive.startsWith('script-src') ? 'script-src' : directive.replace(/-elem$/, '');
  return {
    id: `csp:${directive}:${blocked}`,
    title: 'The Content-Security-Policy blocks a launcher download',
    detail: `${directive} refused ${blocked}.`,
    hint: `Add ${origin} to the page's ${list} (the launcher needs it in script-src and connect-src).`,
  };
}
