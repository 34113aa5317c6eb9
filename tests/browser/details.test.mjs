// Redeem and share details: a flexible reward's value as the shopper steps the points (the
// core's redemption decision as the oracle), share buttons with their channel's icon, the
// expiring-points warning, and how to earn actions that have no link.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { NOW, fixtures, inPanel, openPage, screenshot, setup, waitForEvent } from './helpers.mjs';

const data = fixtures();
const bea = data.customers.find((customer) => customer.id === 'c-2002');
let env;
before(async () => {
  env = await setup(data);
});
after(async () => {
  await env?.close();
});
beforeEach(() => {
  for (const customer of fixtures().customers) {
    env.server.backend.customers.set(customer.id, customer);
  }
  env.server.backend.failures = {};
  env.server.backend.requests.length = 0;
});

async function openMember(query = {}) {
  const page = await openPage(env, { customer: 'c-2002', ...query });
  await page.evaluate(() => document.querySelector('loyalty-launcher').open());
  await inPanel(page, '#loyalty-title').waitFor();
  return page;
}

/** The core's own redemption decision (loaded in the page), formatted as the panel would. */
async function coreValue(page, rewardId, points) {
  return page.evaluate(
    async ([program, customer, context, request]) => {
      const { default: create } = await import('/web/loyalty-core.js');
      const core = await create();
      const { redeem } = JSON.parse(core.redeemJson(program, customer, context, request));
      return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(
        redeem.value.money / 100,
      );
    },
    [
      JSON.stringify(data.program),
      JSON.stringify(bea),
      JSON.stringify({ version: 1, now: NOW, locale: 'en' }),
      JSON.stringify({ rewardId, points }),
    ],
  );
}

/** Waits until the flexible reward's confirmation contains `text`. */
const confirmTextHas = (page, text) =>
  page.waitForFunction(
    (part) =>
      document
        .querySelector('loyalty-launcher')
        .shadowRoot.querySelector('[data-reward="flex"] [part="confirm-text"]')
        ?.textContent.includes(part),
    text,
  );

describe('a flexible reward', () => {
  test('shows what the chosen points buy, stepped by buttons or keys, as the core decides', async () => {
    const page = await openMember();
    const card = inPanel(page, '[data-reward="flex"]');
    await card.locator('[part="redeem"]').click();
    const text = card.locator('[part="confirm-text"]');
    // Bea has 1,250 points: the most she can spend in steps of 100 is 1,200.
    assert.equal(await text.textContent(), 'Spend 1,200 points for $12.00 off?');
    assert.equal(await text.getAttribute('aria-live'), 'polite');
    const more = card.getByRole('button', { name: 'More points' });
    const fewer = card.getByRole('button', { name: 'Fewer points' });
    assert.equal(await more.isDisabled(), true, 'no more than she can afford');
    await fewer.click();
    const input = card.getByLabel('Points to spend');
    assert.equal(await input.inputValue(), '1100');
    // The core answers asynchronously (in a worker): the text follows.
    await confirmTextHas(
      page,
      `Spend 1,100 points for ${await coreValue(page, 'flex', 1100)} off?`,
    );
    assert.equal(await text.textContent(), 'Spend 1,100 points for $11.00 off?');
    // Focus stays on the stepper button, so it can be pressed again from the keyboard.
    assert.equal(
      await page.evaluate(
        () => document.querySelector('loyalty-launcher').shadowRoot.activeElement?.dataset.key,
      ),
      'fewer-flex',
    );
    await page.keyboard.press('Enter');
    await confirmTextHas(page, 'Spend 1,000 points for $10.00 off?');
    // The field's own keys step too, and keep the field focused while the text follows.
    await input.focus();
    await page.keyboard.press('ArrowDown');
    await confirmTextHas(page, 'Spend 900 points for $9.00 off?');
    assert.equal(
      await card.locator('[part="confirm-text"]').textContent(),
      'Spend 900 points for $9.00 off?',
    );
    assert.equal(await input.inputValue(), '900');
    assert.equal(
      await page.evaluate(
        () => document.querySelector('loyalty-launcher').shadowRoot.activeElement?.dataset.key,
      ),
      'points-flex',
    );
    await screenshot(page, 'redeem-flexible');
    await card.locator('[part="confirm-button"]').click();
    await card.locator('[part="coupon-code"]').waitFor();
    const post = env.server.backend.requests.find((r) => r.endpoint === 'redemptions');
    assert.deepEqual(JSON.parse(post.body), { rewardId: 'flex', points: 900 });
    await page.close();
  });

  test('a typed amount between steps says nothing the core would refuse', async () => {
    const page = await openMember();
    const card = inPanel(page, '[data-reward="flex"]');
    await card.locator('[part="redeem"]').click();
    await card.getByLabel('Points to spend').fill('150');
    await confirmTextHas(page, 'Spend 150 points for $1.00 off for every 100 points');
    await page.close();
  });
});

describe('share buttons', () => {
  test("each carries its channel's icon, inline and hidden from assistive technology", async () => {
    const page = await openMember();
    const origins = new Set();
    page.on('request', (request) => origins.add(new URL(request.url()).origin));
    const buttons = inPanel(page, '[part="share"]');
    const found = await buttons.evaluateAll((nodes) =>
      nodes.map((node) => {
        const svg = node.querySelector('svg');
        return {
          channel: node.dataset.channel,
          icon: svg?.dataset.icon,
          hidden: svg?.getAttribute('aria-hidden'),
          text: node.textContent,
          label: node.getAttribute('aria-label'),
          paths: svg?.querySelectorAll('path').length,
        };
      }),
    );
    assert.ok(found.length >= 7, JSON.stringify(found));
    for (const button of found) {
      assert.equal(button.icon, button.channel, JSON.stringify(button));
      assert.equal(button.hidden, 'true');
      assert.equal(button.paths, 1);
      assert.ok(button.text.trim().length > 0, 'the text label stays');
    }
    assert.equal(found.find((button) => button.channel === 'whatsapp').label, 'Share on WhatsApp');
    await inPanel(page, '#loyalty-section-referral').scrollIntoViewIfNeeded();
    await screenshot(page, 'share-icons');
    assert.deepEqual(
      [...origins].filter((origin) => origin !== env.server.origin),
      [],
    );
    await page.close();
  });

  test("in Latvian the shared message carries the friend's reward in Latvian", async () => {
    const page = await openMember({ locale: 'lv' });
    const popupPromise = env.context.waitForEvent('page');
    await inPanel(page, '[part="share"][data-channel="whatsapp"]').click();
    const popup = await popupPromise;
    const shared = await waitForEvent(page, 'loyalty:share');
    assert.ok(shared.url.includes(encodeURIComponent('10% atlaide')), shared.url);
    assert.ok(!shared.url.includes('friendReward'), shared.url);
    await popup.close();
    await page.close();
  });
});

describe('notices and ways to earn', () => {
  const lightness = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return (r + g + b) / 3;
  };

  test('expiring points look like a warning and say how many and when', async () => {
    const page = await openMember();
    const notice = inPanel(page, '[part~="expiring"]');
    assert.equal(await notice.textContent(), '300 points expire on Dec 5, 2026');
    assert.equal(
      await notice.locator('svg[data-icon="warning"]').getAttribute('aria-hidden'),
      'true',
    );
    const look = () =>
      notice.evaluate((node) => {
        const style = getComputedStyle(node);
        const panel = getComputedStyle(node.closest('[part="panel"]'));
        return {
          background: style.backgroundColor,
          color: style.color,
          border: style.borderInlineStartColor,
          borderStyle: style.borderInlineStartStyle,
          borderWidth: parseFloat(style.borderInlineStartWidth),
          panelBackground: panel.backgroundColor,
        };
      });
    const light = await look();
    assert.notEqual(light.background, light.panelBackground);
    assert.ok(lightness(light.background) > lightness(light.color), 'dark text on light');
    assert.ok(light.borderWidth >= 4);
    await screenshot(page, 'expiring-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await look();
    assert.ok(lightness(dark.background) < lightness(dark.color), 'light text on dark');
    assert.notEqual(dark.background, light.background);
    await screenshot(page, 'expiring-dark');
    await page.emulateMedia({ colorScheme: 'light', forcedColors: 'active' });
    const forced = await look();
    assert.equal(forced.borderStyle, 'solid');
    assert.ok(forced.borderWidth >= 4, 'a border the system colours keep');
    await page.close();
  });

  test('actions with no link say how to earn them', async () => {
    const page = await openMember();
    const howTo = (rule) => inPanel(page, `[data-rule="${rule}"] [part="how-to"]`);
    assert.equal(
      await howTo('review').textContent(),
      'Review something you bought on its product page: the points arrive once the review is published.',
    );
    assert.equal(
      await howTo('referral').textContent(),
      'Share your referral link: the points arrive when a friend places their first order.',
    );
    // Actions with a link or a button start from the panel: nothing to explain.
    assert.equal(await howTo('ig-follow').count(), 0);
    assert.equal(await howTo('profile').count(), 0);
    await page.close();
  });
});
