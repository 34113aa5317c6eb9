// A bad backend never breaks the page: each failure shows a readable error and a retry in the
// panel, the launcher stays, and nothing uncaught reaches the host page.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  events,
  fixtures,
  inPanel,
  openPage,
  screenshot,
  setup,
  waitForEvent,
} from './helpers.mjs';

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
      // The JSON path and problem go to the page (and diagnostics), not to the shopper.
      if (failureCase.detail) assert.match(error.details[0], failureCase.detail);
      await page.locator('loyalty-launcher [part="launcher"]').click();
      const alert = inPanel(page, '[part="error"]');
      await alert.waitFor();
      // One message per failure, in the shopper's words only.
      assert.equal(await alert.textContent(), failureCase.message);
      assert.equal(await inPanel(page, '[part="retry"]').isVisible(), true);
      assert.equal(await page.locator('loyalty-launcher [part="launcher"]').isVisible(), true);
      assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
      assert.deepEqual(page.problems, []);
      await screenshot(page, `failure-${failureCase.name.replace(/\W+/g, '-')}`);
      {
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

  test('in another catalog the error is all in that language: no English JSON path', async () => {
    env.server.backend.failures = { customer: 'wrongTypes' };
    const page = await openPage(
      env,
      { customer: 'c-2002', locale: 'lv', lang: 'lv' },
      { waitReady: false },
    );
    const error = await waitForEvent(page, 'loyalty:error');
    assert.match(error.details[0], /^\/ledger: must be/);
    await page.locator('loyalty-launcher [part="launcher"]').click();
    const alert = inPanel(page, '[part="error"]');
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Jūsu konta datus neizdevās nolasīt.');
    assert.equal(await inPanel(page, '[part="retry"]').textContent(), 'Mēģināt vēlreiz');
    await page.close();
  });

  test('the last good state stays when the backend goes down (stale-while-revalidate)', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    env.server.backend.failures = { program: 'down', customer: 'down' };
    await page.reload();
    await waitForEvent(page, 'loyalty:error');
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    const notice = inPanel(page, '[part~="stale"] [part="error"]');
    assert.deepEqual(await notice.locator('p').allTextContents(), [
      'Showing saved data. Could not reach the rewards server.',
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
    assert.deepEqual(await alert.locator('p').allTextContents(), [
      'The rewards engine could not start.',
    ]);
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
    assert.deepEqual(await alert.locator('p').allTextContents(), [
      'The mapping setting is not valid.',
    ]);
    assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});

describe('when things go wrong, the shopper is told once and where they look', () => {
  const storedKeys = (page) => page.evaluate(() => Object.keys(sessionStorage));
  const launcher = (page) => page.locator('loyalty-launcher [part="launcher"]');

  test('a 401 after a good load clears the balance and shows the signed-out state', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    await launcher(page).click();
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    assert.ok((await storedKeys(page)).some((key) => key.includes('c-2002')));
    // The token is refused from now on (the fake backend knows no such shopper any more).
    env.server.backend.customers.delete('c-2002');
    await page.evaluate(() => document.querySelector('loyalty-launcher').refresh());
    const notice = inPanel(page, '[part~="signed-out"]');
    await notice.waitFor();
    assert.equal(
      await notice.locator('[role="alert"]').textContent(),
      'Your session has expired. Please sign in again.',
    );
    assert.equal(
      await notice.locator('a[part="sign-in"]').getAttribute('href'),
      `${env.server.origin}/login`,
    );
    // Nothing of the shopper's stays: no balance, no member sections, the guest view instead.
    assert.equal(await inPanel(page, '[part="balance"]').count(), 0);
    assert.equal(await inPanel(page, '#loyalty-section-activity').count(), 0);
    assert.equal(await inPanel(page, '[part~="guest"]').count(), 1);
    assert.equal(await page.locator('loyalty-launcher [part="badge"]').isVisible(), false);
    // ... nor in storage: the next page view paints no balance either.
    assert.deepEqual(
      (await storedKeys(page)).filter((key) => key.includes('c-2002')),
      [],
      'customer cache and badge are gone',
    );
    assert.equal((await waitForEvent(page, 'loyalty:error')).kind, 'unauthorized');
    await screenshot(page, 'failure-signed-out');
    await page.reload();
    await waitForEvent(page, 'loyalty:error');
    assert.equal(await page.locator('loyalty-launcher [part="badge"]').isVisible(), false);
    assert.deepEqual(page.problems ?? [], []);
    await page.close();
  });

  test('a server that never answers shows the retrying state within 3 s', async () => {
    env.server.backend.failures = { program: 'timeout' };
    const page = await env.context.newPage();
    // The page's own timers run on a fake clock: the test moves it, nothing waits for real time.
    await page.clock.install();
    await page.goto(`${env.server.origin}/page.html?customer=c-2002`);
    await launcher(page).click();
    await inPanel(page, '[part="skeleton"]').waitFor();
    const asked = () => env.server.backend.requests.some((r) => r.endpoint === 'program');
    while (!asked()) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await inPanel(page, '[part~="retrying"]').count(), 0);
    await page.clock.runFor(3000);
    const retrying = inPanel(page, '[part~="retrying"]');
    await retrying.waitFor();
    assert.equal(
      await retrying.locator('[role="status"]').textContent(),
      'Still trying to reach the rewards server…',
    );
    // Still loading, not failed: the skeleton stays, and no error was reported yet.
    assert.equal(await inPanel(page, '[part="skeleton"]').count(), 1);
    assert.equal(await inPanel(page, '[part="error"]').count(), 0);
    await screenshot(page, 'failure-retrying');
    await page.close();
  });

  test('one message per failure: the retrying notice gives way to the error', async () => {
    env.server.backend.failures = { program: 'timeout' };
    const page = await openPage(env, { customer: 'c-2002', timeout: '300' }, { waitReady: false });
    await launcher(page).click();
    await inPanel(page, '[part~="retrying"]').waitFor(); // at the first retry
    await waitForEvent(page, 'loyalty:error');
    const messages = inPanel(page, '[role="alert"], [role="status"]:not(:empty)');
    await inPanel(page, '[part="error"]').waitFor();
    assert.deepEqual(await messages.allTextContents(), [
      'The rewards server took too long to answer.',
    ]);
    assert.equal(await inPanel(page, '[part~="retrying"]').count(), 0);
    const errors = (await events(page)).filter((event) => event.type === 'loyalty:error');
    assert.equal(errors.length, 1);
    await page.close();
  });

  test('the notice is pinned where the shopper is looking, however far they scrolled', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    await launcher(page).click();
    const panel = page.locator('loyalty-launcher [part="panel"]');
    await panel.evaluate((node) => {
      node.scrollTop = node.scrollHeight;
    });
    env.server.backend.failures = { program: 'down', customer: 'down' };
    await page.evaluate(() => document.querySelector('loyalty-launcher').refresh());
    const notice = inPanel(page, '[part~="stale"]');
    await notice.waitFor();
    assert.ok((await panel.evaluate((node) => node.scrollTop)) > 0, 'still scrolled down');
    const box = await notice.boundingBox();
    const frame = await panel.boundingBox();
    assert.ok(box.y >= frame.y && box.y + box.height <= frame.y + frame.height, 'in view');
    assert.equal(await inPanel(page, '[part="retry"]').isVisible(), true);
    await screenshot(page, 'failure-stale-scrolled');
    await page.close();
  });

  test('a loading skeleton in the panel shape, busy for assistive technology', async () => {
    let release;
    let asked;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    const programAsked = new Promise((resolve) => {
      asked = resolve;
    });
    const page = await env.context.newPage();
    await page.route(/\/api\/v1\/program$/, async (route) => {
      asked();
      await held;
      await route.continue();
    });
    await page.goto(`${env.server.origin}/page.html?customer=c-2002`);
    // The panel code is loading the documents; a closed panel draws no skeleton (no shopper
    // sees it): it waits for the view, and opening draws the skeleton at once.
    await programAsked;
    const closedChildren = () =>
      page.evaluate(() => {
        const root = document.querySelector('loyalty-launcher').shadowRoot;
        return root.querySelector('[part="panel"]').childElementCount;
      });
    await page.evaluate(() => new Promise((done) => setTimeout(done, 100)));
    assert.equal(await closedChildren(), 0);
    await launcher(page).click();
    const skeleton = inPanel(page, '[part="skeleton"]');
    await skeleton.waitFor();
    const panel = page.locator('loyalty-launcher [part="panel"]');
    assert.equal(await panel.getAttribute('aria-busy'), 'true');
    assert.equal(await skeleton.locator('[role="status"]').textContent(), 'Loading your rewards…');
    assert.equal(await skeleton.locator('[aria-hidden="true"] .bone-card').count(), 2);
    assert.equal(await skeleton.locator('.bone.balance').count(), 1);
    await screenshot(page, 'loading-skeleton');
    release();
    await inPanel(page, '[part="balance"]').waitFor();
    assert.equal(await skeleton.count(), 0);
    assert.equal(await panel.getAttribute('aria-busy'), null);
    await page.close();
  });

  test('the skeleton stands still under reduced motion', async () => {
    const page = await env.context.newPage();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.route(/\/api\/v1\/program$/, () => {}); // never answered
    await page.goto(`${env.server.origin}/page.html?customer=c-2002`);
    await launcher(page).click();
    const bone = inPanel(page, '.skeleton .bone').first();
    await bone.waitFor();
    assert.equal(await bone.evaluate((node) => getComputedStyle(node).animationName), 'none');
    await page.close();
  });
});
