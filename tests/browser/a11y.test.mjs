// axe-core in Chromium: zero violations for the launcher and every panel state, in light and
// dark colour schemes and in each shipped language.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { axe, fixtures, inPanel, openPage, screenshot, setup } from './helpers.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

const assertClean = (violations, label) =>
  assert.deepEqual(violations, [], `${label}: ${JSON.stringify(violations, null, 2)}`);

async function openAt(query, section) {
  const page = await openPage(env, query);
  await page.evaluate((name) => document.querySelector('loyalty-launcher').open(name), section);
  await inPanel(page, '#loyalty-title').waitFor();
  return page;
}

describe('axe-core', () => {
  test('the closed launcher', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    assertClean(await axe(page), 'closed');
    await page.close();
  });

  test('the closed panel is drawn ahead, but out of the accessibility tree and the tab order', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    // Drawn while closed, so that opening only has to reveal it; not laid out until then
    // (content-visibility), so a shopper who never opens it costs the page no layout.
    await page.waitForFunction(() =>
      document.querySelector('loyalty-launcher').shadowRoot.querySelector('[part="balance"]'),
    );
    const closed = await page.evaluate(() => {
      const shadow = document.querySelector('loyalty-launcher').shadowRoot;
      const panel = shadow.querySelector('[part="panel"]');
      // Neither script nor Tab can put focus inside it.
      for (const node of panel.querySelectorAll('button, a[href], input, [tabindex]')) node.focus();
      const box = panel.getBoundingClientRect();
      const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      return {
        clicksReachThePage: hit !== shadow.host,
        contentVisibility: getComputedStyle(panel).contentVisibility,
        visibility: getComputedStyle(panel).visibility,
        inert: panel.inert,
        focusInside: panel.contains(shadow.activeElement),
        controls: panel.querySelectorAll('button').length > 5,
      };
    });
    assert.deepEqual(closed, {
      clicksReachThePage: true,
      contentVisibility: 'hidden',
      visibility: 'hidden',
      inert: true,
      focusInside: false,
      controls: true,
    });
    await page.locator('loyalty-launcher [part="launcher"]').focus();
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => {
        const shadow = document.querySelector('loyalty-launcher').shadowRoot;
        return shadow.querySelector('[part="panel"]').contains(shadow.activeElement);
      }),
      false,
      'Tab from the launcher skips the closed panel',
    );
    const exposed = async () => {
      const cdp = await page.context().newCDPSession(page);
      const { nodes } = await cdp.send('Accessibility.getFullAXTree');
      await cdp.detach();
      return nodes
        .filter((node) => !node.ignored)
        .map((node) => `${node.role?.value}: ${node.name?.value ?? ''}`)
        .filter((entry) => /^(dialog|heading|progressbar|navigation):/.test(entry));
    };
    // The host page's own h1 is the only one of these roles left.
    assert.deepEqual(await exposed(), ['heading: Maple & Co']);
    // The same probe sees the panel once it is open.
    await page.locator('loyalty-launcher [part="launcher"]').click();
    await inPanel(page, '#loyalty-title').waitFor();
    const open = await exposed();
    assert.ok(open.includes('dialog: Maple Rewards'), JSON.stringify(open));
    assert.ok(open.includes('heading: Maple Rewards'), JSON.stringify(open));
    await page.close();
  });

  for (const section of ['rewards', 'earn', 'referral', 'vip', 'activity']) {
    test(`member panel at ${section}`, async () => {
      const page = await openAt({ customer: 'c-2002' }, section);
      assertClean(await axe(page), section);
      await page.close();
    });
  }

  test('member panel in the dark colour scheme', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open('rewards'));
    await inPanel(page, '#loyalty-title').waitFor();
    assertClean(await axe(page), 'dark');
    await screenshot(page, 'member-dark');
    await page.close();
  });

  test('forced colors: system colours and still no violations', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    await page.emulateMedia({ forcedColors: 'active' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open('vip'));
    await inPanel(page, '#loyalty-title').waitFor();
    const border = await page
      .locator('loyalty-launcher [part="launcher"]')
      .evaluate((node) => getComputedStyle(node).borderTopStyle);
    assert.equal(border, 'solid');
    assertClean(await axe(page), 'forced-colors');
    await screenshot(page, 'member-forced-colors');
    await page.close();
  });

  test('reduced motion: no panel animation or button transition', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    const motion = await page.evaluate(() => {
      const root = document.querySelector('loyalty-launcher').shadowRoot;
      return {
        panel: getComputedStyle(root.querySelector('[part="panel"]')).animationName,
        launcher: getComputedStyle(root.querySelector('[part="launcher"]')).transitionProperty,
      };
    });
    assert.deepEqual(motion, { panel: 'none', launcher: 'none' });
    await page.close();
  });

  test('redeem confirmation and coupon', async () => {
    const { customers } = fixtures();
    for (const customer of customers) env.server.backend.customers.set(customer.id, customer);
    const page = await openAt({ customer: 'c-2002' }, 'rewards');
    await inPanel(page, '[data-reward="flex"] [part="redeem"]').click();
    assertClean(await axe(page), 'confirm');
    await inPanel(page, '[data-reward="flex"] [part="confirm-button"]').click();
    await inPanel(page, '[data-reward="flex"] [part="coupon-code"]').waitFor();
    assertClean(await axe(page), 'coupon');
    await page.close();
  });

  test('guest view', async () => {
    const page = await openAt({}, undefined);
    assertClean(await axe(page), 'guest');
    await page.close();
  });

  test('error state', async () => {
    env.server.backend.failures = { program: 'html500' };
    const page = await openPage(env, { customer: 'c-2002' }, { waitReady: false });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    await inPanel(page, '[part="error"]').waitFor();
    env.server.backend.failures = {};
    assertClean(await axe(page), 'error');
    await page.close();
  });

  for (const locale of ['zh-Hant', 'zh-Hans', 'lv']) {
    test(`member panel in ${locale}`, async () => {
      const page = await openAt({ customer: 'c-2002', locale, lang: locale }, 'rewards');
      assertClean(await axe(page), locale);
      await page.close();
    });
  }

  test('every button is at least 44 by 44 CSS pixels', async () => {
    const page = await openAt({ customer: 'c-2002' }, 'rewards');
    const small = await page.evaluate(async () => {
      const root = document.querySelector('loyalty-launcher').shadowRoot;
      // Measured after the opening animation: mid-slide, float rounding reports 43.9999 px.
      await Promise.all(root.getAnimations().map((animation) => animation.finished));
      return [...root.querySelectorAll('button, a.button')]
        .map((node) => ({
          key: node.dataset.key ?? node.getAttribute('part'),
          box: node.getBoundingClientRect(),
        }))
        .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
        .map(({ key, box }) => `${key} ${box.width}x${box.height}`);
    });
    assert.deepEqual(small, []);
    await page.close();
  });
});
