// Where the wasm core runs: in a Web Worker when the launcher's files are on the shop's origin,
// and from another origin through a blob: worker unless the page's CSP refuses it (seen in a
// <meta>, or met once and remembered), else on the main thread; a worker that can't start leaves
// the main thread to do it. Every way shows the same balance and quotes a redemption.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { inPanel, openPage, rememberBlobWorkerRefused, setup } from './helpers.mjs';

let env;
before(async () => {
  env = await setup({ crossOrigin: true });
});
after(async () => {
  await env?.close();
});
beforeEach(() => {
  env.server.backend.failures = {};
  env.launcher.backend.failures = {};
});

const coreWorkers = (page) =>
  page.workers().filter((worker) => /loyalty-core-worker\.js$|^blob:/.test(worker.url()));

/** Opens the panel and a flexible reward's dialog: the balance and the dialog's points. */
async function balanceAndQuote(page) {
  await page.locator('loyalty-launcher [part="launcher"]').click();
  const balance = await inPanel(page, '[part="balance"]').textContent();
  await inPanel(page, '[data-reward="flex"] [part="redeem"]').click();
  const input = inPanel(page, '[data-reward="flex"] input[type="number"]');
  return { balance, max: await input.getAttribute('max') };
}

const MEMBER = { balance: '1,250 points', max: '1200' };

/** A shop page with the launcher from the other origin; `refused`: what the shop remembers. */
async function openFromOtherOrigin(query, { refused = false } = {}) {
  await rememberBlobWorkerRefused(env, refused);
  return openPage(env, { customer: 'c-2002', launcher: env.launcher.origin, ...query });
}

const violations = (page) => page.evaluate(() => window.__loyalty.violations);

describe('the core in a worker', () => {
  test("the launcher's files on the shop's origin: a worker runs the core", async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    assert.deepEqual(await balanceAndQuote(page), MEMBER);
    const [worker] = coreWorkers(page);
    assert.equal(worker?.url(), `${env.server.origin}/web/loyalty-core-worker.js`);
    // The worker loaded the core: its module is in the worker's scope, not the page's.
    assert.equal(await worker.evaluate(() => typeof self.onmessage), 'function');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('core-worker="none": the main thread runs the core', async () => {
    const page = await openPage(env, { customer: 'c-2002', 'core-worker': 'none' });
    assert.deepEqual(await balanceAndQuote(page), MEMBER);
    assert.deepEqual(coreWorkers(page), []);
    await page.close();
  });

  test("a worker file that can't load: the main thread takes over", async () => {
    env.server.backend.failures['web/loyalty-core-worker.js'] = 'missing';
    const page = await openPage(env, { customer: 'c-2002' });
    assert.deepEqual(await balanceAndQuote(page), MEMBER);
    assert.deepEqual(coreWorkers(page), []);
    await page.close();
  });

  test('from another origin on a page without a CSP: a blob: worker runs the core', async () => {
    const page = await openFromOtherOrigin({ csp: 'none' });
    assert.deepEqual(await balanceAndQuote(page), MEMBER);
    const [worker] = coreWorkers(page);
    assert.match(worker?.url() ?? '', /^blob:/);
    assert.equal(await worker.evaluate(() => typeof self.onmessage), 'function');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('from another origin under a header CSP that refuses blob: refused once, then remembered', async () => {
    const first = await openFromOtherOrigin({});
    assert.deepEqual(await balanceAndQuote(first), MEMBER);
    assert.deepEqual(coreWorkers(first), []);
    // The one try: its report names the worker and blob:, nothing else was refused.
    assert.deepEqual(await violations(first), [{ directive: 'worker-src', blocked: 'blob' }]);
    assert.equal(first.problems.length, 1);
    assert.match(first.problems[0], /worker from 'blob:/);
    await first.close();

    const next = await openPage(env, { customer: 'c-2002', launcher: env.launcher.origin });
    assert.deepEqual(await balanceAndQuote(next), MEMBER);
    assert.deepEqual(coreWorkers(next), []);
    assert.deepEqual(await violations(next), []);
    assert.deepEqual(next.problems, []);
    await next.close();
  });

  test('from another origin under a CSP the page shows (<meta>): not asked, no report', async () => {
    const page = await openFromOtherOrigin({ csp: 'meta' });
    assert.deepEqual(await balanceAndQuote(page), MEMBER);
    assert.deepEqual(coreWorkers(page), []);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('from another origin with core-worker="none": the main thread, no try', async () => {
    const page = await openFromOtherOrigin({ csp: 'none', 'core-worker': 'none' });
    assert.deepEqual(await balanceAndQuote(page), MEMBER);
    assert.deepEqual(coreWorkers(page), []);
    await page.close();
  });

  test('core-worker="blob" tries even where a refusal is remembered; worker-src blob: lets it', async () => {
    const page = await openFromOtherOrigin(
      { 'core-worker': 'blob', csp: 'workerBlob' },
      { refused: true },
    );
    assert.deepEqual(await balanceAndQuote(page), MEMBER);
    assert.equal(coreWorkers(page).length, 1);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});
