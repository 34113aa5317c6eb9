// Test server on 127.0.0.1 (free port): build/web, generated host pages under a strict CSP, and
// a fake loyalty backend (CONTRACT.md "Backend HTTP API") with switchable failure modes.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

// The launcher's files as the reference server sends them (demo/server/static_files.cpp): a
// shop on another origin loads them in CORS mode (module scripts, the wasm, the catalogs).
const SHARED_ACROSS_ORIGINS = new Set(['.js', '.mjs', '.wasm', '.css', '.json', '.map']);

/** The shop page's CSP; `launcher` = the launcher's origin when it is another one. */
export function shopCsp(launcher = '', variant = '') {
  const scripts = ["'self'", launcher, variant === 'noWasm' ? '' : "'wasm-unsafe-eval'"];
  const connects = ["'self'", variant === 'noConnect' ? '' : launcher];
  const list = (sources) => sources.filter(Boolean).join(' ');
  // workerBlob: a page that lets the launcher start its core's worker from another origin.
  // (a module worker's static imports count as worker sources too)
  const workers =
    variant === 'workerBlob' ? `worker-src ${list(["'self'", 'blob:', launcher])}; ` : '';
  return (
    `default-src 'self'; script-src ${list(scripts)}; ${workers}style-src 'self'; ` +
    `img-src 'self' data:; connect-src ${list(connects)}; object-src 'none'; base-uri 'none'`
  );
}

export const CSP = shopCsp();

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// JSON inside <script type="application/json">: only "</" needs care.
const scriptJson = (value) => JSON.stringify(value).replace(/<\//g, '<\\/');

/** `failure`: down (connection dropped) | missing (404) | noCors (no CORS headers). */
function sendFile(res, file, failure) {
  if (failure === 'down') {
    res.socket.destroy();
    return;
  }
  if (!existsSync(file) || failure === 'missing') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const headers = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  };
  if (SHARED_ACROSS_ORIGINS.has(extname(file)) && failure !== 'noCors') {
    headers['access-control-allow-origin'] = '*';
    headers['cross-origin-resource-policy'] = 'cross-origin';
  }
  res.writeHead(200, headers);
  res.end(readFileSync(file));
}

function safeJoin(root, path) {
  const full = normalize(join(root, decodeURIComponent(path)));
  return full.startsWith(root) ? full : join(root, '__nope__');
}

/** The launcher's origin from a page query (another test server on 127.0.0.1), or ''. */
const launcherOrigin = (query) => {
  const origin = query.get('launcher') ?? '';
  return /^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(origin) ? origin : '';
};

/**
 * A host page. Query: mode=embed|loader|module|static|none, launcher (the origin serving
 * /web and /api, default this one), customer, expires (the token's expiry, Unix seconds),
 * locale, label, dir, now, timeout, diagnostics, cover (an element over the button), ...
 * `metaCsp`: a CSP to put in a <meta> tag.
 */
function hostPage(query, backend, metaCsp = '') {
  const mode = query.get('mode') ?? 'embed';
  const lang = query.get('lang') ?? query.get('locale') ?? 'en';
  const dir = query.get('dir') ?? 'ltr';
  const launcher = launcherOrigin(query);
  const expires = /^\d{1,12}$/.test(query.get('expires') ?? '')
    ? query.get('expires')
    : '4102444800';
  const attrs = {
    api: query.get('api') ?? `${launcher}/api`,
    'customer-id': query.get('customer') ?? '',
    'customer-token': query.get('customer') ? `${query.get('customer')}.${expires}.test` : '',
    locale: query.get('locale') ?? '',
    position: query.get('position') ?? '',
    mapping: query.get('mapping') ?? '',
    timeout: query.get('timeout') ?? '',
    label: query.get('label') ?? '',
    'core-worker': query.get('core-worker') ?? '',
    'join-url': '/join',
    'sign-in-url': '/login',
    diagnostics: query.has('diagnostics') ? true : '',
  };
  const context = { version: 1, now: query.get('now') ?? '2026-11-23T10:00:00-05:00' };
  if (query.get('cart')) context.cart = JSON.parse(query.get('cart'));
  const attrText = (prefix) =>
    Object.entries(attrs)
      .filter(([, value]) => value !== '')
      .map(([name, value]) =>
        value === true ? ` ${prefix}${name}` : ` ${prefix}${name}="${escapeHtml(value)}"`,
      )
      .join('');
  let element = '';
  let loader = `<script src="${launcher}/web/loyalty-launcher.js" async></script>`;
  if (mode === 'loader') {
    loader = `<script src="${launcher}/web/loyalty-launcher.js"${attrText('data-')} async></script>`;
  } else if (mode === 'module') {
    // The ES module entry, imported by the shop's own module (pages/module-host.js).
    loader =
      `<meta name="loyalty-web" content="${escapeHtml(`${launcher}/web/`)}">` +
      '<script type="module" src="/pages/module-host.js"></script>';
  }
  if (mode === 'static') {
    let program = backend.program;
    let customer = query.get('customer') ? backend.customers.get(query.get('customer')) : null;
    const sample = query.get('sample');
    if (sample && /^[a-z0-9-]+$/.test(sample)) {
      // A sample program of demo/programs with one of its customers and its context.
      const dir = join(repo, 'demo/programs', sample);
      const persona = query.get('persona') ?? '';
      program = JSON.parse(readFileSync(join(dir, 'program.json'), 'utf8'));
      customer = /^[a-z0-9-]+$/.test(persona)
        ? JSON.parse(readFileSync(join(dir, 'customers', `${persona}.json`), 'utf8'))
        : null;
      Object.assign(context, JSON.parse(readFileSync(join(dir, 'context.json'), 'utf8')));
      if (query.get('locale')) context.locale = query.get('locale');
    }
    element =
      `<loyalty-launcher locale="${escapeHtml(attrs.locale)}" join-url="/join" sign-in-url="/login">` +
      `<script type="application/json" data-loyalty="program">${scriptJson(program)}</script>` +
      (customer
        ? `<script type="application/json" data-loyalty="customer">${scriptJson(customer)}</script>`
        : '') +
      `<script type="application/json" data-loyalty="context">${scriptJson(context)}</script>` +
      `</loyalty-launcher>`;
  } else if (mode !== 'none' && mode !== 'loader') {
    element =
      `<loyalty-launcher${attrText('')}>` +
      `<script type="application/json" data-loyalty="context">${scriptJson(context)}</script>` +
      `</loyalty-launcher>`;
  }
  return `<!doctype html>
<html lang="${escapeHtml(lang)}" dir="${escapeHtml(dir)}">
<head><meta charset="utf-8"><title>Maple &amp; Co test shop</title>
${metaCsp ? `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(metaCsp)}">` : ''}
<link rel="stylesheet" href="/pages/host.css">
<script src="/pages/host.js"></script>
</head>
<body>
<header><h1>Maple &amp; Co</h1></header>
<main>
<p>A storefront page for launcher tests.</p>
<p><a href="#" id="open-rewards" data-loyalty-open="rewards">See your rewards</a></p>
<button type="button" id="host-button">A host button</button>
${query.has('cover') ? '<div id="cookie-banner" class="cover">We use cookies.</div>' : ''}
</main>
${element}
${loader}
</body>
</html>`;
}

/** The fake backend's state; tests change `failures` and read `requests`. */
export function createBackend({ program, customers }) {
  return {
    program,
    customers: new Map(customers.map((customer) => [customer.id, structuredClone(customer)])),
    // endpoint → mode: down | html500 | timeout | truncated | huge | deep | wrongTypes |
    // negative | unknownReward | refuse | flaky
    failures: {},
    requests: [],
    idempotent: new Map(),
    serial: 0,
  };
}

function readBody(req) {
  return new Promise((resolvePromise) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => resolvePromise(text));
  });
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * CORS for a shop on another origin, as the reference server answers it (demo/server/routes.cpp):
 * only origins in `allowOrigins`; preflights for the headers the launcher sends. True when the
 * request was a preflight and has been answered.
 */
function applyCors(req, res, allowOrigins) {
  const origin = req.headers.origin;
  const allowed = Boolean(origin) && allowOrigins.includes(origin);
  if (req.method === 'OPTIONS') {
    if (!allowed) {
      json(res, 403, { error: { code: 'cors.originNotAllowed', message: 'No' } });
      return true;
    }
    res.writeHead(204, {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type, Idempotency-Key',
      vary: 'Origin',
    });
    res.end();
    return true;
  }
  if (allowed) res.setHeader('access-control-allow-origin', origin);
  return false;
}

async function handleApi(req, res, path, backend) {
  const body = req.method === 'POST' ? await readBody(req) : '';
  const endpoint = path.replace(/^\/api\/v1\//, '');
  backend.requests.push({ method: req.method, endpoint, headers: req.headers, body });
  const mode = backend.failures[endpoint];
  if (mode === 'down') return req.socket.destroy();
  if (mode === 'timeout') return; // never answers; the client aborts
  if (mode === 'html500') {
    res.writeHead(500, { 'content-type': 'text/html' });
    return res.end('<html><body><h1>Internal Server Error</h1></body></html>');
  }
  if (mode === 'flaky') {
    backend.failures[endpoint] = undefined; // fails once, then works
    res.writeHead(503, { 'content-type': 'text/html' });
    return res.end('<h1>busy</h1>');
  }
  const [, token, expiry] =
    /^Bearer ([A-Za-z0-9_-]{1,64})\.(\d+)\./.exec(req.headers.authorization ?? '') ?? [];
  if (token && Number(expiry) <= Date.now() / 1000) {
    return json(res, 401, {
      error: { code: 'auth.expiredToken', message: 'The shopper token has expired.' },
    });
  }
  const customer = token ? backend.customers.get(token) : null;
  let answer;
  let status = 200;
  if (endpoint === 'program' && req.method === 'GET') {
    answer = structuredClone(backend.program);
    if (mode === 'unknownReward')
      answer.rewards.push({ id: 'mystery', type: 'mystery_box', cost: 10 });
    if (mode === 'huge') answer.padding = 'x'.repeat(5 * 1024 * 1024);
  } else if (endpoint === 'customer' && req.method === 'GET') {
    if (!customer)
      return json(res, 401, { error: { code: 'auth.invalid', message: 'Sign in again' } });
    answer = structuredClone(customer);
    if (mode === 'wrongTypes') answer.ledger = 'not a list';
    if (mode === 'negative') answer.summary = { balance: -50 };
  } else if (endpoint === 'redemptions' && req.method === 'POST') {
    if (!customer)
      return json(res, 401, { error: { code: 'auth.invalid', message: 'Sign in again' } });
    const key = req.headers['idempotency-key'];
    if (!key)
      return json(res, 400, {
        error: { code: 'request.idempotencyKey', message: 'Idempotency-Key missing' },
      });
    if (mode === 'refuse') {
      return json(res, 409, {
        error: {
          code: 'redeem.tierRestricted',
          message: 'Your tier cannot redeem this reward',
          path: '/rewardId',
        },
      });
    }
    if (backend.idempotent.has(key)) return json(res, 201, backend.idempotent.get(key));
    const request = JSON.parse(body);
    const reward = backend.program.rewards.find((entry) => entry.id === request.rewardId);
    if (!reward)
      return json(res, 404, { error: { code: 'redeem.unknownReward', message: 'No such reward' } });
    backend.serial += 1;
    const points = request.points ?? reward.cost;
    const code = `TEST-${reward.id.toUpperCase()}-${backend.serial}`;
    customer.ledger = customer.ledger ?? [];
    customer.ledger.push({
      id: `red-${backend.serial}`,
      type: 'redeem',
      at: '2026-11-23T15:00:00Z',
      rewardId: reward.id,
      points,
      code,
    });
    if (customer.summary) customer.summary.balance -= points;
    answer = {
      redemption: {
        id: `red-${backend.serial}`,
        rewardId: reward.id,
        points,
        code,
        expiresAt: '2026-12-23T15:00:00Z',
      },
      customer: structuredClone(customer),
    };
    backend.idempotent.set(key, answer);
    status = 201;
  } else if (endpoint === 'claims' && req.method === 'POST') {
    if (!customer)
      return json(res, 401, { error: { code: 'auth.invalid', message: 'Sign in again' } });
    const { ruleId } = JSON.parse(body);
    const rule = backend.program.earning.find((entry) => entry.id === ruleId);
    backend.serial += 1;
    customer.ledger.push({
      id: `claim-${backend.serial}`,
      type: 'earn',
      at: '2026-11-23T15:00:00Z',
      ruleId,
      points: rule.points,
    });
    if (customer.summary) customer.summary.balance += rule.points;
    answer = { claim: { ruleId, points: rule.points }, customer: structuredClone(customer) };
    status = 201;
  } else if (endpoint.startsWith('referrals/') && endpoint !== 'referrals/friend') {
    // GET /v1/referrals/{code}: the advocate's first name and the friend's reward, nothing else.
    const code = decodeURIComponent(endpoint.slice('referrals/'.length));
    const advocate = [...backend.customers.values()].find((c) => c.referralCode === code);
    if (!advocate || req.method !== 'GET') {
      return json(res, 404, {
        error: { code: 'referral.unknownCode', message: 'No such code', path: '' },
      });
    }
    const { type, amount, percent, minOrder } = backend.program.referral.friend;
    answer = {
      referral: {
        code,
        advocateFirstName: advocate.firstName,
        friendReward: { type, value: amount ?? null, percent: percent ?? null, minOrder },
      },
    };
  } else if (endpoint === 'referrals/friend' && req.method === 'POST') {
    // POST /v1/referrals/friend: one coupon per mailbox, the same one when asked again.
    const { code, email } = JSON.parse(body);
    const advocate = [...backend.customers.values()].find((c) => c.referralCode === code);
    const mailbox = String(email).trim().toLowerCase();
    const refuse = (key) => json(res, 422, { error: { code: key, message: key, path: '/email' } });
    if (!advocate) return refuse('referral.unknownCode');
    if (mailbox === advocate.email) return refuse('referral.selfReferral');
    backend.friendOffers ??= new Map();
    const earlier = backend.friendOffers.get(mailbox);
    if (earlier && earlier.code !== code) return refuse('referral.alreadyReferred');
    backend.serial += 1;
    const offer = earlier ?? { code, coupon: `REF-TEST-${backend.serial}` };
    backend.friendOffers.set(mailbox, offer);
    const { type, percent } = backend.program.referral.friend;
    answer = {
      referral: {
        advocateFirstName: advocate.firstName,
        friendReward: { code: offer.coupon, type, value: null, percent: percent ?? null },
      },
    };
    status = earlier ? 200 : 201;
  } else {
    return json(res, 404, { error: { code: 'notFound', message: 'No such endpoint' } });
  }
  let text = JSON.stringify(answer);
  // 100,000 nested arrays under "deep" (written as text: JSON.stringify would overflow).
  if (mode === 'deep') text = `${text.slice(0, -1)},"deep":${'['.repeat(1e5)}${']'.repeat(1e5)}}`;
  if (mode === 'truncated') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(text.slice(0, Math.floor(text.length / 2)));
  }
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

/**
 * Starts the server; resolves to {origin, backend, allowOrigins, close()}. `allowOrigins`
 * (changeable) = the shops on other origins that may call its API.
 */
export async function startServer({ webRoot = join(repo, 'build/web'), program, customers }) {
  const backend = createBackend({ program, customers });
  const allowOrigins = [];
  const pagesRoot = join(here, 'pages');
  const axeFile = join(repo, 'node_modules/axe-core/axe.min.js');
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = url.pathname;
    try {
      if (path === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      if (path === '/alt/loyalty/program.json') {
        // Another backend's shapes, read through the mapping attribute.
        json(res, 200, { data: backend.program, etag: 'v7' });
      } else if (path === '/alt/me') {
        const id = /^Bearer ([A-Za-z0-9_-]{1,64})\./.exec(req.headers.authorization ?? '')?.[1];
        const customer = backend.customers.get(id);
        if (!customer) return json(res, 401, { error: { code: 'auth', message: 'no' } });
        json(res, 200, {
          customer: {
            uid: customer.id,
            first_name: customer.firstName,
            points_balance: customer.summary?.balance ?? 0,
            referral: { code: customer.referralCode },
          },
        });
      } else if (path.startsWith('/api/')) {
        if (applyCors(req, res, allowOrigins)) return;
        handleApi(req, res, path, backend).catch((error) =>
          json(res, 500, { error: { message: String(error) } }),
        );
      } else if (path.startsWith('/web/')) {
        // backend.failures['web/loyalty-panel.js'] = 'down' | 'missing' | 'noCors'
        sendFile(res, safeJoin(webRoot, path.slice(5)), backend.failures[path.slice(1)]);
      } else if (path === '/vendor/axe.min.js') {
        sendFile(res, axeFile);
      } else if (path === '/page.html') {
        // csp=noWasm | noConnect: a page whose CSP forgets part of what the launcher needs;
        // workerBlob: one that allows a blob: worker; meta: the strict CSP in a <meta> tag
        // instead of the header; none: no CSP at all (as most shops).
        const variant = url.searchParams.get('csp') ?? '';
        const policy = shopCsp(launcherOrigin(url.searchParams), variant);
        res.writeHead(200, {
          'content-type': TYPES['.html'],
          ...(variant === 'none' || variant === 'meta'
            ? {}
            : { 'content-security-policy': policy }),
          'cache-control': 'no-store',
        });
        res.end(hostPage(url.searchParams, backend, variant === 'meta' ? policy : ''));
      } else if (path.startsWith('/pages/')) {
        sendFile(res, safeJoin(pagesRoot, path.slice(7)));
      } else if (path === '/join' || path === '/login') {
        res.writeHead(200, { 'content-type': TYPES['.html'], 'content-security-policy': CSP });
        res.end(`<!doctype html><html lang="en"><title>${path}</title><h1>${path}</h1></html>`);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  await new Promise((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    backend,
    allowOrigins,
    close: () =>
      new Promise((resolvePromise) => {
        server.closeAllConnections?.();
        server.close(resolvePromise);
      }),
  };
}
