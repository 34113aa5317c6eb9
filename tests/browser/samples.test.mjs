// Every sample program and customer of demo/programs, rendered in static mode: the panel shows
// exactly what the wasm core's view says, and axe finds nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertPanelShows,
  axe,
  coreView,
  inPanel,
  openPage,
  samples,
  screenshot,
  setup,
} from './helpers.mjs';

const GUEST = { version: 1, id: 'guest', status: 'guest' };
const all = samples();
let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

describe('demo/programs samples', () => {
  test('the samples exist', () => {
    assert.ok(all.length >= 4, `found ${all.length} sample customers in demo/programs`);
  });
  for (const { sample, persona, program, customer, context } of all) {
    test(`${sample} / ${persona}`, async () => {
      const page = await openPage(env, { mode: 'static', sample, persona });
      await page.evaluate(() => document.querySelector('loyalty-launcher').open());
      await inPanel(page, '#loyalty-title').waitFor();
      const result = await coreView(page, program, customer ?? GUEST, context);
      assert.equal(result.ok, true, JSON.stringify(result.errors));
      await assertPanelShows(page, result.view, assert);
      assert.deepEqual(await axe(page), []);
      assert.deepEqual(page.problems, []);
      await screenshot(page, `sample-${sample}-${persona}`);
      await page.close();
    });
  }
  for (const locale of ['zh-Hant', 'lv']) {
    test(`beauty / vip in ${locale}`, async () => {
      const one = all.find((entry) => entry.sample === 'beauty' && entry.persona === 'vip');
      if (!one) return;
      const page = await openPage(env, {
        mode: 'static',
        sample: 'beauty',
        persona: 'vip',
        locale,
        lang: locale,
      });
      await page.evaluate(() => document.querySelector('loyalty-launcher').open());
      await inPanel(page, '#loyalty-title').waitFor();
      const result = await coreView(page, one.program, one.customer, { ...one.context, locale });
      assert.equal(result.view.locale, locale);
      await assertPanelShows(page, result.view, assert);
      assert.deepEqual(await axe(page), []);
      await screenshot(page, `sample-beauty-vip-${locale}`);
      await page.close();
    });
  }
});
