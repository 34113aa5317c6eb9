// The storefront's "done means": sign in and see points, place an order and watch points and
// tier update, redeem a reward and get a code, copy a referral link — all under the strict CSP
// the demo serves, with no console errors, page errors or CSP violations.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import {
  accessibilityViolations,
  baseUrl,
  customerFromApi,
  launchBrowser,
  pointsIn,
  previewConfig,
  screenshot,
} from './harness.mjs';

let browser;
let page;
const shopRequests = []; // every request the storefront's pages make: {url, headers}

before(async () => {
  browser = await launchBrowser();
  page = browser.page;
  page.on('request', (request) =>
    shopRequests.push({ url: request.url(), headers: request.headers() }),
  );
});

after(async () => {
  await browser?.close();
});

const launcher = () => page.locator('loyalty-launcher');

/** Picks a value in one of the header's menus, which reloads the page. */
async function chooseAndReload(select, value) {
  await Promise.all([page.waitForEvent('load'), page.selectOption(select, value)]);
  await page.locator('#product-grid .card').first().waitFor();
}

async function signInAs(personaKey) {
  await page.goto(`${baseUrl}/`);
  await chooseAndReload('#persona-select', personaKey);
}

async function openPanel() {
  await launcher().locator('[part~="launcher"]').click();
  await launcher().locator('[part~="header"]').waitFor();
}

/** Opens the panel from the page's own link; the launcher listens once it is on the page. */
async function openFromPageLink(section) {
  await launcher().locator('[part~="launcher"]').waitFor();
  await page.click(`[data-loyalty-open="${section}"]`);
  await launcher().locator('[part~="header"]').waitFor();
}

async function closePanel() {
  await page.keyboard.press('Escape');
  await launcher().locator('[part~="header"]').waitFor({ state: 'hidden' });
}

async function shownBalance() {
  return pointsIn(await launcher().locator('[part~="balance"]').textContent());
}

async function shownTier() {
  return launcher()
    .locator('[part~="tier-list"] li[aria-current="true"]')
    .getAttribute('data-tier');
}

test('pages are served with a strict Content-Security-Policy', async () => {
  for (const path of ['/', '/cart.html', '/product.html?id=sku-mug', '/preview/']) {
    const response = await fetch(`${baseUrl}${path}`);
    assert.equal(response.status, 200, path);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, path);
    assert.match(csp, /style-src 'self'(;|$)/, path);
  }
});

test('a guest sees the shop and the launcher inviting them to join', async () => {
  await page.goto(`${baseUrl}/`);
  await page.locator('#product-grid .card').first().waitFor();
  assert.equal(await page.locator('#product-grid .card').count(), 6);
  await launcher().locator('[part~="launcher"]').waitFor();
  await screenshot(page, 'shop-guest');
  await openPanel();
  await launcher().locator('[part~="section"][part~="guest"]').waitFor();
  await screenshot(page, 'shop-guest-panel');
  // "Join" in the launcher comes back to the shop, which signs the guest up (demo: new member).
  await Promise.all([page.waitForEvent('load'), launcher().locator('[part~="join"]').click()]);
  assert.equal(await page.inputValue('#persona-select'), 'new');
  await openPanel();
  await launcher().locator('[part~="balance"]').waitFor();
  await closePanel();
});

test('a customer with points about to expire is warned', async () => {
  await signInAs('expiring');
  await openPanel();
  const notice = launcher().locator('[part~="notice"][part~="expiring"]');
  assert.match(await notice.textContent(), /\d/);
  await screenshot(page, 'shop-expiring-panel');
  await closePanel();
});

test('signing in shows the customer balance the backend holds', async () => {
  await signInAs('near');
  await openPanel();
  const api = await customerFromApi('c-near');
  assert.equal(await shownBalance(), api.summary.balance);
  const nextReward = await launcher().locator('[part~="next-reward"]').textContent();
  assert.match(nextReward, /\d/);
  await screenshot(page, 'shop-near-panel');
  await closePanel();
});

test('placing an order adds its points and moves the tier, live', async () => {
  await signInAs('new');
  await openPanel();
  const before = await customerFromApi('c-new');
  assert.equal(await shownBalance(), before.summary.balance);
  const tierBefore = await shownTier();
  assert.equal(tierBefore, before.summary.tierId);
  await closePanel();

  await page.goto(`${baseUrl}/product.html?id=sku-throw`);
  await page.fill('#quantity', '8');
  await page.click('#add-to-cart');
  await page.goto(`${baseUrl}/cart.html`);
  await page.locator('.cart-line').first().waitFor();
  await screenshot(page, 'cart');
  // The page hands its cart to the launcher, whose wasm core previews the order's points.
  await openFromPageLink('rewards');
  const cartNotice = launcher().locator('[part~="notice"][part~="cart"]');
  const previewed = pointsIn(await cartNotice.textContent());
  await screenshot(page, 'cart-preview');
  await closePanel();

  await page.click('#place-order');
  const status = page.locator('#order-status.success');
  await status.waitFor();
  const earned = pointsIn((await status.textContent()).split(/earned you/)[1] ?? '');
  assert.ok(earned > 0, `the order earned points: ${await status.textContent()}`);
  assert.equal(earned, previewed, 'the browser preview and the backend award agree');

  const afterOrder = await customerFromApi('c-new');
  assert.notEqual(afterOrder.summary.tierId, before.summary.tierId, 'a big order moves the tier');
  // Reaching a tier also pays its one-off entryPoints (CONTRACT.md, tier levels).
  const program = await (await fetch(`${baseUrl}/v1/program`)).json();
  const levels = program.tiers.levels;
  const from = levels.findIndex((level) => level.id === before.summary.tierId);
  const to = levels.findIndex((level) => level.id === afterOrder.summary.tierId);
  assert.ok(to > from, `${afterOrder.summary.tierId} is above ${before.summary.tierId}`);
  const entryBonus = levels
    .slice(from + 1, to + 1)
    .reduce((sum, level) => sum + (level.entryPoints ?? 0), 0);
  assert.equal(afterOrder.summary.balance, before.summary.balance + earned + entryBonus);

  // The cart page called refresh() on the launcher: it shows the new state without a reload.
  await openFromPageLink('rewards');
  await launcher()
    .locator('[part~="balance"]')
    .filter({ hasText: new Intl.NumberFormat('en').format(afterOrder.summary.balance) })
    .waitFor();
  assert.equal(await shownBalance(), afterOrder.summary.balance);
  assert.equal(await shownTier(), afterOrder.summary.tierId);
  await screenshot(page, 'cart-after-order');
  await closePanel();
});

test('redeeming a reward gives a coupon code the backend recorded', async () => {
  await signInAs('vip');
  await openPanel();
  const before = await customerFromApi('c-vip');
  const reward = launcher().locator('[part~="reward"][data-state="available"]').first();
  const rewardId = await reward.getAttribute('data-reward');
  await reward.locator('[part~="redeem"]').click();
  await launcher().locator('[part~="confirm-button"]').click();
  const code = (await launcher().locator('[part~="coupon-code"]').textContent()).trim();
  assert.match(code, /^[A-Z0-9-]{6,}$/);
  await screenshot(page, 'shop-vip-redeemed');

  const afterRedeem = await customerFromApi('c-vip');
  const entry = afterRedeem.ledger.find((item) => item.type === 'redeem' && item.code === code);
  assert.ok(entry, `the ledger holds the redemption ${code}`);
  assert.equal(entry.rewardId, rewardId);
  assert.equal(afterRedeem.summary.balance, before.summary.balance - entry.points);
  await closePanel();

  // The shop listens to `loyalty:redeem` and puts the coupon in the cart.
  await page.locator('#toast.visible', { hasText: code }).waitFor();
  await page.goto(`${baseUrl}/product.html?id=sku-candle`);
  await page.click('#add-to-cart');
  await page.goto(`${baseUrl}/cart.html`);
  assert.equal(await page.textContent('#cart-coupon code'), code);
  await screenshot(page, 'cart-with-coupon');
  await page.locator('#cart-coupon button').click();
  await page.locator('#cart-coupon').waitFor({ state: 'detached' });
});

test('the referral link is copied to the clipboard', async () => {
  await signInAs('vip');
  await openPanel();
  const link = (await launcher().locator('[part~="referral-link"]').textContent()).trim();
  const api = await customerFromApi('c-vip');
  assert.ok(link.includes(api.referralCode), `${link} carries the code ${api.referralCode}`);
  await launcher().locator('[data-key="copy-referral"]').click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  await closePanel();
});

test('the locale switch translates the shop and the launcher', async () => {
  await signInAs('vip');
  await openPanel();
  const englishTitle = await launcher().locator('[part~="header"] h2').textContent();
  await closePanel();
  try {
    await chooseAndReload('#locale-select', 'zh-Hant');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant');
    assert.equal(await page.textContent('#grid-title'), '本季新品');
    // The program's own label in the shop's language from the first paint, one width throughout.
    const button = launcher().locator('[part="launcher"]');
    const label = launcher().locator('[part="label"]');
    assert.equal(await label.textContent(), 'Maple 會員獎勵');
    const width = (await button.boundingBox()).width;
    await openPanel();
    // The catalog loads on demand: wait for the Chinese heading rather than read it once.
    await launcher()
      .locator('[part~="section"][part~="rewards"] h3')
      .filter({ hasText: /\p{Script=Han}/u })
      .waitFor();
    // The points name and the program's texts in Chinese too, not "points" or "Gold".
    await launcher().locator('[part="balance"]').filter({ hasText: /點$/ }).waitFor();
    const panelText = await launcher().locator('[part~="panel"]').textContent();
    assert.doesNotMatch(panelText, /\bpoints?\b|Maple enamel mug|\bGold\b|Black Friday/);
    assert.match(panelText, /金卡/);
    await screenshot(page, 'shop-vip-zh-Hant');
    await closePanel();
    assert.equal(await label.textContent(), 'Maple 會員獎勵');
    assert.equal((await button.boundingBox()).width, width);

    await chooseAndReload('#locale-select', 'lv');
    assert.equal(await page.textContent('#grid-title'), 'Šīs sezonas jaunumi');
    await openPanel();
    await launcher().locator('[part~="header"] h2').filter({ hasNotText: englishTitle }).waitFor();
    await closePanel();
  } finally {
    await chooseAndReload('#locale-select', 'en');
  }
});

test('a phone-sized storefront looks right', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await signInAs('near');
    await screenshot(page, 'shop-mobile');
    await openPanel();
    await screenshot(page, 'shop-mobile-panel');
    // On a phone the panel is a sheet inside the screen, not cut off at an edge.
    const sheet = await launcher().locator('[part~="panel"]').boundingBox();
    assert.ok(
      sheet.x >= 0 && sheet.x + sheet.width <= 390.5,
      `panel at x=${sheet.x} w=${sheet.width}`,
    );
    await closePanel();
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test('the shop pages pass axe-core (the launcher has its own tests)', async () => {
  await page.goto(`${baseUrl}/product.html?id=sku-tea`);
  await page.click('#add-to-cart');
  const pages = { home: '/', product: '/product.html?id=sku-tea', 'cart-with-tea': '/cart.html' };
  for (const [name, path] of Object.entries(pages)) {
    await page.goto(`${baseUrl}${path}`);
    await page.locator('main#main > *').first().waitFor();
    await screenshot(page, `page-${name}`);
    assert.deepEqual(await accessibilityViolations(page, ['loyalty-launcher']), [], path);
  }
});

test('the storefront never receives or sends the admin key', async () => {
  const { adminKey } = await previewConfig();
  assert.match(adminKey, /^[0-9a-f]{64}$/);
  // The pages signed in, ordered and redeemed above without it.
  assert.ok(shopRequests.some((request) => new URL(request.url).pathname === '/demo/orders'));
  for (const request of shopRequests) {
    assert.equal(request.headers['x-admin-key'], undefined, request.url);
    assert.ok(!new URL(request.url).pathname.startsWith('/preview/'), request.url);
    assert.ok(!JSON.stringify(request).includes(adminKey), request.url);
  }
  // Every file the storefront's paths serve (demo/start's mounts), fetched as a browser would.
  const repo = new URL('../../', import.meta.url).pathname;
  const mounts = { '/': 'demo/storefront', '/web/': 'build/web', '/programs/': 'demo/programs' };
  const served = [];
  for (const [prefix, dir] of Object.entries(mounts))
    for (const entry of readdirSync(join(repo, dir), { recursive: true, withFileTypes: true }))
      if (entry.isFile())
        served.push(
          prefix + relative(join(repo, dir), join(entry.parentPath ?? entry.path, entry.name)),
        );
  assert.ok(served.length > 20, `found ${served.length} storefront files`);
  for (const path of served) {
    const response = await fetch(baseUrl + path);
    assert.equal(response.status, 200, path);
    assert.ok(!(await response.text()).includes(adminKey), `${path} holds the admin key`);
  }
  // The old place of the demo's settings is gone.
  assert.equal((await fetch(`${baseUrl}/demo-config/config.json`)).status, 404);
});

test('no console errors, page errors or CSP violations', () => {
  assert.deepEqual(browser.problems, []);
});
