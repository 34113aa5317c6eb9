// The launcher embedded from another origin, as a loyalty service on its own domain or CDN is:
// the shop on one port, the launcher's files and API on another, the shop page under a strict
// CSP that allows only that origin. The script tag, the element and the ES module each load,
// open, redeem and share; a panel download that fails shows "Rewards unavailable" with a retry.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  axe,
  fixtures,
  inPanel,
  openPage,
  rememberBlobWorkerRefused,
  screenshot,
  setup,
  waitForEvent,
  waitForFocus,
} from './helpers.mjs';

let env;
before(async () => {
  env = await setup({ crossOrigin: true });
  // A browser that has met this shop's strict CSP before: the core's one refused try of a
  // blob: worker (and its CSP report) on a first visit is worker.test.mjs's subject.
  await rememberBlobWorkerRefused(env, true);
  // Share targets are other sites; answer them locally so popups load.
  await env.context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.fulfill({ contentType: 'text/html', body: '<title>elsewhere</title>' }),
  );
});
after(async () => {
  await env?.close();
});
beforeEach(() => {
  const { customers } = fixtures();
  for (const customer of customers) env.launcher.backend.customers.set(customer.id, customer);
  env.launcher.backend.failures = {};
  env.launcher.backend.requests.length = 0;
  env.launcher.backend.serial = 0;
  env.server.backend.requests.length = 0;
});

/** Opens a shop page whose launcher comes from the other origin; records every request. */
async function openShop(query, options) {
  const urls = [];
  const page = await openPage(
    env,
    { launcher: env.launcher.origin, customer: 'c-2002', ...query },
    { ...options, before: (tab) => tab.on('request', (request) => urls.push(request.url())) },
  );
  page.requests = urls;
  return page;
}

const EMBEDS = [
  ['the script tag', 'loader'],
  ['the <loyalty-launcher> element with the script', 'embed'],
  ['the ES module import', 'module'],
];

describe('embedded from another origin under a strict CSP', () => {
  for (const [name, mode] of EMBEDS) {
    test(`${name}: loads, opens, redeems and shares`, async () => {
      const page = await openShop({ mode });
      const launcher = env.launcher.origin;
      await page.locator('loyalty-launcher [part="launcher"]').click();
      await inPanel(page, '#loyalty-title').waitFor();
      assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');

      // Redeem: a preflighted POST to the launcher's API with the token and an Idempotency-Key.
      await inPanel(page, '[data-reward="r5"] [part="redeem"]').click();
      await inPanel(page, '[data-reward="r5"] [part="confirm-button"]').click();
      const code = inPanel(page, '[data-reward="r5"] [part="coupon-code"]');
      await code.waitFor();
      assert.equal(await code.textContent(), 'TEST-R5-1');
      assert.equal((await waitForEvent(page, 'loyalty:redeem')).redemption.code, 'TEST-R5-1');
      assert.equal(await inPanel(page, '[part="balance"]').textContent(), '750 points');
      const [redeem] = env.launcher.backend.requests.filter((r) => r.method === 'POST');
      assert.equal(redeem.endpoint, 'redemptions');
      assert.equal(redeem.headers.origin, env.server.origin);
      assert.equal(redeem.headers.authorization, 'Bearer c-2002.4102444800.test');

      // Share: the channel's URL opens in a new tab.
      await page.evaluate(() => document.querySelector('loyalty-launcher').open('referral'));
      const popupPromise = env.context.waitForEvent('page');
      await inPanel(page, '[part="share"][data-channel="x"]').click();
      const popup = await popupPromise;
      const shared = await waitForEvent(page, 'loyalty:share');
      assert.equal(shared.channel, 'x');
      assert.ok(shared.url.includes(encodeURIComponent('https://maple.example/r/BEA-9K4')));
      await popup.close();

      // Everything of the launcher's came from its own origin; the shop served none of it.
      for (const file of ['loyalty-panel.js', 'loyalty-core.js', 'loyalty-core.wasm']) {
        assert.ok(
          page.requests.includes(`${launcher}/web/${file}`),
          `${file} from ${launcher}: ${page.requests.join(' ')}`,
        );
      }
      assert.deepEqual(
        page.requests.filter((url) => url.startsWith(`${env.server.origin}/web/`)),
        [],
      );
      // Diagnostics cost nothing unless asked for.
      assert.ok(!page.requests.some((url) => url.includes('loyalty-diagnostics')));
      assert.deepEqual(env.server.backend.requests, []);
      const probe = await page.evaluate(() => window.__loyalty);
      assert.deepEqual(probe.violations, []);
      assert.deepEqual(probe.errors, []);
      assert.deepEqual(page.problems, []);
      await screenshot(page, `cross-origin-${mode}`);
      await page.close();
    });
  }

  test("the catalog of the shopper's language comes from the launcher's origin too", async () => {
    const page = await openShop({ mode: 'loader', locale: 'lv', lang: 'lv' });
    await page.locator('loyalty-launcher [part="launcher"]').click();
    await inPanel(page, '[data-key="nav-rewards"]').waitFor();
    assert.equal(await inPanel(page, '[data-key="nav-rewards"]').textContent(), 'Balvas');
    assert.ok(page.requests.includes(`${env.launcher.origin}/web/locales/lv.json`));
    assert.deepEqual(await page.evaluate(() => window.__loyalty.violations), []);
    await page.close();
  });
});

describe('when the panel code cannot load', () => {
  test('the button says "Rewards unavailable" and Try again recovers', async () => {
    // A CDN that forgets the CORS header on one file.
    env.launcher.backend.failures['web/loyalty-panel.js'] = 'noCors';
    const page = await openShop({ mode: 'loader' }, { waitReady: false });
    const note = page.locator('loyalty-launcher [part="unavailable"]');
    await note.waitFor();
    assert.equal(await note.locator('[role="status"]').textContent(), 'Rewards unavailable');
    const retry = page.getByRole('button', { name: 'Try again' });
    assert.equal(await retry.count(), 1);
    assert.equal(
      await page
        .locator('loyalty-launcher [part="launcher"]')
        .evaluate((button) => button.getAttribute('aria-describedby')),
      'loyalty-unavailable',
    );
    const failed = await waitForEvent(page, 'loyalty:error');
    assert.equal(failed.kind, 'load');
    assert.equal(failed.url, `${env.launcher.origin}/web/loyalty-panel.js`);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'cross-origin-unavailable');

    env.launcher.backend.failures = {};
    await retry.click();
    await inPanel(page, '#loyalty-title').waitFor();
    await note.waitFor({ state: 'hidden' });
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    // Focus followed the shopper into the panel, not back to the page.
    await waitForFocus(page, 'loyalty-title');
    assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
    await page.close();
  });

  test("in the shopper's language, by keyboard, when the launcher host is down", async () => {
    env.launcher.backend.failures['web/loyalty-panel.js'] = 'down';
    const page = await openShop({ mode: 'loader', locale: 'lv', lang: 'lv' }, { waitReady: false });
    const note = page.locator('loyalty-launcher [part="unavailable"]');
    await note.waitFor();
    assert.equal(await note.locator('[role="status"]').textContent(), 'Balvas nav pieejamas');
    env.launcher.backend.failures = {};
    await page.getByRole('button', { name: 'Mēģināt vēlreiz' }).focus();
    await page.keyboard.press('Enter');
    await inPanel(page, '#loyalty-title').waitFor();
    await note.waitFor({ state: 'hidden' });
    assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
    await page.close();
  });
});
