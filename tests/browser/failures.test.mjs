// A bad backend never breaks the page: each failure shows a readable error and a retry in the
// panel, the launcher stays, and nothing uncaught reaches the host page.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fixtures, inPanel, openPage, screenshot, setup, waitForEvent } from './helpers.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});
beforeEach(() => {
  const { customers } = fixtures();
  for (const customer of customers) env.server.backend.customers.set(customer.id, customer);
  env.server.backend.failures = {};
});

const cases = [
  {
    name: 'backend down',
    failures: { program: 'down' },
    message: 'Could not reach the rewards server.',
    kind: 'network',
  },
  {
    name: '500 with an HTML body',
    failures: { program: 'html500' },
    message: 'The rewards server answered with an error (500).',
    kind: 'http',
  },
  {
    name: 'timeout',
    failures: { customer: 'timeout' },
    query: { timeout: '300' },
    message: 'The rewards server took too long to answer.',
    kind: 'timeout',
  },
  {
    name: 'truncated JSON',
    failures: { program: 'truncated' },
    message: 'The rewards server sent an answer that is not valid JSON.',
    kind: 'notJson',
  },
  {
    name: 'wrong types',
    failures: { customer: 'wrongTypes' },
    message: 'Your account data could not be read.',
    detail: /^\/ledger: must be a list/,
    kind: 'customer',
  },
  {
    name: 'a 5 MB payload',
    failures: { program: 'huge' },
    message: 'The rewards server sent too much data.',
    kind: 'tooLarge',
  },
  {
    name: 'an answer nested 100,000 levels deep',
    failures: { customer: 'deep' },
    message: 'Your account data could not be read.',
    detail: /^\/deep(\/0){63}: nested deeper than 64 levels, the most any JSON input may have$/,
    kind: 'customer',
  },
  {
    name: 'negative balance',
    failures: { customer: 'negative' },
    message: 'Your account data could not be read.',
    detail: /^\/summary\/balance: must be a whole number of points, 0 or more/,
    kind: 'customer',
  },
  {
    name: 'unknown reward type',
    failures: { program: 'unknownReward' },
    message: 'The rewards program could not be read.',
    detail: /^\/rewards\/6\/type: must be one of/,
    kind: 'program',
  },
  {
    name: 'expired token (401)',
    customer: 'c-404',
    failures: {},
    message: 'Your session has expired. Please sign in again.',
    kind: 'unauthorized',
  },
];

describe('bad backends', () => {
  for (const failureCase of cases) {
    test(`${failureCase.name}: readable error, retry, page intact`, async () => {
      env.server.backend.failures = { ...failureCase.failures };
      const page = await openPage(
        env,
        { customer: failureCase.customer ?? 'c-2002', ...(failureCase.query ?? {}) },
        { waitReady: false },
      );
      const error = await waitForEvent(page, 'loyalty:error');
      assert.equal(error.kind, failureCase.kind);
      await page.locator('loyalty-launcher [part="launcher"]').click();
      const alert = inPanel(page, '[part="error"]');
      await alert.waitFor();
      const lines = await alert.locator('p').allTextContents();
      assert.deepEqual(lines, ['Rewards are unavailable right now', failureCase.message]);
      if (failureCase.detail) {
        assert.match(await alert.locator('li').first().textContent(), failureCase.detail);
      }
      assert.equal(await inPanel(page, '[part="retry"]').isVisible(), true);
      assert.equal(await page.locator('loyalty-launcher [part="launcher"]').isVisible(), true);
      assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
      assert.deepEqual(page.problems, []);
      await screenshot(page, `failure-${failureCase.name.replace(/\W+/g, '-')}`);
      if (!failureCase.customer) {
        // The backend recovers: Try again shows the panel.
        env.server.backend.failures = {};
        await inPanel(page, '[part="retry"]').click();
        await inPanel(page, '[part="balance"]').waitFor();
        assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
        assert.equal(await inPanel(page, '[part="error"]').count(), 0);
      }
      await page.close();
    });
  }

  test('the last good state stays when the backend goes down (stale-while-revalidate)', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    env.server.backend.failures = { program: 'down', customer: 'down' };
    await page.reload();
    await waitForEvent(page, 'loyalty:error');
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    const notice = inPanel(page, '[part~="stale"] [part="error"]');
    assert.deepEqual(await notice.locator('p').allTextContents(), [
      'Showing saved data: the rewards server could not be reached.',
      'Could not reach the rewards server.',
    ]);
    assert.equal(await inPanel(page, '[part="retry"]').isVisible(), true);
    await screenshot(page, 'failure-stale');
    await page.close();
  });

  test('the wasm core failing to load shows the error panel', async () => {
    const page = await env.context.newPage();
    await page.route(/loyalty-core\.wasm$/, (route) => route.abort());
    await page.goto(`${env.server.origin}/page.html?customer=c-2002`);
    await waitForEvent(page, 'loyalty:error');
    await page.locator('loyalty-launcher [part="launcher"]').click();
    const alert = inPanel(page, '[part="error"]');
    await alert.waitFor();
    assert.equal(
      (await alert.locator('p').allTextContents())[1],
      'The rewards engine could not start.',
    );
    assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
    await page.close();
  });

  test('an invalid mapping attribute is reported, not thrown', async () => {
    const page = await openPage(
      env,
      { customer: 'c-2002', mapping: '{"customer": 5}' },
      { waitReady: false },
    );
    const error = await waitForEvent(page, 'loyalty:error');
    assert.equal(error.kind, 'mapping');
    assert.deepEqual(error.details, [
      '/customer: must be an object of "target pointer": "source pointer"',
    ]);
    await page.close();
  });

  test('a mapping nested 100,000 levels deep is reported with its path, not thrown', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    await page.evaluate(
      (deep) => {
        const mapping = `{"customer": {"nickname": {"value": ${deep}}}}`;
        document.querySelector('loyalty-launcher').setAttribute('mapping', mapping);
      },
      '['.repeat(1e5) + ']'.repeat(1e5),
    );
    const error = await waitForEvent(page, 'loyalty:error');
    assert.equal(error.kind, 'mapping');
    // The root is level 1, so the 65th is the 62nd array under "value".
    assert.deepEqual(error.details, [
      `/customer/nickname/value${'/0'.repeat(61)}: nested deeper than 64 levels, the most any JSON input may have`,
    ]);
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    const alert = inPanel(page, '[part="error"]');
    await alert.waitFor();
    assert.equal(
      (await alert.locator('p').allTextContents())[1],
      'The mapping setting is not valid.',
    );
    assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});
