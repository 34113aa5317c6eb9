// The launcher element in a real browser: opening and closing by mouse and keyboard, focus,
// deep links, the loader embed, setCustomer in a single-page app, and the strict CSP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  events,
  inPanel,
  openPage,
  screenshot,
  setup,
  waitForEvent,
  waitForFocus,
} from './helpers.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

/** id of the element focused inside the launcher's shadow root, or the page's focused id. */
const focused = (page) =>
  page.evaluate(() => {
    const host = document.querySelector('loyalty-launcher');
    const inner = host?.shadowRoot?.activeElement;
    if (inner)
      return `shadow:${inner.id || inner.getAttribute('data-key') || inner.getAttribute('part')}`;
    return `page:${document.activeElement?.id || document.activeElement?.tagName}`;
  });

describe('opening and closing', () => {
  test('mouse: the launcher opens a labelled dialog and the close button returns focus', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    const launcher = page.locator('loyalty-launcher [part="launcher"]');
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    await launcher.click();
    const panel = page.locator('loyalty-launcher [part="panel"]');
    await panel.waitFor({ state: 'visible' });
    assert.equal(await panel.getAttribute('role'), 'dialog');
    assert.equal(await panel.getAttribute('aria-modal'), 'true');
    assert.equal(await panel.getAttribute('aria-labelledby'), 'loyalty-title');
    assert.equal(await inPanel(page, '#loyalty-title').textContent(), 'Maple Rewards');
    assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
    await waitForFocus(page, 'loyalty-title');
    const opened = await waitForEvent(page, 'loyalty:open');
    assert.deepEqual(opened, { section: null });
    await inPanel(page, '[part="close"]').click();
    await panel.waitFor({ state: 'hidden' });
    assert.equal(await focused(page), 'shadow:launcher');
    const all = await events(page);
    assert.ok(all.some((event) => event.type === 'loyalty:close' && event.composed));
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('keyboard: Enter opens, Tab stays inside, Shift+Tab wraps, Escape closes', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    await page.locator('#host-button').focus();
    await page.keyboard.press('Tab');
    // The launcher comes after the host content in tab order.
    assert.equal(await focused(page), 'shadow:launcher');
    await page.keyboard.press('Enter');
    await inPanel(page, '#loyalty-title').waitFor();
    await waitForFocus(page, 'loyalty-title');
    await page.keyboard.press('Shift+Tab');
    const last = await focused(page);
    assert.match(last, /^shadow:/, 'Shift+Tab from the title wraps to the last control');
    const stops = new Set();
    for (let i = 0; i < 80; i += 1) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      assert.match(now, /^shadow:/, `focus left the dialog after ${i + 1} Tabs`);
      stops.add(now);
    }
    assert.ok(stops.has('shadow:close') && stops.has('shadow:redeem-r5'));
    await page.keyboard.press('Escape');
    await page.locator('loyalty-launcher [part="panel"]').waitFor({ state: 'hidden' });
    assert.equal(await focused(page), 'shadow:launcher');
    await page.close();
  });

  test('opening draws the top and the first section first; the rest and focus a frame later', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    // Drawn while closed: the header, the nav to all five sections, and the first section only.
    const closed = await page.evaluate(() => {
      const root = document.querySelector('loyalty-launcher').shadowRoot;
      const drawn = root.querySelector('[part="panel"]');
      return {
        sections: [...drawn.querySelectorAll('section')].map((section) => section.id),
        nav: drawn.querySelectorAll('[part="nav"] button').length,
        title: Boolean(drawn.querySelector('#loyalty-title')),
      };
    });
    assert.deepEqual(closed, { sections: ['loyalty-section-rewards'], nav: 5, title: true });
    // In the task that opens it, only the first section is laid out: a panel drawn while
    // closed has no other yet, and one drawn now keeps the others out of layout for a frame.
    // Focus has not moved (a focus() there would force the whole layout into that task).
    const opening = await page.evaluate(async () => {
      const host = document.querySelector('loyalty-launcher');
      await host.open();
      const panel = host.shadowRoot.querySelector('[part="panel"]');
      const [first, ...others] = [...panel.querySelectorAll('section')].map(
        (section) => getComputedStyle(section).contentVisibility,
      );
      return {
        visible: !panel.hidden,
        opening: panel.hasAttribute('data-opening'),
        first,
        othersLaidOut: others.filter((value) => value !== 'hidden').length,
        nav: panel.querySelectorAll('[part="nav"] button').length,
        focusInside: panel.contains(host.shadowRoot.activeElement),
      };
    });
    assert.deepEqual(opening, {
      visible: true,
      opening: true,
      first: 'auto',
      othersLaidOut: 0,
      nav: 5,
      focusInside: false,
    });
    // After the frame: focus on the title, every section back to laid out when near.
    await waitForFocus(page, 'loyalty-title');
    const opened = await page.evaluate(() => {
      const panel = document
        .querySelector('loyalty-launcher')
        .shadowRoot.querySelector('[part="panel"]');
      return {
        opening: panel.hasAttribute('data-opening'),
        contentVisibility: [...panel.querySelectorAll('section')].map(
          (section) => getComputedStyle(section).contentVisibility,
        ),
      };
    });
    assert.deepEqual(opened, { opening: false, contentVisibility: Array(5).fill('auto') });
    // Closed again before the frame: the late focus step does nothing.
    await page.evaluate(async () => {
      const host = document.querySelector('loyalty-launcher');
      await host.close();
      await host.open();
      await host.close();
    });
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50))),
    );
    assert.equal(await focused(page), 'shadow:launcher');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('an element with data-loyalty-open opens that section and gets focus back', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    await page.locator('#open-rewards').click();
    await inPanel(page, '#loyalty-section-rewards').waitFor();
    assert.equal(await focused(page), 'shadow:loyalty-section-rewards');
    assert.deepEqual(await waitForEvent(page, 'loyalty:open'), { section: 'rewards' });
    await page.keyboard.press('Escape');
    assert.equal(await focused(page), 'page:open-rewards');
    await page.close();
  });

  for (const section of ['rewards', 'earn', 'referral', 'vip', 'activity']) {
    test(`deep link #loyalty-${section} opens the panel at that section`, async () => {
      const page = await openPage(env, { customer: 'c-2002' }, { hash: `#loyalty-${section}` });
      await page.waitForFunction(
        (name) =>
          document.querySelector('loyalty-launcher').shadowRoot.activeElement?.id ===
          `loyalty-section-${name}`,
        section,
      );
      const visible = await page.evaluate((name) => {
        const root = document.querySelector('loyalty-launcher').shadowRoot;
        const panel = root.querySelector('[part="panel"]').getBoundingClientRect();
        const heading = root.querySelector(`#loyalty-section-${name} h3`).getBoundingClientRect();
        return heading.top >= panel.top && heading.bottom <= panel.bottom;
      }, section);
      assert.ok(visible, 'the section heading is scrolled into the panel');
      await page.close();
    });
  }

  test('position="left" and the section attribute', async () => {
    const page = await openPage(env, { customer: 'c-2002', position: 'left' });
    const box = await page.locator('loyalty-launcher [part="launcher"]').boundingBox();
    assert.ok(box.x < 100, `the button sits on the left (x = ${box.x})`);
    await page.evaluate(() => {
      const element = document.querySelector('loyalty-launcher');
      element.section = 'activity';
      element.position = 'middle'; // not a position: the getter falls back
    });
    assert.equal(
      await page.evaluate(() => document.querySelector('loyalty-launcher').position),
      '',
    );
    await page.locator('loyalty-launcher [part="launcher"]').click();
    assert.equal(await focused(page), 'shadow:loyalty-section-activity');
    const panelBox = await page.locator('loyalty-launcher [part="panel"]').boundingBox();
    // Without a valid position attribute the program's branding decides: right.
    assert.ok(panelBox.x > 500, `the panel follows the branding position (x = ${panelBox.x})`);
    await page.close();
  });

  test('the JS API: open(section), close(), toggle()', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open('vip'));
    assert.equal(await focused(page), 'shadow:loyalty-section-vip');
    await page.evaluate(() => document.querySelector('loyalty-launcher').close());
    assert.equal(await page.locator('loyalty-launcher [part="panel"]').isHidden(), true);
    await page.evaluate(() => document.querySelector('loyalty-launcher').toggle());
    assert.equal(await page.locator('loyalty-launcher [part="panel"]').isVisible(), true);
    await page.evaluate(() => document.querySelector('loyalty-launcher').toggle());
    assert.equal(await page.locator('loyalty-launcher [part="panel"]').isHidden(), true);
    await page.close();
  });
});

describe('the loader embed', () => {
  test('the script tag creates <loyalty-launcher> with its data attributes', async () => {
    const page = await openPage(env, { mode: 'loader', customer: 'c-2002', locale: 'en' });
    const attributes = await page.evaluate(() => {
      const element = document.querySelector('loyalty-launcher');
      return Object.fromEntries([...element.attributes].map((a) => [a.name, a.value]));
    });
    assert.equal(attributes.api, '/api');
    assert.equal(attributes['customer-id'], 'c-2002');
    assert.equal(attributes['customer-token'], 'c-2002.4102444800.test');
    assert.equal(
      await page.locator('loyalty-launcher [part="badge"]').textContent(),
      '1,250 points',
    );
    await page.close();
  });

  test('the button shows its label and the last balance without the panel code or wasm', async () => {
    // sessionStorage lives per tab, so the same tab reloads with the panel and core blocked.
    const blocked = await openPage(env, { mode: 'loader', customer: 'c-2002' });
    const requested = [];
    await blocked.route(/loyalty-(panel\.js|core\.js|core\.wasm)/, (route) => {
      requested.push(route.request().url());
      return route.abort();
    });
    await blocked.reload();
    const launcher = blocked.locator('loyalty-launcher [part="launcher"]');
    await launcher.waitFor();
    assert.equal(await blocked.locator('loyalty-launcher [part="label"]').textContent(), 'Rewards');
    assert.equal(
      await blocked.locator('loyalty-launcher [part="badge"]').textContent(),
      '1,250 points',
    );
    // Clicking when the panel code cannot load reports an error and leaves the page working.
    await launcher.click();
    await waitForEvent(blocked, 'loyalty:error');
    assert.ok(requested.some((url) => url.endsWith('loyalty-panel.js')));
    assert.deepEqual(await blocked.evaluate(() => window.__loyalty.errors), []);
    await blocked.close();
  });

  test('the launcher causes no layout shift', async () => {
    const page = await openPage(env, { mode: 'loader', customer: 'c-2002' });
    await page.locator('loyalty-launcher [part="launcher"]').click();
    const shift = await page.evaluate(
      () =>
        new Promise((resolve) => {
          let total = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) total += entry.value;
          }).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => resolve(total), 300);
        }),
    );
    assert.equal(shift, 0);
    await page.close();
  });
  test("the program's label waits for the next page view, so loading moves nothing", async () => {
    const original = env.server.backend.program;
    env.server.backend.program = {
      ...original,
      branding: { ...original.branding, launcherLabel: 'Maple Rewards Club' },
    };
    const shiftsWithoutInput = (page) =>
      page.evaluate(
        () =>
          new Promise((resolve) => {
            const shifts = [];
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries()) {
                if (!entry.hadRecentInput) shifts.push(entry.value);
              }
            }).observe({ type: 'layout-shift', buffered: true });
            setTimeout(() => resolve(shifts), 300);
          }),
      );
    try {
      const page = await openPage(env, { mode: 'loader', customer: 'c-2002' });
      const label = page.locator('loyalty-launcher [part="label"]');
      // First view: the data arrived after the first frame; the label it brings would widen
      // the button, so the first frame's label stays (the balance badge moves nothing).
      assert.equal(await label.textContent(), 'Rewards');
      assert.equal(
        await page.locator('loyalty-launcher [part="badge"]').textContent(),
        '1,250 points',
      );
      assert.deepEqual(await shiftsWithoutInput(page), []);
      // The next view in this tab draws the program's label in its first frame.
      await page.reload();
      await waitForEvent(page, 'loyalty:ready');
      assert.equal(await label.textContent(), 'Maple Rewards Club');
      assert.deepEqual(await shiftsWithoutInput(page), []);
      await page.close();

      // A shopper who opens the panel before the next view sees the label then.
      const other = await openPage(env, { mode: 'loader', customer: 'c-2002' });
      await other.locator('loyalty-launcher [part="launcher"]').click();
      await inPanel(other, '#loyalty-title').waitFor();
      assert.equal(
        await other.locator('loyalty-launcher [part="label"]').textContent(),
        'Maple Rewards Club',
      );
      await other.close();
    } finally {
      env.server.backend.program = original;
    }
  });
});

describe('single-page apps', () => {
  test('setCustomer switches from guest to a member and back', async () => {
    const page = await openPage(env, {});
    assert.deepEqual(await waitForEvent(page, 'loyalty:ready'), { state: 'guest' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    await inPanel(page, '[part~="guest"]').waitFor();
    await page.evaluate(() =>
      document
        .querySelector('loyalty-launcher')
        .setCustomer({ id: 'c-2002', token: 'c-2002.4102444800.test' }),
    );
    await inPanel(page, '[part="balance"]').waitFor();
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    assert.equal(
      await page.locator('loyalty-launcher [part="badge"]').textContent(),
      '1,250 points',
    );
    const customerRequest = env.server.backend.requests.findLast((r) => r.endpoint === 'customer');
    assert.equal(customerRequest.headers.authorization, 'Bearer c-2002.4102444800.test');
    await page.evaluate(() => document.querySelector('loyalty-launcher').setCustomer({}));
    await inPanel(page, '[part~="guest"]').waitFor();
    assert.equal(await inPanel(page, '[part="balance"]').count(), 0);
    await page.close();
  });

  test('destroy() removes the launcher and leaves the page alone', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').destroy());
    assert.equal(await page.locator('loyalty-launcher').count(), 0);
    await page.locator('#open-rewards').click();
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});

describe('strict Content-Security-Policy', () => {
  test('every section renders with no CSP violation and no page error', async () => {
    const page = await openPage(env, { customer: 'c-2002' });
    for (const section of ['rewards', 'earn', 'referral', 'vip', 'activity']) {
      await page.evaluate((name) => document.querySelector('loyalty-launcher').open(name), section);
      await inPanel(page, `#loyalty-section-${section}`).waitFor();
    }
    // The constructed stylesheets applied: the launcher has the program's accent colour.
    const colour = await page
      .locator('loyalty-launcher [part="launcher"]')
      .evaluate((node) => getComputedStyle(node).backgroundColor);
    assert.equal(colour, 'rgb(91, 61, 245)');
    const probe = await page.evaluate(() => window.__loyalty);
    assert.deepEqual(probe.violations, []);
    assert.deepEqual(probe.errors, []);
    assert.deepEqual(page.problems, []);
    await screenshot(page, 'csp-member-open');
    await page.close();
  });
  test("a program in a time zone: the browser's offsets reach the core under the same CSP", async () => {
    const original = env.server.backend.program;
    env.server.backend.program = { ...original, timeZone: 'Australia/Sydney' };
    try {
      const page = await openPage(env, { customer: 'c-2002' });
      await page.locator('loyalty-launcher [part="launcher"]').click();
      await inPanel(page, '#loyalty-title').waitFor();
      // A context whose zone the core refused would have drawn the retry state instead.
      await inPanel(page, '#loyalty-section-rewards').waitFor();
      assert.equal(await inPanel(page, '[part~="retry"]').count(), 0);
      assert.equal(
        await page.locator('loyalty-launcher [part="badge"]').textContent(),
        '1,250 points',
      );
      const probe = await page.evaluate(() => window.__loyalty);
      assert.deepEqual(probe.violations, []);
      assert.deepEqual(probe.errors, []);
      assert.deepEqual(page.problems, []);
      await page.close();
    } finally {
      env.server.backend.program = original;
    }
  });
});
