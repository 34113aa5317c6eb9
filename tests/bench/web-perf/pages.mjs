// The storefront pages of the launcher's speed benchmarks (web-perf.mjs, warm; cold-load.mjs,
// a cold browser per run) and the one origin that serves them: /bench/ from here, everything
// else (build/web under /web/, the fake backend under /api/) passed on to web's test server.
import { createServer, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP, shopCsp, startServer } from '../../browser/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const benchFiles = here;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

// ---- documents ------------------------------------------------------------------------------

const full = join(repo, 'demo/programs/full');
export const fullProgram = readJson(join(full, 'program.json'));
export const fullContext = readJson(join(full, 'context.json'));
export const vip = readJson(join(full, 'customers/vip.json'));
const TOKEN = `${vip.id}.4102444800.test`; // the fake backend reads the customer id from it

// ---- pages ----------------------------------------------------------------------------------

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const scriptJson = (value) => JSON.stringify(value).replace(/<\//g, '<\\/');

const products = Array.from(
  { length: 24 },
  (_, i) =>
    `<div class="product"><div class="photo"></div><h2>Wool throw no. ${i + 1}</h2>` +
    `<p>Soft, warm and made to last.</p><p>$${48 + i}.00</p></div>`,
).join('\n');

/**
 * A storefront page: `none` (no launcher), `loader` (the one-tag embed), `cdn` (the same tag with
 * the launcher and its backend on another origin, as most shops embed it), `cdn-csp` (that under
 * a strict CSP), `static` (inline docs).
 */
function storefront(variant, launcherOrigin) {
  let launcher = '';
  if (variant === 'loader' || variant.startsWith('cdn')) {
    const from = variant.startsWith('cdn') ? launcherOrigin : '';
    launcher =
      `<script src="${from}/web/loyalty-launcher.js" data-api="${from}/api"` +
      ` data-customer-id="${vip.id}" data-customer-token="${escapeHtml(TOKEN)}" async></script>`;
  } else if (variant === 'static') {
    launcher =
      '<loyalty-launcher locale="en">' +
      `<script type="application/json" data-loyalty="program">${scriptJson(fullProgram)}</script>` +
      `<script type="application/json" data-loyalty="customer">${scriptJson(vip)}</script>` +
      `<script type="application/json" data-loyalty="context">${scriptJson(fullContext)}</script>` +
      '</loyalty-launcher>\n<script src="/web/loyalty-launcher.js" async></script>';
  }
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Maple &amp; Co</title>
<link rel="stylesheet" href="/bench/shop.css">
<script src="/bench/probe.js"></script>
</head>
<body>
<header><h1>Maple &amp; Co</h1><p>Blankets, candles and mugs for long winters.</p></header>
<main>
${products}
</main>
<footer><p>Maple &amp; Co, 1 Birch Lane</p></footer>
${launcher}
</body>
</html>`;
}

const FILE_TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** The /bench/ routes; false for any other path. */
function benchRoutes(req, res, launcherOrigin) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const path = url.pathname;
  if (!path.startsWith('/bench/')) return false;
  const headers = { 'cache-control': 'no-store' };
  if (path === '/bench/page.html') {
    const variant = url.searchParams.get('variant') ?? 'none';
    // cdn: no CSP, as most shops; cdn-csp: a strict one that names the launcher's origin (and
    // refuses its core's blob: worker); the others: the same-origin strict CSP.
    const policy = variant === 'cdn' ? null : variant === 'cdn-csp' ? shopCsp(launcherOrigin) : CSP;
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      ...(policy ? { 'content-security-policy': policy } : {}),
    });
    res.end(storefront(variant, launcherOrigin));
  } else if (path === '/bench/core.html') {
    // Cross-origin isolated, so performance.now() is precise to 5 us rather than 100 us.
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CSP,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end('<!doctype html><html lang="en"><title>core</title><h1>core</h1></html>');
  } else if (path === '/bench/probe.js' || path === '/bench/shop.css') {
    const file = join(benchFiles, path.slice('/bench/'.length));
    res.writeHead(200, {
      ...headers,
      'content-type': FILE_TYPES[path.slice(path.lastIndexOf('.'))],
    });
    res.end(readFileSync(file));
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
  return true;
}

/**
 * One origin for the pages: /bench/ from here, everything else (build/web under /web/, the fake
 * backend under /api/) passed on to web's test server, which this script only imports. The `cdn*`
 * pages load the launcher and its backend from that server's own origin instead. `webRoot`
 * serves another build of web/ (a before-and-after comparison) instead of build/web.
 */
export async function startBenchServer({ webRoot } = {}) {
  const web = await startServer({ program: fullProgram, customers: [vip], webRoot });
  const target = new URL(web.origin);
  const server = createServer((req, res) => {
    if (benchRoutes(req, res, web.origin)) return;
    const forward = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  web.allowOrigins.push(origin);
  return {
    origin,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await web.close();
    },
  };
}
