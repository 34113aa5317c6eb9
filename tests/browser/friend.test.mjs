// The referred friend's side: a visitor who arrives through a referral link is greeted with the
// friend's reward and the advocate's first name (a bubble by the button, a section in the
// panel), claims it with an email address, and keeps the code on later pages.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { axe, fixtures, inPanel, openPage, screenshot, setup } from './helpers.mjs';

const data = fixtures();
let env;
before(async () => {
  env = await setup(data);
});
after(async () => {
  await env?.close();
});
beforeEach(async () => {
  env.server.backend.requests.length = 0;
  env.server.backend.friendOffers = new Map();
  // The arrival is kept in the origin's localStorage, which the tests' pages share.
  const blank = await env.context.newPage();
  await blank.goto(`${env.server.origin}/page.html?mode=none`);
  await blank.evaluate(() => localStorage.clear());
  await blank.close();
});

const callout = (page) => page.locator('loyalty-launcher [part="callout"]');
const lookups = () =>
  env.server.backend.requests.filter((request) => request.endpoint.startsWith('referrals/B'));
const claims = () =>
  env.server.backend.requests.filter((request) => request.endpoint === 'referrals/friend');

/** A page that arrived through `query` (storage cleared by beforeEach). */
const arrive = (query) => openPage(env, query);

describe('a visitor through a referral link', () => {
  test('is greeted by a bubble, opens the greeting and claims the code with an email', async () => {
    const page = await arrive({ locale: 'en', ref: 'BEA-9K4' });
    await callout(page).waitFor();
    assert.equal(
      await callout(page).locator('[part="callout-open"]').textContent(),
      'Bea sent you 10% off',
    );
    assert.equal(
      await callout(page).locator('[part="callout-dismiss"]').getAttribute('aria-label'),
      'Dismiss',
    );
    assert.equal(lookups().length, 1, 'one lookup of the code');
    await screenshot(page, 'friend-callout');

    await callout(page).locator('[part="callout-open"]').click();
    const section = inPanel(page, '#loyalty-section-friend');
    await section.waitFor();
    assert.equal(await callout(page).count(), 0, 'the bubble goes once opened');
    assert.equal(
      await page.evaluate(
        () => document.querySelector('loyalty-launcher').shadowRoot.activeElement?.id,
      ),
      'loyalty-section-friend',
      'focus moves to the greeting',
    );
    assert.equal(await section.locator('h3').textContent(), 'Bea sent you a gift');
    assert.equal(
      await section.locator('[part="friend-reward"]').textContent(),
      '10% off on your first order',
    );

    // A malformed address is refused before anything is sent, in the panel's words.
    const field = section.locator('input[type="email"]');
    await field.fill('bea at example');
    await section.locator('[part="friend-claim"]').click();
    await section.locator('[role="alert"]').waitFor();
    assert.match(await section.locator('[role="alert"]').textContent(), /Enter your email/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(claims().length, 0);

    await field.fill('dee@example.com');
    await field.press('Enter');
    const code = section.locator('[part="coupon-code"]');
    await code.waitFor();
    assert.match(await code.textContent(), /^REF-TEST-\d+$/);
    assert.equal(claims().length, 1);
    assert.deepEqual(JSON.parse(claims()[0].body), { code: 'BEA-9K4', email: 'dee@example.com' });
    assert.equal(await inPanel(page, '[data-key="copy-friend"]').count(), 1);
    await screenshot(page, 'friend-claimed');
    assert.deepEqual(await axe(page), []);
    const first = await code.textContent();

    // A later page of the shop, without the link: the greeting and the code stay, no bubble.
    await page.goto(`${env.server.origin}/page.html?locale=en`);
    await page.locator('loyalty-launcher [part="launcher"]').waitFor();
    await page.evaluate(() => document.querySelector('loyalty-launcher').open('friend'));
    await inPanel(page, '#loyalty-section-friend [part="coupon-code"]').waitFor();
    assert.equal(
      await inPanel(page, '#loyalty-section-friend [part="coupon-code"]').textContent(),
      first,
    );
    assert.equal(await callout(page).count(), 0);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('a refusal from the backend is shown in the shopper language, and nothing is lost', async () => {
    const page = await arrive({ locale: 'de', ref: 'BEA-9K4' });
    await callout(page).waitFor();
    assert.match(await callout(page).textContent(), /Bea/);
    await page.evaluate(() => document.querySelector('loyalty-launcher').open('friend'));
    const section = inPanel(page, '#loyalty-section-friend');
    await section.waitFor();
    const title = await section.locator('h3').textContent();
    assert.match(title, /Bea/);
    assert.doesNotMatch(title, /sent you/);
    // The advocate's own address: the backend refuses it as a self-referral.
    await section.locator('input[type="email"]').fill('bea@example.com');
    await section.locator('[part="friend-claim"]').click();
    await section.locator('[role="alert"]').waitFor();
    const refusal = await section.locator('[role="alert"]').textContent();
    assert.doesNotMatch(refusal, /referral\.selfReferral|own referral link/);
    assert.ok(refusal.length > 10, refusal);
    assert.equal(await section.locator('input[type="email"]').inputValue(), 'bea@example.com');
    assert.equal(await section.locator('[part="coupon-code"]').count(), 0);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('dismissing the bubble keeps it away for the session', async () => {
    const page = await arrive({ locale: 'en', ref: 'BEA-9K4' });
    await callout(page).waitFor();
    await callout(page).locator('[part="callout-dismiss"]').click();
    assert.equal(await callout(page).count(), 0);
    await page.reload();
    await page.locator('loyalty-launcher [part="launcher"]').waitFor();
    await page.evaluate(() => document.querySelector('loyalty-launcher').open('friend'));
    await inPanel(page, '#loyalty-section-friend').waitFor(); // the greeting is still in the panel
    assert.equal(await callout(page).count(), 0);
    await page.close();
  });

  test('the advocate and an unknown code see no greeting', async () => {
    const own = await arrive({ customer: 'c-2002', locale: 'en', ref: 'BEA-9K4' });
    await own.evaluate(() => document.querySelector('loyalty-launcher').open());
    await inPanel(own, '#loyalty-title').waitFor();
    await own.waitForFunction(() => window.__loyalty.events.length > 0);
    assert.equal(await inPanel(own, '#loyalty-section-friend').count(), 0);
    assert.equal(await callout(own).count(), 0);
    await own.close();

    const unknown = await arrive({ locale: 'en', ref: 'NOBODY-1' });
    await unknown.waitForFunction(() =>
      document.querySelector('loyalty-launcher').shadowRoot.querySelector('[part="panel"]'),
    );
    await unknown.evaluate(() => document.querySelector('loyalty-launcher').open());
    await inPanel(unknown, '#loyalty-title').waitFor();
    assert.equal(await inPanel(unknown, '#loyalty-section-friend').count(), 0);
    assert.equal(await callout(unknown).count(), 0);
    assert.deepEqual(unknown.problems, []);
    await unknown.close();
  });

  test('a hostile first name from the backend is text, never markup', async () => {
    const bea = env.server.backend.customers.get('c-2002');
    const name = bea.firstName;
    bea.firstName = '<img src=x onerror="window.__pwned=1">';
    try {
      const page = await arrive({ locale: 'en', ref: 'BEA-9K4' });
      await callout(page).waitFor();
      assert.match(await callout(page).textContent(), /<img src=x/);
      await page.evaluate(() => document.querySelector('loyalty-launcher').open('friend'));
      await inPanel(page, '#loyalty-section-friend').waitFor();
      assert.equal(await inPanel(page, '#loyalty-section-friend img').count(), 0);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      await page.close();
    } finally {
      bea.firstName = name;
    }
  });
});
