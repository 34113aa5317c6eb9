// The shop's language, all of it: catalogs, the program's own texts and the points name in the
// language's plural forms, the direction of the catalog actually used, and a button label that
// is in the shopper's language from the first paint and keeps its width.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixtures, formatIn, inPanel, openPage, screenshot, setup } from './helpers.mjs';

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

const panelAttribute = (page, name) =>
  page.locator('loyalty-launcher [part="panel"]').getAttribute(name);
const text = (page, selector) => inPanel(page, selector).first().textContent();
const buttonLabel = (page) => page.locator('loyalty-launcher [part="label"]').textContent();
const buttonWidth = (page) =>
  page
    .locator('loyalty-launcher [part="launcher"]')
    .evaluate((button) => button.getBoundingClientRect().width);

describe('the program and the catalogs in the shopper language', () => {
  test('zh-Hant: points name, reward, tier, perk, rule and promotion in Chinese', async () => {
    const page = await openPanel({ customer: 'c-2002', locale: 'zh-Hant' });
    const balance = await formatIn(page, 'zh-Hant', 'number', 1250);
    assert.equal(await text(page, '[part="balance"]'), `${balance} 點`);
    assert.equal(await text(page, '#loyalty-title'), 'Maple 會員獎勵');
    assert.equal(await text(page, '[data-reward="mug"] h4'), '免費Maple 馬克杯');
    assert.equal(await text(page, '[part="tier-card"] h4'), '您的等級：金卡');
    assert.match(await text(page, '[part="tier-card"]'), /免運費/);
    assert.match(await text(page, '#loyalty-section-earn'), /完成個人資料/);
    assert.match(await text(page, '[part~="promotion"]'), /雙倍點數週末/);
    const date = await formatIn(page, 'zh-Hant', 'date', '2026-12-05T10:00:00-05:00');
    assert.equal(await text(page, '[part~="expiring"]'), `300 點 將於 ${date} 到期`);
    assert.equal(await panelAttribute(page, 'lang'), 'zh-Hant');
    assert.equal(await panelAttribute(page, 'dir'), 'ltr');
    const panelText = await inPanel(page, '').evaluate((panel) => panel.textContent);
    assert.doesNotMatch(panelText, /\bpoints?\b|Maple mug|Free shipping|Gold\b/);
    await screenshot(page, 'locale-zh-Hant');
    await page.close();
  });

  test('lv: the points name in the Latvian plural forms, merchant texts in Latvian', async () => {
    const page = await openPanel({ customer: 'c-2002', locale: 'lv' });
    const number = (value) => formatIn(page, 'lv', 'number', value);
    // 1,250 ends in 0: Latvian's "zero" category, the genitive "punktu".
    assert.equal(await text(page, '[part="balance"]'), `${await number(1250)} punktu`);
    assert.equal(await text(page, '#loyalty-title'), 'Maple balvas');
    assert.equal(await text(page, '[data-reward="mug"] h4'), 'Bez maksas: Maple krūze');
    assert.equal(await text(page, '[part="tier-card"] h4'), 'Jūsu līmenis: Zelta');
    assert.match(await text(page, '#loyalty-section-earn'), /Aizpildiet profilu/);
    // Intl's Latvian categories, as the merchant's forms are chosen by: 25 is "other".
    const forms = await page.evaluate(() => {
      const rules = new Intl.PluralRules('lv');
      return [21, 25, 10].map((n) => rules.select(n));
    });
    assert.deepEqual(forms, ['one', 'other', 'zero']);
    assert.match(
      await text(page, '#loyalty-section-earn'),
      new RegExp(`\\+${await number(25)} punkti`),
    );
    await screenshot(page, 'locale-lv');
    await page.close();
  });

  test('ar: right-to-left, Arabic catalog and Arabic merchant texts', async () => {
    const page = await openPanel({ customer: 'c-2002', locale: 'ar' });
    assert.equal(await panelAttribute(page, 'dir'), 'rtl');
    assert.equal(await panelAttribute(page, 'lang'), 'ar');
    const balance = await formatIn(page, 'ar', 'number', 1250);
    // 1,250 is Arabic's "many" category (n % 100 in 11..99).
    assert.equal(await text(page, '[part="balance"]'), `${balance} نقطة`);
    assert.equal(await text(page, '#loyalty-title'), 'مكافآت Maple');
    assert.equal(await text(page, '#loyalty-section-rewards h3'), 'المكافآت');
    assert.equal(await text(page, '[data-reward="mug"] h4'), 'مجانًا: كوب Maple');
    assert.equal(await text(page, '[part="tier-card"] h4'), 'مستواك: ذهبي');
    const date = await formatIn(page, 'ar', 'date', '2026-12-05T10:00:00-05:00');
    assert.equal(
      await text(page, '[part~="expiring"]'),
      `تنتهي صلاحية ${await formatIn(page, 'ar', 'number', 300)} نقطة في ${date}`,
    );
    const closeIsLeft = await page.evaluate(() => {
      const root = document.querySelector('loyalty-launcher').shadowRoot;
      const title = root.querySelector('#loyalty-title').getBoundingClientRect();
      const close = root.querySelector('[part="close"]').getBoundingClientRect();
      return close.left < title.left;
    });
    assert.ok(closeIsLeft, 'in RTL the close button sits to the left of the title');
    // Opened: the button caught up with the program's own label for the locale.
    assert.equal(await buttonLabel(page), 'مكافآت Maple');
    await screenshot(page, 'locale-ar-rtl');
    await page.close();
  });

  test('a right-to-left page in a language without a catalog stays left-to-right English', async () => {
    const page = await openPanel({ customer: 'c-2002', locale: 'he', lang: 'he', dir: 'rtl' });
    assert.equal(await panelAttribute(page, 'dir'), 'ltr');
    assert.equal(await panelAttribute(page, 'lang'), 'en');
    assert.equal(await text(page, '[part="balance"]'), '1,250 points');
    assert.equal(await text(page, '#loyalty-section-rewards h3'), 'Rewards');
    assert.equal(await buttonLabel(page), 'Rewards');
    await screenshot(page, 'locale-he-fallback');
    await page.close();
  });

  test('a catalog is found by its language: pt-PT reads pt-BR, zh-TW reads zh-Hant', async () => {
    for (const [locale, heading] of [
      ['pt-PT', 'Recompensas'],
      ['zh-TW', '獎勵'],
      ['de-AT', 'Prämien'],
    ]) {
      const page = await openPanel({ customer: 'c-2002', locale });
      assert.equal(await text(page, '#loyalty-section-rewards h3'), heading, locale);
      assert.equal(await panelAttribute(page, 'dir'), 'ltr');
      await page.close();
    }
  });

  test('plural counts in the catalog follow the language (guest summary in Arabic)', async () => {
    const page = await openPanel({ locale: 'ar' });
    // 6 rewards and 8 ways to earn: Arabic's "few" (3..10) for both, not English's "other".
    const [rewards, ways] = await Promise.all([6, 8].map((n) => formatIn(page, 'ar', 'number', n)));
    assert.match(
      await text(page, '[part~="guest"]'),
      new RegExp(`${rewards} مكافآت و${ways} طرق لكسب النقاط`),
    );
    await page.close();
  });
});

describe('the button label', () => {
  test('from the label attribute at first paint, the same width when loaded and opened', async () => {
    const page = await openPage(
      env,
      { customer: 'c-2002', locale: 'lv', label: 'Maple balvas' },
      { waitReady: false },
    );
    const first = { label: await buttonLabel(page), width: await buttonWidth(page) };
    assert.equal(first.label, 'Maple balvas');
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    await inPanel(page, '#loyalty-title').waitFor();
    await page.evaluate(() => document.querySelector('loyalty-launcher').close());
    assert.deepEqual({ label: await buttonLabel(page), width: await buttonWidth(page) }, first);
    await page.close();
  });

  test("without the attribute: the catalog's label, then the program's from the next page view", async () => {
    const page = await openPage(env, { customer: 'c-2002', locale: 'lv' });
    // First visit: the catalog's Latvian label, held while the data loads (no width change).
    assert.equal(await buttonLabel(page), 'Balvas');
    // The next page view starts from the cached program label in the same language...
    await page.goto(`${env.server.origin}/page.html?customer=c-2002&locale=lv`);
    await page.locator('loyalty-launcher [part="launcher"]').waitFor();
    assert.equal(await buttonLabel(page), 'Maple balvas');
    // ...and never from a label cached in another language.
    await page.goto(`${env.server.origin}/page.html?customer=c-2002&locale=zh-Hant`);
    await page.locator('loyalty-launcher [part="launcher"]').waitFor();
    assert.equal(await buttonLabel(page), '會員獎勵');
    await page.close();
  });
});
