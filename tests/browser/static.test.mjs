// Static mode (merchant preview, static sites) and the mapping option for other backends.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixtures, inPanel, openPage, setup, waitForEvent } from './helpers.mjs';

const data = fixtures();
let env;
before(async () => {
  env = await setup(data);
});
after(async () => {
  await env?.close();
});

const activeKey = (page) =>
  page.evaluate(
    () => document.querySelector('loyalty-launcher').shadowRoot.activeElement?.dataset.key,
  );

describe('static mode', () => {
  test('documents from child <script type="application/json"> render with no backend call', async () => {
    env.server.backend.requests.length = 0;
    const page = await openPage(env, { mode: 'static', customer: 'c-2002' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    assert.equal(
      await page.locator('loyalty-launcher [part="badge"]').textContent(),
      '1,250 points',
    );
    assert.deepEqual(env.server.backend.requests, []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('a document nested 100,000 levels deep shows its path, not a throw', async () => {
    const page = await openPage(env, { mode: 'static', customer: 'c-2002' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    await page.evaluate(
      (deep) => {
        const customer = JSON.parse(`{"version": 1, "deep": ${deep}}`);
        document.querySelector('loyalty-launcher').customer = customer;
      },
      '['.repeat(1e5) + ']'.repeat(1e5),
    );
    // As other edits that break a document: the error with its path, the last good view stays.
    const notice = inPanel(page, '[part~="stale"] [part="error"]');
    await notice.waitFor();
    assert.equal(
      await notice.locator('li').first().textContent(),
      `customer /deep${'/0'.repeat(63)}: nested deeper than 64 levels, the most any JSON input may have`,
    );
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    assert.deepEqual(await page.evaluate(() => window.__loyalty.errors), []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('preview redeem sends nothing and says so', async () => {
    env.server.backend.requests.length = 0;
    const page = await openPage(env, { mode: 'static', customer: 'c-2002' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open('rewards'));
    await inPanel(page, '[data-reward="r5"] [part="redeem"]').click();
    await inPanel(page, '[data-reward="r5"] [part="confirm-button"]').click();
    assert.deepEqual(await waitForEvent(page, 'loyalty:redeem'), { preview: true, rewardId: 'r5' });
    assert.equal(
      await inPanel(page, '[data-reward="r5"] [part="coupon"]').textContent(),
      'Preview: nothing was redeemed',
    );
    assert.deepEqual(env.server.backend.requests, []);
    await page.close();
  });

  test('el.program on every keystroke: one batched render, focus kept, errors keep the last view', async () => {
    const page = await openPage(env, { mode: 'static', customer: 'c-2002' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open('rewards'));
    await inPanel(page, '[data-reward="r5"] [part="redeem"]').focus();
    const renders = await page.evaluate(async (program) => {
      const element = document.querySelector('loyalty-launcher');
      const panel = element.shadowRoot.querySelector('[part="panel"]');
      let count = 0;
      const observer = new MutationObserver((records) => {
        count += records.filter((record) => record.target === panel).length;
      });
      observer.observe(panel, { childList: true });
      element.program = { ...program, labels: { 'panel.title': 'Preview title' } };
      element.customer = element.customer; // several changes in one task
      element.locale = 'en';
      await new Promise((resolve) => setTimeout(resolve, 50));
      observer.disconnect();
      return count;
    }, data.program);
    assert.equal(renders, 1);
    assert.equal(await inPanel(page, '#loyalty-title').textContent(), 'Preview title');
    assert.equal(await activeKey(page), 'redeem-r5');
    // A mistake while typing: the error shows with its path, the last good view stays.
    await page.evaluate((program) => {
      const broken = structuredClone(program);
      broken.rewards[0].cost = 0;
      document.querySelector('loyalty-launcher').program = broken;
    }, data.program);
    const notice = inPanel(page, '[part~="stale"] [part="error"]');
    await notice.waitFor();
    assert.match(await notice.locator('li').first().textContent(), /^\/rewards\/0\/cost: /);
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    assert.equal(await activeKey(page), 'redeem-r5');
    await page.close();
  });

  test('a redraw while a section has focus keeps focus inside, so Escape still closes', async () => {
    const page = await openPage(env, { mode: 'static', customer: 'c-2002' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open('rewards'));
    assert.equal(await activeKey(page), 'section-rewards');
    await page.evaluate((program) => {
      document.querySelector('loyalty-launcher').program = { ...program, name: 'Renamed' };
    }, data.program);
    await page.waitForFunction(
      () => document.querySelector('loyalty-launcher').shadowRoot.activeElement?.dataset.key,
    );
    assert.equal(await activeKey(page), 'section-rewards');
    await page.keyboard.press('Escape');
    await page.locator('loyalty-launcher [part="panel"]').waitFor({ state: 'hidden' });
    await page.close();
  });

  test('preview re-render cost (figure, not asserted)', async () => {
    const page = await openPage(env, { mode: 'static', customer: 'c-2002' });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open('rewards'));
    const timings = await page.evaluate(async (program) => {
      const element = document.querySelector('loyalty-launcher');
      const samples = [];
      for (let i = 0; i < 40; i += 1) {
        const start = performance.now();
        element.program = { ...program, name: `Maple ${i}` };
        await Promise.resolve(); // the batched update runs in a microtask
        await Promise.resolve();
        samples.push(performance.now() - start);
      }
      samples.sort((a, b) => a - b);
      return { median: samples[20], p90: samples[36] };
    }, data.program);
    console.log(
      `  preview keystroke -> core view + render: median ${timings.median.toFixed(2)} ms, p90 ${timings.p90.toFixed(2)} ms (wall, noisy machine)`,
    );
    assert.equal(await inPanel(page, '#loyalty-section-rewards').count(), 1);
    await page.close();
  });
});

describe('mapping', () => {
  test('another backend shape is read with JSON Pointers', async () => {
    const mapping = {
      paths: { program: 'loyalty/program.json', customer: 'me' },
      program: { '': '/data' },
      customer: {
        id: '/customer/uid',
        firstName: '/customer/first_name',
        status: { value: 'member' },
        'summary/balance': '/customer/points_balance',
        referralCode: '/customer/referral/code',
      },
    };
    const page = await openPage(env, {
      api: '/alt/',
      customer: 'c-2002',
      mapping: JSON.stringify(mapping),
    });
    await page.evaluate(() => document.querySelector('loyalty-launcher').open());
    assert.equal(await inPanel(page, '[part="balance"]').textContent(), '1,250 points');
    assert.equal(await inPanel(page, '[part="header"] p').first().textContent(), 'Hi Bea');
    assert.equal(
      await inPanel(page, '[part="referral-link"]').textContent(),
      'https://maple.example/r/BEA-9K4',
    );
    await page.close();
  });
});
