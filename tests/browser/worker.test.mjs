// Where the wasm core runs: in a Web Worker when the launcher's files are on the shop's origin
// (or from another origin with core-worker="blob" and a CSP that allows it), else on the main
// thread; a worker that can't start leaves the main thread to do it. Every way shows the same
// balance and quotes a redemption.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { inPanel, openPage, setup } from './helpers.mjs';

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

  test('from another origin: the main thread by default, with no CSP report', async () => {
    const page = await openPage(env, { customer: 'c-2002', launcher: env.launcher.origin });
    assert.deepEqual(await balanceAndQuote(page), MEMBER);
    assert.deepEqual(coreWorkers(page), []);
    assert.deepEqual(await page.evaluate(() => window.__loyalty.violations), []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('from another origin with core-worker="blob" and worker-src blob:, a worker', async () => {
    const page = await openPage(env, {
      customer: 'c-2002',
      launcher: env.launcher.origin,
      'core-worker': 'blob',
      csp: 'workerBlob',
    });
    assert.deepEqual(await balanceAndQuote(page), MEMBER);
    assert.equal(coreWorkers(page).length, 1);
    assert.deepEqual(await page.evaluate(() => window.__loyalty.violations), []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});
