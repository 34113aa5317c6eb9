// Each section shows the core's values: hand-checked numbers for one member, the core's own view
// as the oracle for every sample customer and the guest view (other languages: locales.test.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  NOW,
  coreView,
  fixtures,
  formatIn,
  inPanel,
  openPage,
  screenshot,
  setup,
} from './helpers.mjs';

const data = fixtures();
let env;
before(async () => {
  env = await setup(data);
});
after(async () => {
  await env?.close();
});

async function openPanel(query, section) {
  const page = await openPage(env, query);
  await page.evaluate((name) => document.querySelector('loyalty-launcher').open(name), section);
  await inPanel(page, '#loyalty-title').waitFor();
  return page;
}

const texts = (locator) =>
  locator.evaluateAll((nodes) => nodes.map((node) => node.textContent.trim()));

describe('a member with a summary (Bea: 1,250 points, Gold)', () => {
  let page;
  before(async () => {
    page = await openPanel({ customer: 'c-2002' });
  });
  after(async () => {
    await page.close();
  });

  test('header: greeting, balance and progress to the next reward', async () => {
    assert.equal(await inPanel(page, '[part="header"] p').first().textContent(), 'Hi Bea');
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    const bar = inPanel(page, '[part="header"] [role="progressbar"]');
    assert.equal(await bar.getAttribute('aria-valuemin'), '0');
    assert.equal(await bar.getAttribute('aria-valuemax'), '1500');
    assert.equal(await bar.getAttribute('aria-valuenow'), '1250');
    assert.equal(await bar.getAttribute('aria-label'), 'Progress to Free Maple mug');
    assert.equal(
      await inPanel(page, '[part="next-reward"]').textContent(),
      '250 points to go for Free Maple mug',
    );
    const fill = await bar
      .locator('.fill')
      .evaluate((node) => node.style.getPropertyValue('--fill'));
    assert.equal(fill, '83.3%');
    await screenshot(page, 'member-header');
  });

  test('expiring points notice', async () => {
    assert.equal(
      await inPanel(page, '[part~="expiring"]').textContent(),
      '300 points expire on Dec 5, 2026',
    );
  });

  test('cart preview is absent without a cart', async () => {
    assert.equal(await inPanel(page, '[part~="cart"]').count(), 0);
  });

  test('cart preview: points for the cart, or why it earns nothing', async () => {
    const cart = (subtotal) =>
      JSON.stringify({ currency: 'USD', amounts: { subtotal, discount: 0, shipping: 0, tax: 0 } });
    const earning = await openPanel({ customer: 'c-2002', cart: cart(5000) });
    // floor(5000 * 5 / 250) = 100 base, Gold's 1.25 multiplier adds 25.
    assert.equal(
      await inPanel(earning, '[part~="cart"]').textContent(),
      'This order earns 125 points',
    );
    await earning.close();
    const below = await openPanel({ customer: 'c-2002', cart: cart(500) });
    assert.equal(
      await inPanel(below, '[part~="cart"]').textContent(),
      "Orders under $10.00 don't earn points",
    );
    await below.close();
  });

  test('rewards: states, costs and the redeem buttons', async () => {
    const states = await inPanel(page, '[part="reward"]').evaluateAll((nodes) =>
      nodes.map((node) => [node.dataset.reward, node.dataset.state]),
    );
    assert.deepEqual(states, [
      ['r5', 'available'],
      ['r20pct', 'available'],
      ['ship', 'available'],
      ['mug', 'insufficient'],
      ['credit', 'available'],
      ['flex', 'available'],
    ]);
    assert.equal(await inPanel(page, '[data-reward="r5"] h4').textContent(), '$5.00 off');
    assert.equal(await inPanel(page, '[data-reward="r20pct"] h4').textContent(), '20% off');
    assert.match(
      await inPanel(page, '[data-reward="r20pct"]').textContent(),
      /On orders of \$50\.00 or more/,
    );
    assert.equal(
      await inPanel(page, '[data-reward="credit"] h4').textContent(),
      '$10.00 store credit',
    );
    assert.match(await inPanel(page, '[data-reward="mug"]').textContent(), /250 points to go/);
    assert.match(
      await inPanel(page, '[data-reward="flex"]').textContent(),
      /100 points to 5,000 points, in steps of 100 points/,
    );
    assert.equal(await inPanel(page, '[part="redeem"]').count(), 5);
    assert.equal(
      await inPanel(page, '[data-reward="r5"] [part="redeem"]').getAttribute('aria-label'),
      'Redeem $5.00 off',
    );
    await screenshot(page, 'member-rewards');
  });

  test('ways to earn: states, points, and claim buttons only where claimable', async () => {
    const ways = await inPanel(page, '[part="way"]').evaluateAll((nodes) =>
      nodes.map((node) => [
        node.dataset.rule,
        node.dataset.state,
        !!node.querySelector('[part="claim"]'),
      ]),
    );
    assert.deepEqual(ways, [
      ['signup', 'available', false],
      ['orders', 'available', false],
      ['birthday', 'waiting', false],
      ['review', 'available', false],
      ['ig-follow', 'done', false],
      ['fb-share', 'available', true],
      ['referral', 'available', false],
      ['profile', 'available', true],
    ]);
    assert.equal(
      await inPanel(page, '[data-rule="orders"] h4').textContent(),
      '5 points for every $2.50 spent',
    );
    assert.match(
      await inPanel(page, '[data-rule="orders"]').textContent(),
      /1\.25× with your tier/,
    );
    assert.equal(
      await inPanel(page, '[data-rule="ig-follow"] h4').textContent(),
      'Follow us on Instagram',
    );
    assert.match(await inPanel(page, '[data-rule="ig-follow"]').textContent(), /\+25 points.*Done/);
  });

  test('VIP tier card: current, perks, progress to the next tier, all tiers', async () => {
    const card = inPanel(page, '[part="tier-card"]');
    assert.equal(await card.locator('h4').textContent(), 'Your tier: Gold');
    assert.match(await card.textContent(), /1\.25× points/);
    assert.match(await card.textContent(), /Free shipping/);
    assert.equal(
      await inPanel(page, '[part="tier-to-go"]').textContent(),
      'Earn 900 points more to reach Platinum',
    );
    const bar = inPanel(page, '[part="tier-progress"]');
    assert.equal(await bar.getAttribute('aria-valuenow'), '2100');
    assert.equal(await bar.getAttribute('aria-valuemax'), '3000');
    assert.deepEqual(await texts(inPanel(page, '.tier-list li')), [
      'Silver from 0 pointsReached',
      'Gold from 1,000 pointsCurrent',
      'Platinum from 3,000 pointsNot yet',
    ]);
    await screenshot(page, 'member-vip');
  });

  test('referral: link, friend reward and one share button per channel', async () => {
    assert.equal(
      await inPanel(page, '[part="referral-link"]').textContent(),
      'https://maple.example/r/BEA-9K4',
    );
    assert.match(
      await inPanel(page, '#loyalty-section-referral').textContent(),
      /Your friend gets 10% off/,
    );
    assert.match(
      await inPanel(page, '#loyalty-section-referral').textContent(),
      /You get 500 points/,
    );
    const channels = await inPanel(page, '[part="share"]').evaluateAll((nodes) =>
      nodes.map((node) => node.dataset.channel),
    );
    const hasNativeShare = await page.evaluate(() => typeof navigator.share === 'function');
    const expected = ['facebook', 'messenger', 'pinterest', 'telegram', 'x', 'whatsapp', 'email'];
    if (hasNativeShare) expected.push('native');
    assert.deepEqual(channels, expected);
  });

  test('activity: newest first with signed points', async () => {
    assert.deepEqual(await texts(inPanel(page, '.activity li')), [
      'Redeemed: $5.00 offNov 10, 2026−500',
      'Earned: Follow us on InstagramNov 2, 2026+25',
      'Earned: Write a reviewNov 1, 2026+50',
      'Adjustment: Points moved from the old programOct 1, 2026+600',
    ]);
    await screenshot(page, 'member-activity');
  });
});

describe('every sample customer matches the core view', () => {
  for (const customer of data.customers) {
    test(`${customer.id} (${customer.firstName ?? customer.status})`, async () => {
      const page = await openPanel({ customer: customer.id });
      const context = { version: 1, now: NOW, locale: 'en' };
      const result = await coreView(page, data.program, customer, context);
      assert.equal(result.ok, true, JSON.stringify(result.errors));
      const { view } = result;
      const pointsName = (n) => (n === 1 ? view.points.singular : view.points.plural);
      if (view.balance) {
        const number = await formatIn(page, 'en', 'number', view.balance.points);
        assert.equal(
          await inPanel(page, '[part="balance"]').textContent(),
          `${number} ${pointsName(view.balance.points)}`,
        );
      }
      const rewardStates = await inPanel(page, '[part="reward"]').evaluateAll((nodes) =>
        nodes.map((node) => [node.dataset.reward, node.dataset.state]),
      );
      assert.deepEqual(
        rewardStates,
        view.rewards.map((reward) => [reward.id, reward.state]),
      );
      const wayStates = await inPanel(page, '[part="way"]').evaluateAll((nodes) =>
        nodes.map((node) => [node.dataset.rule, node.dataset.state]),
      );
      assert.deepEqual(
        wayStates,
        view.waysToEarn.map((way) => [way.id, way.state]),
      );
      assert.equal(await inPanel(page, '.activity li').count(), view.activity.length);
      if (view.tier?.current) {
        assert.equal(
          await inPanel(page, '[part="tier-card"] h4').textContent(),
          `Your tier: ${view.tier.current.name}`,
        );
      }
      if (view.expiring) {
        const date = await formatIn(page, 'en', 'date', view.expiring.at);
        assert.match(await inPanel(page, '[part~="expiring"]').textContent(), new RegExp(date));
      }
      assert.equal(await inPanel(page, '[part="referral-link"]').count(), view.referral ? 1 : 0);
      await screenshot(page, `customer-${customer.id}`);
      await page.close();
    });
  }
});

describe('guest view', () => {
  test('join and sign-in links, welcome points, rewards locked', async () => {
    const page = await openPanel({});
    const guest = inPanel(page, '[part~="guest"]');
    assert.equal(await guest.locator('h3').textContent(), 'Join Maple & Co');
    assert.match(await guest.textContent(), /Join now and get 100 points/);
    assert.match(await guest.textContent(), /6 rewards and 8 ways to earn/);
    assert.match(await guest.textContent(), /Top reward: \$1\.00 off for every 100 points/);
    assert.equal(
      await inPanel(page, '[part="join"]').getAttribute('href'),
      `${env.server.origin}/join`,
    );
    assert.equal(
      await inPanel(page, '[part="sign-in"]').getAttribute('href'),
      `${env.server.origin}/login`,
    );
    assert.equal(await inPanel(page, '[part="balance"]').count(), 0);
    assert.equal(await inPanel(page, '[part="redeem"]').count(), 0);
    assert.equal(await inPanel(page, '[part="claim"]').count(), 0);
    for (const missing of ['referral', 'vip', 'activity']) {
      assert.equal(await inPanel(page, `#loyalty-section-${missing}`).count(), 0);
    }
    const reasons = await texts(inPanel(page, '[part="locked"]'));
    assert.equal(reasons.length, 6);
    assert.ok(
      reasons.every((text) => text === 'Join to redeem'),
      reasons.join('|'),
    );
    assert.equal(await page.locator('loyalty-launcher [part="badge"]').isHidden(), true);
    await screenshot(page, 'guest');
    await page.close();
  });
});
