// What the shopper does in the panel: redeem (with Idempotency-Key and the coupon code), claim,
// copy and share. The fake backend records every request.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  NOW,
  coreView,
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
  // Share and claim targets are other sites; answer them locally so popups load.
  await env.context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.fulfill({ contentType: 'text/html', body: '<title>elsewhere</title>' }),
  );
});
after(async () => {
  await env?.close();
});
beforeEach(() => {
  // Each test starts from the sample documents.
  const { customers } = fixtures();
  for (const customer of customers) env.server.backend.customers.set(customer.id, customer);
  env.server.backend.failures = {};
  env.server.backend.requests.length = 0;
});

async function openMember() {
  const page = await openPage(env, { customer: 'c-2002' });
  await page.evaluate(() => document.querySelector('loyalty-launcher').open('rewards'));
  await inPanel(page, '#loyalty-section-rewards').waitFor();
  return page;
}

const posts = (endpoint) =>
  env.server.backend.requests.filter((r) => r.method === 'POST' && r.endpoint === endpoint);

describe('redeem', () => {
  test('confirm, POST with an Idempotency-Key, show the code, copy it, update the balance', async () => {
    const page = await openMember();
    await inPanel(page, '[data-reward="r5"] [part="redeem"]').click();
    const confirm = inPanel(page, '[data-reward="r5"] [part="confirm"]');
    assert.match(await confirm.textContent(), /Spend 500 points for \$5\.00 off\?/);
    const active = () =>
      page.evaluate(
        () => document.querySelector('loyalty-launcher').shadowRoot.activeElement?.dataset.key,
      );
    assert.equal(await active(), 'confirm-r5');
    await inPanel(page, '[data-reward="r5"] [part="confirm-button"]').click();
    const code = inPanel(page, '[data-reward="r5"] [part="coupon-code"]');
    await code.waitFor();
    assert.equal(await code.textContent(), 'TEST-R5-1');
    const [request] = posts('redemptions');
    assert.match(request.headers['idempotency-key'], /^[0-9a-f-]{32,36}$/);
    assert.equal(request.headers.authorization, 'Bearer c-2002.4102444800.test');
    assert.deepEqual(JSON.parse(request.body), { rewardId: 'r5' });
    const redeemed = await waitForEvent(page, 'loyalty:redeem');
    assert.equal(redeemed.redemption.code, 'TEST-R5-1');
    assert.equal(await active(), 'copy-r5');
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '750 points');
    assert.equal(await page.locator('loyalty-launcher [part="badge"]').textContent(), '750 points');
    await inPanel(page, '[data-reward="r5"] [part="copy"]').click();
    await inPanel(
      page,
      '[data-reward="r5"] [part="coupon"] [role="status"]:text("Copied")',
    ).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'TEST-R5-1');
    await screenshot(page, 'redeemed');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('cancel returns focus to the redeem button and sends nothing', async () => {
    const page = await openMember();
    await inPanel(page, '[data-reward="ship"] [part="redeem"]').click();
    await inPanel(page, '[data-reward="ship"] button.secondary').click();
    const key = await page.evaluate(
      () => document.querySelector('loyalty-launcher').shadowRoot.activeElement?.dataset.key,
    );
    assert.equal(key, 'redeem-ship');
    assert.equal(posts('redemptions').length, 0);
    await page.close();
  });

  test('an incremental reward sends the chosen points', async () => {
    const page = await openMember();
    await inPanel(page, '[data-reward="flex"] [part="redeem"]').click();
    const input = inPanel(page, '[data-reward="flex"] input[type="number"]');
    assert.equal(await input.inputValue(), '1200');
    assert.equal(await input.getAttribute('max'), '1200');
    await input.fill('300');
    await inPanel(page, '[data-reward="flex"] [part="confirm-button"]').click();
    await inPanel(page, '[data-reward="flex"] [part="coupon-code"]').waitFor();
    assert.deepEqual(JSON.parse(posts('redemptions')[0].body), { rewardId: 'flex', points: 300 });
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '950 points');
    await page.close();
  });

  test("the redeem dialog states the program's caps and the stepper keeps to them", async () => {
    const original = env.server.backend.program;
    env.server.backend.program = {
      ...structuredClone(original),
      redemption: { maxOrderPercent: 10, maxPointsPerOrder: 800 },
    };
    try {
      const page = await openMember();
      await inPanel(page, '[data-reward="flex"] [part="redeem"]').click();
      const caps = inPanel(page, '[data-reward="flex"] [part="redeem-caps"] li');
      await caps.first().waitFor(); // the dialog opens with the core's quote
      assert.deepEqual(await caps.allTextContents(), [
        'Rewards can cover up to 10% of an order',
        'Up to 800 points per order',
      ]);
      const input = inPanel(page, '[data-reward="flex"] input[type="number"]');
      assert.equal(await input.getAttribute('max'), '800');
      await page.close();
    } finally {
      env.server.backend.program = original;
    }
  });

  test('pending order points show beside the balance and in the activity', async () => {
    const original = env.server.backend.program;
    const program = structuredClone(original);
    program.earning.find((rule) => rule.type === 'order').pendingDays = 14;
    env.server.backend.program = program;
    const ada = env.server.backend.customers.get('c-1001');
    ada.ledger.push({
      id: 'e-pending',
      type: 'order_placed',
      at: '2026-11-20T10:00:00-05:00',
      orderId: '2001',
      amounts: { subtotal: 5000 },
    });
    try {
      const page = await openPage(env, { customer: 'c-1001' });
      await page.evaluate(() => document.querySelector('loyalty-launcher').open('activity'));
      const pending = inPanel(page, '[part="pending"]');
      await pending.waitFor();
      assert.match(
        await pending.textContent(),
        /^\d[\d,]* points? pending, available from Dec 4, 2026$/,
      );
      const note = inPanel(page, '[data-activity="e-pending"] [part="activity-pending"]');
      assert.equal(await note.textContent(), 'Pending until Dec 4, 2026');
      await page.close();
    } finally {
      env.server.backend.program = original;
    }
  });

  test('a refusal from the backend is shown in the reward card', async () => {
    env.server.backend.failures.redemptions = 'refuse';
    const page = await openMember();
    await inPanel(page, '[data-reward="credit"] [part="redeem"]').click();
    await inPanel(page, '[data-reward="credit"] [part="confirm-button"]').click();
    const alert = inPanel(page, '[data-reward="credit"] [role="alert"]');
    await alert.waitFor();
    assert.equal(await alert.textContent(), "Your tier can't redeem this reward");
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    const error = await waitForEvent(page, 'loyalty:error');
    assert.equal(error.action, 'redeem');
    assert.equal(error.status, 409);
    await page.close();
  });

  test('a failed attempt is retried with the same Idempotency-Key', async () => {
    env.server.backend.failures.redemptions = 'flaky';
    const page = await openMember();
    await inPanel(page, '[data-reward="r5"] [part="redeem"]').click();
    await inPanel(page, '[data-reward="r5"] [part="confirm-button"]').click();
    await inPanel(page, '[data-reward="r5"] [part="coupon-code"]').waitFor();
    const attempts = posts('redemptions');
    assert.equal(attempts.length, 2);
    assert.equal(attempts[0].headers['idempotency-key'], attempts[1].headers['idempotency-key']);
    await page.close();
  });

  test('the backend down: a readable error, the panel stays usable', async () => {
    env.server.backend.failures.redemptions = 'down';
    const page = await openMember();
    await inPanel(page, '[data-reward="r5"] [part="redeem"]').click();
    await inPanel(page, '[data-reward="r5"] [part="confirm-button"]').click();
    const alert = inPanel(page, '[data-reward="r5"] [role="alert"]');
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Could not reach the rewards server.');
    assert.equal(
      await inPanel(page, '[data-reward="r5"] [part="confirm-button"]').isEnabled(),
      true,
    );
    assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
    await page.close();
  });
});

describe('claims, copy and share', () => {
  test('a custom action opens the merchant URL, then claims the points', async () => {
    const page = await openMember();
    const popupPromise = env.context.waitForEvent('page');
    await inPanel(page, '[data-rule="profile"] [part="claim"]').click();
    const popup = await popupPromise;
    await popup.waitForLoadState();
    assert.equal(popup.url(), 'https://maple.example/account');
    assert.equal(await popup.evaluate(() => window.opener), null);
    await popup.close();
    await inPanel(page, '[data-rule="profile"][data-state="done"]').waitFor();
    assert.deepEqual(JSON.parse(posts('claims')[0].body), { ruleId: 'profile' });
    assert.match(await inPanel(page, '[data-rule="profile"]').textContent(), /\+50 points added/);
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,300 points');
    await page.close();
  });

  test('copy the referral link', async () => {
    const page = await openMember();
    await inPanel(page, '[data-key="copy-referral"]').click();
    await inPanel(page, '#loyalty-section-referral [role="status"]:text("Link copied")').waitFor();
    assert.equal(
      await page.evaluate(() => navigator.clipboard.readText()),
      'https://maple.example/r/BEA-9K4',
    );
    assert.deepEqual(await waitForEvent(page, 'loyalty:share'), {
      channel: 'copy',
      url: 'https://maple.example/r/BEA-9K4',
    });
    await page.close();
  });

  for (const channel of ['facebook', 'x', 'whatsapp']) {
    test(`share on ${channel} opens the view's share URL`, async () => {
      const page = await openMember();
      const { program, customers } = fixtures();
      const bea = customers.find((customer) => customer.id === 'c-2002');
      // The web layer words the friend's reward in the shopper's language; the core fills the
      // words into the message before it encodes the share URLs.
      const context = { version: 1, now: NOW, locale: 'en', friendRewardText: '10% off' };
      const { view } = await coreView(page, program, bea, context);
      const expected = view.referral.shares.find((share) => share.channel === channel).url;
      assert.ok(!expected.includes('friendReward'), expected);
      if (channel !== 'facebook') assert.ok(expected.includes(encodeURIComponent('10% off')));
      const popupPromise = env.context.waitForEvent('page');
      await inPanel(page, `[part="share"][data-channel="${channel}"]`).click();
      const popup = await popupPromise;
      await popup.waitForLoadState();
      const shared = await waitForEvent(page, 'loyalty:share');
      assert.equal(shared.channel, channel);
      assert.equal(shared.url, expected);
      assert.equal(popup.url(), expected);
      assert.ok(
        shared.url.includes(encodeURIComponent('https://maple.example/r/BEA-9K4')),
        shared.url,
      );
      await popup.close();
      await page.close();
    });
  }
});
