// The panel on a small phone, a large phone and a laptop, in every catalog the launcher ships:
// it stays inside the viewport, nothing runs off its side, every button is a 44 px target, a
// 320x568 phone shows two whole rewards under the header, and the header folds as the list
// scrolls. Screenshots of each go to tests/artifacts/browser.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixtures, inPanel, openPage, repo, screenshot, setup } from './helpers.mjs';

const CATALOGS = readdirSync(join(repo, 'web/locales'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''))
  .sort();
const SCREENS = [
  { name: 'phone-320', width: 320, height: 568, sheet: true },
  { name: 'phone-390', width: 390, height: 844, sheet: true },
  { name: 'laptop-1280', width: 1280, height: 800, sheet: false },
];
const TARGET = 44; // px: the panel's buttons and links are at least this, both ways

let env;
before(async () => {
  env = await setup(fixtures());
});
after(async () => {
  await env?.close();
});

/** Geometry of the open panel, measured in the page (shadow root included). */
function measure(page) {
  return page.evaluate(async () => {
    const root = document.querySelector('loyalty-launcher').shadowRoot;
    // Measured where it ends up, not halfway through the panel's slide-in.
    await Promise.all(root.getAnimations().map((animation) => animation.finished));
    const panel = root.querySelector('[part="panel"]');
    const box = panel.getBoundingClientRect();
    const shown = (node) => node.getClientRects().length > 0 && node.offsetParent !== null;
    const label = (node) =>
      `${node.tagName.toLowerCase()}${node.getAttribute('part') ? `[${node.getAttribute('part')}]` : ''} "${node.textContent.trim().slice(0, 24)}"`;
    // The nav scrolls sideways on purpose; everything else must stay within the panel's sides.
    const outside = [...panel.querySelectorAll('*')]
      .filter((node) => shown(node) && !node.closest('nav'))
      .filter((node) => {
        const rect = node.getBoundingClientRect();
        return rect.width > 1 && (rect.left < box.left - 1 || rect.right > box.right + 1);
      })
      .map(label);
    // Text cut off inside its own box (an ellipsis or hidden overflow), the nav and the
    // visually hidden balance label aside.
    const clipped = [...panel.querySelectorAll('*')]
      .filter(
        (node) => shown(node) && !node.closest('nav') && node.getBoundingClientRect().width > 1,
      )
      .filter((node) => getComputedStyle(node).overflowX !== 'visible')
      .filter((node) => node !== panel && node.scrollWidth > node.clientWidth + 1)
      .map(label);
    const targets = [...panel.querySelectorAll('button, a[href], input, select')]
      .filter(shown)
      .map((node) => {
        const rect = node.getBoundingClientRect();
        return { label: label(node), width: rect.width, height: rect.height };
      });
    const fullyShown = (node) => {
      const rect = node.getBoundingClientRect();
      return rect.top >= Math.max(box.top, 0) && rect.bottom <= Math.min(box.bottom, innerHeight);
    };
    return {
      box: { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
      viewport: { width: innerWidth, height: innerHeight },
      pageScrollWidth: document.documentElement.scrollWidth,
      panelOverflow: panel.scrollWidth - panel.clientWidth,
      outside,
      clipped,
      targets,
      rewardsInView: [...root.querySelectorAll('[part~="reward"]')].filter(fullyShown).length,
      scrollable: panel.scrollHeight - panel.clientHeight,
    };
  });
}

describe('the panel on every screen, in every catalog', () => {
  for (const locale of CATALOGS) {
    test(`${locale}: inside the viewport, nothing cut off, 44 px targets`, async () => {
      const page = await openPage(env, { customer: 'c-2002', locale });
      for (const screen of SCREENS) {
        await page.setViewportSize({ width: screen.width, height: screen.height });
        await page.evaluate(() => document.querySelector('loyalty-launcher').open());
        await inPanel(page, '#loyalty-title').waitFor();
        const at = `${locale} ${screen.name}`;
        const found = await measure(page);
        await screenshot(page, `screen-${screen.name}-${locale}`);
        const { box, viewport } = found;
        assert.ok(box.left >= 0 && box.top >= 0, `${at}: panel starts off-screen ${box.left}`);
        assert.ok(
          box.right <= viewport.width && box.bottom <= viewport.height,
          `${at}: panel ${JSON.stringify(box)} in ${JSON.stringify(viewport)}`,
        );
        if (screen.sheet) {
          assert.deepEqual(box, {
            left: 0,
            top: 0,
            right: viewport.width,
            bottom: viewport.height,
          });
        }
        assert.equal(found.pageScrollWidth, viewport.width, `${at}: the page scrolls sideways`);
        assert.ok(found.panelOverflow <= 0, `${at}: the panel scrolls sideways`);
        assert.deepEqual(found.outside, [], `${at}: runs off the panel's side`);
        assert.deepEqual(found.clipped, [], `${at}: text cut off`);
        const small = found.targets.filter((t) => t.width < TARGET || t.height < TARGET);
        assert.deepEqual(small, [], `${at}: targets under ${TARGET} px`);
        assert.ok(found.targets.length >= 5, `${at}: only ${found.targets.length} targets`);
        if (screen.width === 320) {
          assert.ok(found.rewardsInView >= 2, `${at}: ${found.rewardsInView} whole rewards shown`);
        }
        await page.evaluate(() => document.querySelector('loyalty-launcher').close());
        await page.locator('loyalty-launcher [part="panel"]').waitFor({ state: 'hidden' });
      }
      assert.deepEqual(page.problems, []);
      await page.close();
    });
  }
});

describe('the header on a small phone', () => {
  const panelFolded = (page) =>
    page
      .locator('loyalty-launcher [part="panel"]')
      .evaluate((panel) => panel.hasAttribute('data-folded'));
  const scrollPanelTo = (page, top) =>
    page.locator('loyalty-launcher [part="panel"]').evaluate((panel, y) => {
      panel.scrollTop = y;
      panel.dispatchEvent(new Event('scroll')); // scroll events are async; don't wait on one
    }, top);

  test('folds to the title and balance once the list scrolls, and unfolds at the top', async () => {
    const page = await openPage(env, { customer: 'c-2002', locale: 'en' });
    await page.setViewportSize({ width: 320, height: 568 });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    await inPanel(page, '#loyalty-title').waitFor();
    const headerHeight = () =>
      inPanel(page, '[part="header"]').evaluate((node) => node.getBoundingClientRect().height);
    const open = await headerHeight();
    assert.equal(await panelFolded(page), false);
    assert.ok(await inPanel(page, '[part="next-reward"]').isVisible());

    await scrollPanelTo(page, 30); // a nudge does not fold it
    assert.equal(await panelFolded(page), false);
    await scrollPanelTo(page, 200);
    assert.equal(await panelFolded(page), true);
    assert.ok(await inPanel(page, '[part="balance"]').isVisible(), 'the balance stays');
    assert.equal(await inPanel(page, '[part="next-reward"]').isVisible(), false);
    const folded = await headerHeight();
    assert.ok(folded < open - 30, `header ${open} px open, ${folded} px folded`);
    await screenshot(page, 'screen-phone-320-folded');

    await scrollPanelTo(page, 40); // between the two thresholds: stays folded (no bouncing)
    assert.equal(await panelFolded(page), true);
    await scrollPanelTo(page, 0);
    assert.equal(await panelFolded(page), false);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('a list with little to scroll never folds the header', async () => {
    const page = await openPage(env, { customer: 'c-2002', locale: 'en' });
    const panel = page.locator('loyalty-launcher [part="panel"]');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    await inPanel(page, '#loyalty-title').waitFor();
    // A phone tall enough that the list scrolls 200 px: past the fold's 64 px, yet folding
    // would free more room than the rest of the list needs, so it would only bounce.
    const content = await panel.evaluate((node) => node.scrollHeight);
    await page.setViewportSize({ width: 390, height: content - 200 });
    const room = await panel.evaluate((node) => node.scrollHeight - node.clientHeight);
    assert.ok(room > 64 && room < 64 + 240, `the panel scrolls ${room} px`);
    await scrollPanelTo(page, room);
    assert.equal(await panelFolded(page), false);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});
