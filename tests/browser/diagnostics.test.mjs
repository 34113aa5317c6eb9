// Diagnostics ("why isn't it showing?"): with the `diagnostics` attribute or ?loyalty-debug=1,
// each problem a theme developer meets is named in the console and in the overlay: a CSP that
// blocks a download, the wasm or the engine's worker, files or an API without CORS, an expired
// token with its expiry, an answer of the wrong shape with its JSON path, and another element
// over the button.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  fixtures,
  openPage,
  rememberBlobWorkerRefused,
  screenshot,
  setup,
  waitForEvent,
} from './helpers.mjs';

let env;
before(async () => {
  env = await setup({ crossOrigin: true });
});
after(async () => {
  await env?.close();
});
beforeEach(() => {
  for (const server of [env.server, env.launcher]) {
    const { customers } = fixtures();
    for (const customer of customers) server.backend.customers.set(customer.id, customer);
    server.backend.failures = {};
  }
  env.launcher.allowOrigins.splice(0, Infinity, env.server.origin);
});

/** Opens a page with diagnostics on; `page.warnings` collects what it logs. */
async function openDiagnosed(query, options = {}) {
  const warnings = [];
  const full = Object.fromEntries(
    Object.entries({ diagnostics: '', customer: 'c-2002', ...query }).filter(
      ([, value]) => value !== undefined,
    ),
  );
  const page = await openPage(env, full, {
    waitReady: false,
    ...options,
    before: (tab) =>
      tab.on('console', (message) => {
        if (message.text().startsWith('loyalty-launcher diagnostics:')) {
          warnings.push({ type: message.type(), text: message.text() });
        }
      }),
  });
  page.warnings = warnings;
  return page;
}

const overlay = (page) => page.locator('[data-loyalty-diagnostics] section');

/** Waits for the finding whose id starts with `prefix` (and whose text matches); its text. */
async function finding(page, prefix, pattern = /./) {
  const item = page
    .locator(`[data-loyalty-diagnostics] li[data-finding^="${prefix}"]`)
    .filter({ hasText: pattern });
  await item.first().waitFor();
  return item.first().textContent();
}

/** The console.warn for a finding, as the overlay words it. */
const warned = (page, title) =>
  page.warnings.some((warning) => warning.type === 'warning' && warning.text.includes(title));

describe('diagnostics', () => {
  test('a CSP without the launcher in connect-src: the blocked downloads and the fix', async () => {
    const launcher = env.launcher.origin;
    const page = await openDiagnosed({ mode: 'loader', launcher, csp: 'noConnect' });
    const text = await finding(page, `csp:connect-src:${launcher}/web/loyalty-core.wasm`);
    assert.match(text, /The Content-Security-Policy blocks a launcher download/);
    assert.ok(text.includes(`connect-src refused ${launcher}/web/loyalty-core.wasm`), text);
    assert.ok(text.includes(`Add ${launcher} to the page's connect-src`), text);
    // The engine could not start: its finding says what a check of the file met.
    assert.match(
      await finding(page, 'core:'),
      /The engine \(loyalty-core\.wasm\) was refused by the page's Content-Security-Policy/,
    );
    assert.ok(warned(page, 'The Content-Security-Policy blocks a launcher download'));
    // Diagnostics never throws into the page.
    assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
    await screenshot(page, 'diagnostics-csp');
    await page.close();
  });

  test("a CSP that refuses the engine's blob: worker: named, with the fix", async () => {
    await rememberBlobWorkerRefused(env, false);
    const launcher = env.launcher.origin;
    const page = await openDiagnosed({ mode: 'loader', launcher }, { waitReady: true });
    const text = await finding(page, 'csp:worker-src:blob');
    assert.match(text, /keeps the rewards engine on the page's main thread/);
    assert.ok(text.includes(`Add blob: ${launcher} to the page's worker-src`), text);
    // The launcher itself works on.
    assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
    await page.close();
  });

  test("?loyalty-debug=1: a CSP without 'wasm-unsafe-eval' is named", async () => {
    // On the main thread: a worker's CSP is the one its own file is served with, not the page's.
    const page = await openDiagnosed({
      'loyalty-debug': '1',
      diagnostics: undefined,
      csp: 'noWasm',
      'core-worker': 'none',
    });
    const text = await finding(page, 'csp:wasm-eval');
    assert.ok(text.includes("Add 'wasm-unsafe-eval' to the page's script-src"), text);
    await page.close();
  });

  test('launcher files served without CORS headers', async () => {
    env.launcher.backend.failures['web/loyalty-panel.js'] = 'noCors';
    const page = await openDiagnosed({ mode: 'loader', launcher: env.launcher.origin });
    const text = await finding(page, 'load:panel');
    assert.match(text, /The panel code \(loyalty-panel\.js\) is served without CORS headers/);
    assert.ok(text.includes(`${env.launcher.origin}/web/loyalty-panel.js answers`), text);
    assert.match(text, /Access-Control-Allow-Origin: \*/);
    await page.close();
  });

  test("an API that does not allow the shop's origin", async () => {
    env.launcher.allowOrigins.length = 0;
    const page = await openDiagnosed({ mode: 'loader', launcher: env.launcher.origin });
    const text = await finding(page, 'api:cors');
    assert.ok(text.includes(`${env.launcher.origin}/api/v1/program answers`), text);
    assert.ok(text.includes(`--allow-origin ${env.server.origin}`), text);
    await page.close();
  });

  test('an expired token, with its expiry read from the token', async () => {
    // 1700000000 = 2023-11-14T22:13:20Z; the backend answers 401 auth.expiredToken.
    const page = await openDiagnosed({ expires: '1700000000' });
    const text = await finding(page, 'token:expired', /auth\.expiredToken/);
    assert.match(text, /The shopper token has expired/);
    assert.match(text, /expires 2023-11-14T22:13:20Z \(\d+ days ago\)/);
    assert.match(text, /The backend answered 401 auth\.expiredToken/);
    assert.ok(warned(page, '2023-11-14T22:13:20Z'));
    await page.close();
  });

  test('an answer of the wrong shape, with the JSON path', async () => {
    env.server.backend.failures.customer = 'wrongTypes';
    const page = await openDiagnosed({});
    const text = await finding(page, 'shape:customer');
    assert.ok(
      text.includes(
        `The API's customer (${env.server.origin}/api/v1/customer) has an unexpected shape`,
      ),
      text,
    );
    assert.match(text, /\/ledger: must be a list/);
    await page.close();
  });

  test('a button covered by another element, named with its z-index', async () => {
    const page = await openDiagnosed({ cover: '' });
    const text = await finding(page, 'button:covered');
    assert.match(text, /clicks land on div#cookie-banner\.cover \(z-index 2147483647\)/);
    assert.match(text, /the launcher's z-index is 2147483000/);
    await screenshot(page, 'diagnostics-covered');
    // The overlay is a labelled region that passes axe, and Escape dismisses it.
    assert.equal(await overlay(page).getAttribute('aria-labelledby'), 'loyalty-diagnostics-title');
    await page.addScriptTag({ url: '/vendor/axe.min.js' });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(
        { include: [['[data-loyalty-diagnostics]']] },
        { resultTypes: ['violations'] },
      );
      return result.violations.map((violation) => violation.id);
    });
    assert.deepEqual(violations, []);
    await page.getByRole('button', { name: 'Dismiss diagnostics' }).focus();
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('[data-loyalty-diagnostics]').count(), 0);
    await page.close();
  });

  test('the cover goes: the finding goes; nothing wrong: the overlay says so', async () => {
    const page = await openDiagnosed({ cover: '' }, { waitReady: true });
    await finding(page, 'button:covered');
    await page.evaluate(() => document.getElementById('cookie-banner').remove());
    await page.locator('[data-loyalty-diagnostics] li[data-finding^="button:"]').waitFor({
      state: 'detached',
    });
    await overlay(page).getByText('No problems found').waitFor();
    await page.getByRole('button', { name: 'Dismiss diagnostics' }).click();
    assert.equal(await page.locator('[data-loyalty-diagnostics]').count(), 0);
    assert.equal(
      await page.evaluate(
        () => document.querySelector('loyalty-launcher').shadowRoot.activeElement?.part.value,
      ),
      'launcher',
    );
    await page.close();
  });

  test('without the attribute or the flag, nothing of it loads', async () => {
    const requests = [];
    const page = await openPage(
      env,
      { customer: 'c-2002' },
      { before: (tab) => tab.on('request', (request) => requests.push(request.url())) },
    );
    await waitForEvent(page, 'loyalty:ready');
    assert.ok(!requests.some((url) => url.includes('loyalty-diagnostics')));
    assert.equal(await page.locator('[data-loyalty-diagnostics]').count(), 0);
    await page.close();
  });
});
