// The merchant preview's "done means": edits in the form or the JSON editor change the launcher
// at once with no server round trip, the wasm core's errors appear with their JSON paths, and
// Publish stores the program on the backend (which validates it again).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  accessibilityViolations,
  baseUrl,
  launchBrowser,
  previewConfig,
  screenshot,
} from './harness.mjs';

let browser;
let page;
let originalProgram;
const apiRequests = [];

before(async () => {
  originalProgram = await (await fetch(`${baseUrl}/v1/program`)).text();
  browser = await launchBrowser();
  page = browser.page;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/v1/')) apiRequests.push(request.url());
  });
  await page.setViewportSize({ width: 1440, height: 920 });
  await page.goto(`${baseUrl}/preview/`);
  await page.locator('body[data-ready="true"]').waitFor();
});

after(async () => {
  await browser?.close();
  // Publish the sample program again, so the storefront tests see the program they expect.
  const response = await fetch(`${baseUrl}/v1/admin/program`, {
    method: 'PUT',
    headers: {
      'Content-Type': 'application/json',
      'X-Admin-Key': (await previewConfig()).adminKey,
    },
    body: originalProgram,
  });
  assert.equal(response.status, 201);
});

const launcher = () => page.frameLocator('#frame').locator('loyalty-launcher');
const costInput = (index) =>
  page.locator(`#rewards .item[data-index="${index}"] [data-field="cost"]`);
const json = () => page.locator('#json');

async function openPanel() {
  const header = launcher().locator('[part~="header"]');
  if (!(await header.isVisible())) await launcher().locator('[part~="launcher"]').click();
  await header.waitFor();
}

/** Replaces the JSON editor's text as a merchant typing would (one input event). */
async function typeJson(text) {
  await page.click('#tab-json');
  await page.locator('#panel-json').waitFor();
  await json().fill(text);
}

test('the preview starts from the published program and shows it valid', async () => {
  const published = await (await fetch(`${baseUrl}/v1/program`)).json();
  assert.deepEqual(JSON.parse(await json().inputValue()), published);
  assert.equal(await page.textContent('#validity'), 'Valid');
  // DEMO ONLY: the page says that it holds the run's admin key.
  assert.match(await page.textContent('#demo-notice'), /Demo only:.*admin key/s);
  // The editor itself passes axe-core; the launcher in the frame has its own tests.
  assert.deepEqual(await accessibilityViolations(page, ['#frame']), []);
  await page.selectOption('#persona', 'vip');
  await openPanel();
  await screenshot(page, 'preview');
});

test('a form edit changes the launcher at once, with no server round trip', async () => {
  const firstReward = (await (await fetch(`${baseUrl}/v1/program`)).json()).rewards[0];
  const reward = launcher().locator(`[part~="reward"][data-reward="${firstReward.id}"]`);
  await reward.filter({ hasText: new Intl.NumberFormat('en').format(firstReward.cost) }).waitFor();
  const before = apiRequests.length;

  await costInput(0).fill('777');
  await reward.filter({ hasText: '777 points' }).waitFor();
  assert.equal(JSON.parse(await json().inputValue()).rewards[0].cost, 777, 'the JSON follows');

  await page.locator('[data-bind="branding.accent"]').fill('#1f5f4a');
  const accent = await launcher().evaluate((element) =>
    element.style.getPropertyValue('--loyalty-brand-accent').trim(),
  );
  assert.equal(accent.toLowerCase(), '#1f5f4a');

  await page.selectOption('#referral-friend-type', 'amount_off');
  await page.fill('#referral-friend', '12.50');
  await page.selectOption('#expiry-mode', 'lots');
  const edited = JSON.parse(await json().inputValue());
  assert.deepEqual(
    { type: edited.referral.friend.type, amount: edited.referral.friend.amount },
    { type: 'amount_off', amount: 1250 },
  );
  assert.equal(edited.expiry.mode, 'lots');
  assert.equal(await page.textContent('#validity'), 'Valid');
  assert.equal(apiRequests.length, before, 'the preview computed locally');
  await screenshot(page, 'preview-edited');
});

test('the order rule says how it rounds, with an example the core computes', async () => {
  await page.click('#tab-settings');
  const example = page.locator('#order-example');
  const original = {
    points: await page.inputValue('#order-points'),
    per: await page.inputValue('#order-per'),
  };
  // "10 points per $4": a $7.00 order is 17.5 points in proportion.
  await page.fill('#order-points', '10');
  await page.fill('#order-per', '4');
  await example.filter({ hasText: 'a $7.00 order earns 17 points' }).waitFor();
  await page.selectOption('#order-rounding', 'whole_steps');
  await example.filter({ hasText: 'earns 10 points' }).waitFor();
  assert.match(await example.textContent(), /only each full step earns/);
  assert.equal(JSON.parse(await json().inputValue()).earning[1].rounding, 'whole_steps');
  // The launcher words the rule for the shopper too.
  await openPanel();
  await launcher().getByText('10 points for each full $4.00 spent').waitFor();
  await page.selectOption('#order-rounding', 'half_up');
  await example.filter({ hasText: 'earns 18 points' }).waitFor();
  await page.selectOption('#order-refund-rounding', 'kept');
  assert.equal(JSON.parse(await json().inputValue()).earning[1].refundRounding, 'kept');
  // Back to the defaults: the keys leave the JSON instead of spelling out the default.
  await page.selectOption('#order-rounding', 'proportional');
  await page.selectOption('#order-refund-rounding', 'taken_back');
  await page.fill('#order-points', original.points);
  await page.fill('#order-per', original.per);
  const rule = JSON.parse(await json().inputValue()).earning[1];
  assert.equal('rounding' in rule || 'refundRounding' in rule, false);
  assert.equal(await page.textContent('#validity'), 'Valid');
});

test('expiry by calendar quarter or year, inactivity in months, and the redemption caps', async () => {
  await page.click('#tab-settings');
  const edited = async () => JSON.parse(await json().inputValue());
  await page.selectOption('#expiry-mode', 'lots');
  await page.selectOption('#expiry-period', 'quarter');
  await page.fill('#expiry-amount', '0');
  assert.deepEqual((await edited()).expiry, {
    mode: 'lots',
    period: 'quarter',
    periods: 0,
    warningDays: (await edited()).expiry.warningDays,
  });
  assert.equal(await page.textContent('#expiry-unit'), 'Quarters after the quarter earned');
  await page.selectOption('#expiry-mode', 'inactivity');
  await page.selectOption('#expiry-period', 'months');
  await page.fill('#expiry-amount', '18');
  await page.selectOption('#expiry-activity', 'purchases');
  const inactivity = (await edited()).expiry;
  assert.equal(inactivity.months, 18);
  assert.equal(inactivity.activity, 'purchases');
  assert.equal('days' in inactivity, false);
  await page.selectOption('#tier-metric', 'amount_spent');
  await page.selectOption('#tier-spend', 'total');
  await page.selectOption('#tier-entry', 'each_time');
  await page.check('#tier-take-back');
  const tiers = (await edited()).tiers;
  assert.equal(tiers.spendBasis, 'total');
  assert.equal(tiers.entryPointsRepeat, 'each_time');
  assert.equal(tiers.entryPointsTakeBack, true);
  await page.uncheck('#tier-take-back');
  await page.selectOption('#tier-metric', 'points_earned');
  assert.equal('spendBasis' in (await edited()).tiers, false);
  assert.equal('entryPointsTakeBack' in (await edited()).tiers, false);
  await page.fill('#cap-share', '10');
  assert.deepEqual((await edited()).redemption, { maxOrderPercent: 10 });
  await page.fill('#cap-share', '');
  assert.equal('redemption' in (await edited()), false);
  assert.equal(await page.textContent('#validity'), 'Valid');
});

test('every way to earn, flexible rewards and promotions are edited in the form', async () => {
  await page.click('#tab-settings');
  const edited = async () => JSON.parse(await json().inputValue());
  const assertValid = async () => assert.equal(await page.textContent('#validity'), 'Valid');
  const start = await edited();

  // A new way to earn starts as a 25-point review; it becomes a monthly Instagram follow.
  await page.click('#add-rule');
  const index = start.earning.length;
  const added = (await edited()).earning[index];
  assert.deepEqual(added, { id: added.id, type: 'review', points: 25 });
  assert.equal(
    start.earning.some((rule) => rule.id === added.id),
    false,
    'the new id is unique',
  );
  await assertValid();
  const row = page.locator(`#rules .item[data-index="${index}"]`);
  await row.locator('[data-field="type"]').selectOption('social_follow');
  await row.locator('[data-field="platform"]').selectOption('instagram');
  await row.locator('[data-field="url"]').fill('https://instagram.com/maple.example');
  await row.locator('[data-field="limit"]').selectOption('per_month');
  assert.deepEqual((await edited()).earning[index], {
    id: added.id,
    type: 'social_follow',
    points: 25,
    platform: 'instagram',
    url: 'https://instagram.com/maple.example',
    limit: 'per_month',
  });
  await assertValid();

  // The birthday pays at most every 300 days; emptied, once per calendar year again.
  const birthday = start.earning.findIndex((rule) => rule.type === 'birthday');
  const cooldown = page.locator(`#rules [data-path="/earning/${birthday}/cooldownDays"]`);
  await cooldown.fill('300');
  assert.equal((await edited()).earning[birthday].cooldownDays, 300);
  await assertValid();
  await page.locator('#rules').evaluate((list) => list.parentElement.scrollIntoView());
  await screenshot(page, 'preview-ways-to-earn');
  await cooldown.fill('');
  assert.equal('cooldownDays' in (await edited()).earning[birthday], false);

  // A pay-what-you-like reward's amount per step, in dollars like every money field.
  const flex = start.rewards.findIndex((reward) => reward.incremental);
  const amountPerStep = page.locator(
    `#rewards [data-path="/rewards/${flex}/incremental/amountPerStep"]`,
  );
  await amountPerStep.fill('1.50');
  assert.deepEqual((await edited()).rewards[flex].incremental, {
    ...start.rewards[flex].incremental,
    amountPerStep: 150,
  });
  await assertValid();
  await page.locator('#rewards').evaluate((list) => list.scrollIntoView());
  await screenshot(page, 'preview-flexible-reward');
  await amountPerStep.fill(String(start.rewards[flex].incremental.amountPerStep / 100));

  // A new promotion: double points for a week from this hour, in the shop's offset.
  await page.click('#add-promotion');
  const promotions = (await edited()).promotions;
  assert.equal(promotions.length, start.promotions.length + 1);
  const promotion = promotions.at(-1);
  assert.equal(promotion.name, 'New promotion');
  assert.equal(promotion.multiplier, 2);
  assert.match(promotion.starts, /^\d{4}-\d\d-\d\dT\d\d:00:00/);
  assert.ok(promotion.starts.endsWith(start.utcOffset ?? 'Z'));
  assert.ok(Date.parse(promotion.starts) <= Date.now());
  assert.equal(Date.parse(promotion.ends) - Date.parse(promotion.starts), 7 * 24 * 3600 * 1000);
  await assertValid();
  const promotionRow = page.locator(`#promotions .item[data-index="${promotions.length - 1}"]`);
  await promotionRow.locator('[data-field="combine"]').selectOption('multiply');
  assert.equal((await edited()).promotions.at(-1).combine, 'multiply');
  await assertValid();
  await page.locator('#promotions').evaluate((list) => list.parentElement.scrollIntoView());
  await screenshot(page, 'preview-promotions');

  // Removed again, the program is as it was (the form's state carries into the next tests).
  await page.getByRole('button', { name: `Remove promotion “${promotion.id}”` }).click();
  await page.getByRole('button', { name: `Remove way to earn “${added.id}”` }).click();
  const restored = await edited();
  assert.deepEqual(
    [restored.earning, restored.rewards, restored.promotions],
    [start.earning, start.rewards, start.promotions],
  );
  await assertValid();
});

test('core validation errors appear inline with their JSON paths', async () => {
  await costInput(0).fill('0');
  const problem = page.locator('#errors li.error', { hasText: '/rewards/0/cost' });
  await problem.waitFor();
  assert.equal(await costInput(0).getAttribute('aria-invalid'), 'true');
  await page.locator('#panel-settings .field-error').first().waitFor();
  assert.match(await page.textContent('#validity'), /1 problem/);
  // The launcher keeps the last valid program meanwhile.
  await launcher().locator('[part~="reward"]', { hasText: '777 points' }).first().waitFor();
  await screenshot(page, 'preview-error');

  // "Show" puts the cursor on the member in the JSON editor.
  await problem.locator('button.show').click();
  assert.equal(await page.getAttribute('#tab-json', 'aria-selected'), 'true');
  const selected = await json().evaluate((editor) => ({
    text: editor.value.slice(editor.selectionStart, editor.selectionEnd),
    costBefore: editor.value.slice(0, editor.selectionStart).split('"cost"').length - 1,
    rewardsBefore: editor.value.slice(0, editor.selectionStart).includes('"rewards"'),
  }));
  assert.equal(selected.text.trim(), '"cost": 0,');
  assert.ok(selected.rewardsBefore);
  assert.equal(selected.costBefore, 0, 'the first reward is the first with a cost');
  await page.click('#tab-settings');

  const program = JSON.parse(await json().inputValue());
  await typeJson(`${JSON.stringify(program).slice(0, -1)},}`);
  await page.locator('#errors li.error', { hasText: 'Not valid JSON' }).waitFor();

  program.rewards[0].cost = 750;
  await typeJson(JSON.stringify(program, null, 2));
  await page.locator('#validity', { hasText: 'Valid' }).waitFor();
  await page.click('#tab-settings');
  assert.equal(await costInput(0).inputValue(), '750', 'the form follows the JSON');
  await launcher().locator('[part~="reward"]', { hasText: '750 points' }).first().waitFor();
});

test('persona, locale and device change the preview', async () => {
  const title = launcher().locator('[part~="header"] h2');
  const english = await title.textContent();
  await page.selectOption('#locale', 'lv');
  await launcher().locator('[part~="header"] h2').filter({ hasNotText: english }).waitFor();
  await page.selectOption('#persona', 'guest');
  await launcher().locator('[part~="section"][part~="guest"]').waitFor();
  await page.click('#device-mobile');
  assert.equal(await page.locator('#frame').evaluate((frame) => frame.clientWidth), 390);
  await openPanel();
  await screenshot(page, 'preview-mobile-lv-guest');
  await page.click('#device-desktop');
  await page.selectOption('#locale', 'en');
  await page.selectOption('#persona', 'vip');
});

test('every merchant text is edited per language, and the preview speaks it', async () => {
  await page.click('#tab-settings');
  await page.selectOption('#text-language', 'lv');
  assert.equal(await page.inputValue('#locale'), 'lv');
  assert.equal(await page.inputValue('[data-bind="points.plural"]'), 'punkti');
  assert.equal(await page.inputValue('[data-form="zero"]'), 'punktu');
  assert.equal(await page.inputValue('[data-bind="branding.launcherLabel"]'), 'Maple balvas');
  const perk = page.locator('[data-text-path="/tiers/levels/2/perks/1"]');
  assert.equal(await perk.inputValue(), 'Bezmaksas piegāde katram pasūtījumam');
  const flexName = page.locator('[data-text-path="/rewards/5/name"]');
  await flexName.fill('Atlaide pēc jūsu izvēles');
  await launcher()
    .locator('[part~="reward"]', { hasText: 'Atlaide pēc jūsu izvēles' })
    .first()
    .waitFor();
  const edited = JSON.parse(await page.inputValue('#json'));
  assert.deepEqual(edited.rewards[5].name, {
    en: 'Choose your discount',
    'zh-Hant': '自選折扣',
    'zh-Hans': '自选折扣',
    lv: 'Atlaide pēc jūsu izvēles',
  });
  // Emptied, a language's text goes; the field then shows what its shoppers see instead.
  await flexName.fill('');
  await page
    .locator('[data-text-path="/rewards/5/name"][placeholder="Choose your discount"]')
    .waitFor();
  assert.equal(JSON.parse(await page.inputValue('#json')).rewards[5].name.lv, undefined);
  await screenshot(page, 'preview-texts-lv');
  await page.selectOption('#locale', 'en');
  assert.equal(await page.inputValue('#text-language'), 'en');
  assert.equal(await page.inputValue('[data-bind="points.plural"]'), 'points');
  assert.equal(await page.locator('[data-form="zero"]').count(), 0);
});

/**
 * How many times its base points an order earns now for a shopper with no tier: 2 while a
 * doubling promotion on the order rule runs (the sample program's Black Friday week), else 1.
 */
function orderFactor(program, orderRuleId) {
  const now = Date.now();
  const running = (program.promotions ?? []).filter(
    (promotion) =>
      Date.parse(promotion.starts) <= now &&
      now < Date.parse(promotion.ends) &&
      (!promotion.rules || promotion.rules.includes(orderRuleId)),
  );
  return running.reduce((factor, promotion) => factor + (promotion.multiplier ?? 1) - 1, 1);
}

test('the order rule excludes products, collections and kinds of line', async () => {
  await page.click('#tab-settings');
  const startText = await json().inputValue();
  const start = JSON.parse(startText);
  const index = start.earning.findIndex((rule) => rule.type === 'order');
  const rule = async () => JSON.parse(await json().inputValue()).earning[index];
  const kind = (name) => page.locator(`#exclude-kinds [data-kind="${name}"]`);
  assert.equal('exclude' in start.earning[index], false);
  // Untouched, gift cards are excluded (the contract's default) and nothing else is.
  assert.equal(await kind('gift_card').isChecked(), true);
  for (const other of ['product', 'shipping', 'tax', 'tip'])
    assert.equal(await kind(other).isChecked(), false);
  assert.equal(await page.inputValue('#exclude-products'), '');

  // The sample cart: a $24 mug (kitchen), two $32 candles (candles) and a $25 gift card; a
  // guest has no tier, so at 1 point per $1 it earns 88 points (the gift card earns nothing).
  const factor = orderFactor(start, start.earning[index].id);
  await page.selectOption('#persona', 'guest');
  await page.selectOption('#cart', 'sample');
  assert.match(await page.textContent('#cart-note'), /gift card gift-card-25 \$25\.00/);
  await openPanel();
  const cart = launcher().locator('[part~="notice"][part~="cart"]');
  const earns = (points) => cart.filter({ hasText: `This order earns ${points} points` }).waitFor();
  await earns(88 * factor);

  await page.fill('#exclude-products', ' sku-candle ');
  assert.deepEqual((await rule()).exclude, { products: ['sku-candle'] });
  await earns(24 * factor);

  // A list the form can't read stays out of the document, with a message under the field.
  await page.fill('#exclude-products', 'sku-candle,\nsku-candle');
  const problem = page.locator('#exclude-products-error');
  assert.equal(await problem.textContent(), 'The product id sku-candle is listed twice.');
  assert.equal(await page.getAttribute('#exclude-products', 'aria-invalid'), 'true');
  assert.deepEqual((await rule()).exclude, { products: ['sku-candle'] });
  assert.deepEqual(await accessibilityViolations(page, ['#frame']), []);
  await page.fill('#exclude-products', '"sku-candle"');
  assert.match(await problem.textContent(), /without quotes or brackets: "sku-candle"/);
  // Comma- and line-separated, trimmed; empty entries are skipped.
  await page.fill('#exclude-products', 'sku-candle,\n  sku-throw ,,');
  assert.equal(await problem.textContent(), '');
  assert.equal(await page.getAttribute('#exclude-products', 'aria-invalid'), null);
  assert.deepEqual((await rule()).exclude, { products: ['sku-candle', 'sku-throw'] });

  await page.fill('#exclude-products', '');
  await page.fill('#exclude-collections', 'kitchen');
  assert.deepEqual((await rule()).exclude, { collections: ['kitchen'] });
  await earns(64 * factor);

  // Gift cards earn once their box is cleared (an empty list replaces the default); ticked by
  // keyboard, shipping joins the list.
  await kind('gift_card').uncheck();
  assert.deepEqual((await rule()).exclude, { collections: ['kitchen'], kinds: [] });
  await earns(89 * factor);
  await kind('shipping').focus();
  await page.keyboard.press('Space');
  assert.deepEqual((await rule()).exclude.kinds, ['shipping']);
  assert.equal(await page.textContent('#validity'), 'Valid');
  await page.locator('#order-exclude').scrollIntoViewIfNeeded();
  await screenshot(page, 'preview-order-exclude');

  // Back at the defaults, the rule has no `exclude` and the JSON is byte for byte as it was.
  await kind('shipping').uncheck();
  await kind('gift_card').check();
  await page.fill('#exclude-collections', '');
  assert.equal(await json().inputValue(), startText);
  await earns(88 * factor);

  // The JSON tab's exclusions show in the form.
  const edited = structuredClone(start);
  edited.earning[index].exclude = { products: ['sku-mug'], kinds: ['tax', 'gift_card'] };
  await typeJson(JSON.stringify(edited, null, 2));
  await page.click('#tab-settings');
  assert.equal(await page.inputValue('#exclude-products'), 'sku-mug');
  assert.equal(await kind('tax').isChecked(), true);
  assert.equal(await kind('gift_card').isChecked(), true);
  await typeJson(startText);
  await page.click('#tab-settings');
  assert.equal(await page.inputValue('#exclude-products'), '');
  await page.selectOption('#cart', '');
  assert.equal(await cart.count(), 0);
  await page.selectOption('#persona', 'vip');
});

test('a promotion applies to the ways to earn ticked, or to all when none is', async () => {
  await page.click('#tab-settings');
  const startText = await json().inputValue();
  const start = JSON.parse(startText);
  const orders = start.earning.find((rule) => rule.type === 'order').id;
  const edited = async () => JSON.parse(await json().inputValue());
  // The sample program's promotion is on its order rule only.
  const first = page.locator('#promotions .item[data-index="0"]');
  assert.deepEqual(start.promotions[0].rules, [orders]);
  assert.equal(await first.getByLabel(`Orders (${orders})`).isChecked(), true);
  assert.equal(await first.locator('[data-rule]:checked').count(), 1);
  // Each box is labelled by the rule's name, else its type, with its id.
  assert.equal(await first.getByLabel('Complete your profile (profile)').count(), 1);
  assert.equal(await first.getByLabel('Birthday (birthday)').count(), 1);

  // A new promotion (2×, running from this hour) applies to every way to earn: orders too.
  const factor = orderFactor(start, orders);
  await page.selectOption('#persona', 'guest');
  await page.selectOption('#cart', 'sample');
  await openPanel();
  const earns = (points) =>
    launcher()
      .locator('[part~="notice"][part~="cart"]')
      .filter({ hasText: `This order earns ${points} points` })
      .waitFor();
  await earns(88 * factor);
  await page.click('#add-promotion');
  const index = start.promotions.length;
  const row = page.locator(`#promotions .item[data-index="${index}"]`);
  assert.equal('rules' in (await edited()).promotions[index], false);
  assert.equal(await row.locator('[data-rule]:checked').count(), 0);
  await earns(88 * (factor + 1));

  // Only on reviews: the order no longer gets it.
  await row.getByLabel('Review (review)').check();
  assert.deepEqual((await edited()).promotions[index].rules, ['review']);
  await earns(88 * factor);
  // Ticked by keyboard, orders join, in the order of the rules.
  await row.getByLabel(`Orders (${orders})`).focus();
  await page.keyboard.press('Space');
  assert.deepEqual((await edited()).promotions[index].rules, [orders, 'review']);
  await earns(88 * (factor + 1));
  assert.equal(await page.textContent('#validity'), 'Valid');
  await row.scrollIntoViewIfNeeded();
  await screenshot(page, 'preview-promotion-rules');

  // None ticked: every way to earn again, and no key.
  await row.getByLabel(`Orders (${orders})`).uncheck();
  await row.getByLabel('Review (review)').uncheck();
  assert.equal('rules' in (await edited()).promotions[index], false);

  // An id no rule has (typed in the JSON) shows ticked beside the rules, to clear it.
  const withUnknown = await edited();
  withUnknown.promotions[index].rules = ['gone'];
  await typeJson(JSON.stringify(withUnknown, null, 2));
  await page.locator('#errors li.error', { hasText: `/promotions/${index}/rules/0` }).waitFor();
  await page.click('#tab-settings');
  const gone = row.getByLabel('gone (no such way to earn)');
  assert.equal(await gone.isChecked(), true);
  await gone.uncheck();
  assert.equal('rules' in (await edited()).promotions[index], false);
  assert.equal(await page.textContent('#validity'), 'Valid');

  await page
    .getByRole('button', { name: `Remove promotion “${withUnknown.promotions[index].id}”` })
    .click();
  assert.equal(await json().inputValue(), startText);
  await page.selectOption('#cart', '');
  await page.selectOption('#persona', 'vip');
});

test('the order rule and the sign-up bonus are added, disabled and removed in the form', async () => {
  await page.click('#tab-settings');
  const startText = await json().inputValue();
  const start = JSON.parse(startText);
  const edited = async () => JSON.parse(await json().inputValue());
  const ofType = async (type) => (await edited()).earning.filter((rule) => rule.type === type);
  const focused = () => page.evaluate(() => document.activeElement?.id);
  await page.selectOption('#persona', 'guest');
  await page.selectOption('#cart', 'sample');
  await openPanel();
  const join = launcher().locator('[part~="section"][part~="guest"]');
  await join.filter({ hasText: 'Join now and get 100 points' }).waitFor();

  // The sign-up bonus: removed, the launcher's join offer has no points; added back by
  // keyboard, the focus goes to its points.
  await page.click('#remove-signup-rule');
  assert.deepEqual(await ofType('signup'), []);
  assert.equal(await page.isVisible('#signup-rule'), false);
  assert.equal(await focused(), 'add-signup-rule');
  await join.filter({ hasNotText: 'get 100 points' }).waitFor();
  await page.keyboard.press('Enter');
  assert.deepEqual((await edited()).earning[0], { id: 'signup', type: 'signup', points: 100 });
  assert.equal(await focused(), 'signup-points');
  await page.keyboard.type('150');
  assert.equal((await edited()).earning[0].points, 150);
  await join.filter({ hasText: 'Join now and get 150 points' }).waitFor();
  await page.uncheck('#signup-enabled');
  assert.equal((await edited()).earning[0].enabled, false);
  await join.filter({ hasNotText: 'get 150 points' }).waitFor();
  await page.check('#signup-enabled');
  assert.equal('enabled' in (await edited()).earning[0], false);
  await page.fill('#signup-points', '100');
  assert.equal(await json().inputValue(), startText);

  // The order rule. The sample promotion names it, so without the promotion the program stays
  // valid while it is gone.
  const promotion = start.promotions[0].id;
  await page.getByRole('button', { name: `Remove promotion “${promotion}”` }).click();
  const cart = launcher().locator('[part~="notice"][part~="cart"]');
  await cart.filter({ hasText: 'This order earns 88 points' }).waitFor();
  await page.uncheck('#order-enabled');
  const orderIndex = start.earning.findIndex((rule) => rule.type === 'order');
  assert.equal((await edited()).earning[orderIndex].enabled, false);
  await cart.waitFor({ state: 'detached' });
  await page.check('#order-enabled');
  await cart.filter({ hasText: 'This order earns 88 points' }).waitFor();

  await page.click('#remove-order-rule');
  assert.deepEqual(await ofType('order'), []);
  assert.equal(await page.isVisible('#order-rule'), false);
  assert.equal(await page.isVisible('#order-exclude'), false);
  assert.equal(await focused(), 'add-order-rule');
  assert.equal(await page.textContent('#validity'), 'Valid');
  await cart.waitFor({ state: 'detached' });
  assert.deepEqual(await accessibilityViolations(page, ['#frame']), []);
  await page.locator('#order-rule-missing').scrollIntoViewIfNeeded();
  await screenshot(page, 'preview-no-order-rule');

  // Added back: 1 point per $1, after the sign-up bonus, with the id the promotion named.
  await page.keyboard.press('Enter');
  assert.deepEqual((await edited()).earning[orderIndex], {
    id: 'orders',
    type: 'order',
    points: 1,
    per: 100,
  });
  assert.equal(await focused(), 'order-points');
  await cart.filter({ hasText: 'This order earns 88 points' }).waitFor();
  assert.equal(await page.textContent('#validity'), 'Valid');

  await typeJson(startText);
  await page.click('#tab-settings');
  await page.selectOption('#cart', '');
  await page.selectOption('#persona', 'vip');
});

test("the shop's time zone: the browser's zones offered, a bad name named inline", async () => {
  const zone = page.locator('[data-path="/timeZone"]');
  assert.equal(await page.locator('#time-zones option[value="Australia/Sydney"]').count(), 1);
  await zone.fill('Australia/Sydney');
  await page.locator('#validity', { hasText: 'Valid' }).waitFor();
  assert.equal(JSON.parse(await json().inputValue()).timeZone, 'Australia/Sydney');
  // The launcher in the frame computes with Sydney's offsets and still draws the program.
  await openPanel();
  await launcher().locator('[part~="reward"]').first().waitFor();

  await zone.fill('../etc');
  await page.locator('#errors li.error', { hasText: '/timeZone' }).waitFor();
  assert.equal(await zone.getAttribute('aria-invalid'), 'true');

  await zone.fill('');
  await page.locator('#validity', { hasText: 'Valid' }).waitFor();
  assert.equal('timeZone' in JSON.parse(await json().inputValue()), false);
  assert.equal(await zone.getAttribute('aria-invalid'), null);
});

test('Publish stores the program; the backend refuses an invalid one', async () => {
  await page.click('#publish');
  const status = page.locator('#publish-status');
  await status.filter({ hasText: /Published as version \d+/ }).waitFor();
  const published = await (await fetch(`${baseUrl}/v1/program`)).json();
  assert.equal(published.rewards[0].cost, 750);
  assert.equal(published.branding.accent.toLowerCase(), '#1f5f4a');

  const program = JSON.parse(await json().inputValue());
  program.rewards[0].cost = 0;
  await typeJson(JSON.stringify(program, null, 2));
  await page.click('#publish');
  // The backend's own answer, with the path its copy of the core found.
  await status.filter({ hasText: 'Not published (HTTP 422): /rewards/0/cost' }).waitFor();
  await page.locator('#errors li.error', { hasText: '/rewards/0/cost' }).first().waitFor();
  assert.equal((await (await fetch(`${baseUrl}/v1/program`)).json()).rewards[0].cost, 750);
  await screenshot(page, 'preview-publish-refused');
});

test('no console errors, page errors or CSP violations', () => {
  // The one expected failure: the deliberate 422 of the invalid publish.
  const unexpected = browser.problems.filter((problem) => !/status of 422/.test(problem));
  assert.deepEqual(unexpected, []);
});
