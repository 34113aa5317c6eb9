// Shared set-up for the browser tests: Debian's Chromium through playwright-core, the test
// server, fixtures, the core's own view as the oracle, and axe-core.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');
export const artifacts = join(repo, 'tests/artifacts/browser');
export const NOW = '2026-11-23T10:00:00-05:00';

/** Flags for Debian's headless Chromium on these machines (../shared/TOOLCHAIN.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The maple program and its sample customers (tests/browser/fixtures). */
export function fixtures() {
  const dir = join(here, 'fixtures');
  return {
    program: readJson(join(dir, 'maple.program.json')),
    customers: readdirSync(dir)
      .filter((file) => file.endsWith('.customer.json'))
      .map((file) => readJson(join(dir, file))),
  };
}

/** The real wasm core must be in build/web: these tests never run a stand-in. */
export function assertRealCore() {
  for (const file of ['loyalty-core.js', 'loyalty-core.wasm', 'loyalty-launcher.js']) {
    if (!existsSync(join(repo, 'build/web', file))) {
      throw new Error(`build/web/${file} is missing: run step 30 (wasm) and node web/build.mjs`);
    }
  }
  const wasm = readFileSync(join(repo, 'build/web/loyalty-core.wasm'));
  if (wasm.readUInt32LE(0) !== 0x6d736100)
    throw new Error('build/web/loyalty-core.wasm is not wasm');
}

/**
 * Browser + server for one test file. `crossOrigin`: a second server (`env.launcher`, another
 * port) serves /web and /api, and the pages of `env.server` load the launcher from it when
 * their query has `launcher: env.launcher.origin`; that server's API allows the shop's origin.
 */
export async function setup({ program, customers, crossOrigin = false } = {}) {
  if (!program) ({ program, customers } = fixtures());
  assertRealCore();
  mkdirSync(artifacts, { recursive: true });
  const server = await startServer({ program, customers });
  const launcher = crossOrigin ? await startServer({ program, customers }) : null;
  launcher?.allowOrigins.push(server.origin);
  const profile = mkdtempSync(join(tmpdir(), 'loyalty-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
    locale: 'en-US',
    timezoneId: 'America/New_York',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  return {
    server,
    launcher,
    context,
    async close() {
      await context.close();
      await server.close();
      await launcher?.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Sets what the shop's origin remembers about its CSP refusing the core's blob: worker
 * (web/src/core.js): `refused` true = a browser that has met the refusal before, so 'auto'
 * doesn't try again; false = a first visit.
 */
export async function rememberBlobWorkerRefused(env, refused) {
  const page = await env.context.newPage();
  await page.goto(`${env.server.origin}/join`);
  await page.evaluate(
    (at) => {
      if (at) localStorage.setItem('loyalty:v1:core-worker-refused', String(at));
      else localStorage.removeItem('loyalty:v1:core-worker-refused');
    },
    refused ? Date.now() : 0,
  );
  await page.close();
}

/**
 * Opens a host page (see server.mjs hostPage for the query) and collects page errors and CSP
 * messages. Resolves once the launcher button is visible. `before(page)` runs before loading.
 */
export async function openPage(env, query = {}, { waitReady = true, hash = '', before } = {}) {
  const page = await env.context.newPage();
  before?.(page); // listeners that must see the first requests
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text()))
      problems.push(`csp: ${message.text()}`);
  });
  const search = new URLSearchParams(query).toString();
  await page.goto(`${env.server.origin}/page.html?${search}${hash}`);
  await page.locator('loyalty-launcher [part="launcher"]').waitFor();
  if (waitReady) await waitForEvent(page, 'loyalty:ready');
  page.problems = problems;
  return page;
}

/** Waits until the host probe has recorded an event of `type`; returns its detail. */
export async function waitForEvent(page, type, count = 1) {
  await page.waitForFunction(
    ([name, n]) => window.__loyalty.events.filter((event) => event.type === name).length >= n,
    [type, count],
  );
  return page.evaluate(
    ([name, n]) => window.__loyalty.events.filter((event) => event.type === name)[n - 1].detail,
    [type, count],
  );
}

export const events = (page) => page.evaluate(() => window.__loyalty.events);

/**
 * Waits until the element with `id` inside the launcher's shadow root has focus. Opening moves
 * focus once the panel's first frame is drawn (panel/index.js open), so a test waits for it.
 */
export const waitForFocus = (page, id) =>
  page.waitForFunction(
    (wanted) =>
      document.querySelector('loyalty-launcher')?.shadowRoot?.activeElement?.id === wanted,
    id,
  );

/** Locators inside the launcher's shadow root (Playwright's CSS pierces open shadow roots). */
export const inPanel = (page, selector) =>
  page.locator(`loyalty-launcher [part="panel"] ${selector}`);

/** The wasm core's view for these documents, computed in the page by the same module. */
export async function coreView(page, program, customer, context) {
  return page.evaluate(
    async ([p, c, x]) => {
      const { default: create } = await import('/web/loyalty-core.js');
      const core = await create();
      return JSON.parse(core.viewJson(p, c, x));
    },
    [JSON.stringify(program), JSON.stringify(customer), JSON.stringify(context)],
  );
}

/** Intl formatting in the page (the browser's ICU), for expected texts. */
export async function formatIn(page, locale, kind, value, extra = {}) {
  return page.evaluate(
    ([tag, what, v, options]) => {
      if (what === 'number') return new Intl.NumberFormat(tag).format(v);
      if (what === 'money') {
        return new Intl.NumberFormat(tag, {
          style: 'currency',
          currency: options.currency,
          minimumFractionDigits: options.digits,
          maximumFractionDigits: options.digits,
        }).format(v / 10 ** options.digits);
      }
      if (what === 'date')
        return new Intl.DateTimeFormat(tag, { dateStyle: 'medium' }).format(new Date(v));
      throw new Error(what);
    },
    [locale, kind, value, extra],
  );
}

/** Runs axe-core on the launcher (served from node_modules, so it loads under the CSP). */
export async function axe(page) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ url: '/vendor/axe.min.js' });
  }
  return page.evaluate(async () => {
    // Colours are checked as they end up, not halfway through the panel's 0.18 s fade-in.
    const root = document.querySelector('loyalty-launcher')?.shadowRoot;
    await Promise.all((root?.getAnimations() ?? []).map((animation) => animation.finished));
    const result = await window.axe.run(
      { include: [['loyalty-launcher']] },
      { resultTypes: ['violations'] },
    );
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.map((node) => node.target.join(' ')).slice(0, 3),
      summary: violation.nodes[0]?.failureSummary,
    }));
  });
}

export async function screenshot(page, name) {
  // Transitions finished, so the artifact shows the settled panel rather than a fade.
  await page.screenshot({ path: join(artifacts, `${name}.png`), animations: 'disabled' });
}

/** Sample programs of demo/programs: [{sample, persona, program, customer, context}]. */
export function samples() {
  const root = join(repo, 'demo/programs');
  if (!existsSync(root)) return [];
  const out = [];
  for (const sample of readdirSync(root).sort()) {
    const dir = join(root, sample);
    if (!existsSync(join(dir, 'program.json')) || !existsSync(join(dir, 'customers'))) continue;
    for (const file of readdirSync(join(dir, 'customers')).sort()) {
      if (!file.endsWith('.json')) continue;
      out.push({
        sample,
        persona: file.replace(/\.json$/, ''),
        program: readJson(join(dir, 'program.json')),
        customer: readJson(join(dir, 'customers', file)),
        context: readJson(join(dir, 'context.json')),
      });
    }
  }
  return out;
}

const dataList = (locator, ...names) =>
  locator.evaluateAll(
    (nodes, keys) => nodes.map((node) => keys.map((key) => node.dataset[key])),
    names,
  );

/**
 * Checks that the open panel shows `view` (the core's output for the same documents): every
 * number, state and list length the view holds, formatted with the page's Intl.
 */
export async function assertPanelShows(page, view, assert) {
  const locale = view.locale;
  const points = async (n) => {
    // The core gives the points name in every plural category; Intl says which one n is in.
    const category = await page.evaluate(
      ([tag, v]) => new Intl.PluralRules(tag).select(v),
      [locale, n],
    );
    return `${await formatIn(page, locale, 'number', n)} ${view.points.forms[category]}`;
  };
  if (view.state === 'member') {
    assert.equal(
      await inPanel(page, '[part="balance"]').textContent(),
      await points(view.balance.points),
    );
    assert.equal(await inPanel(page, '[part~="guest"]').count(), 0);
  } else {
    assert.equal(await inPanel(page, '[part="balance"]').count(), 0);
    assert.equal(await inPanel(page, '[part~="guest"]').count(), 1);
  }
  if (view.nextReward && view.balance) {
    const bar = inPanel(page, '[part="header"] [role="progressbar"]');
    assert.equal(Number(await bar.getAttribute('aria-valuemax')), view.nextReward.cost);
    assert.equal(
      Number(await bar.getAttribute('aria-valuenow')),
      Math.min(view.balance.points, view.nextReward.cost),
    );
    assert.ok(
      (await inPanel(page, '[part="next-reward"]').textContent()).includes(
        await points(view.nextReward.pointsToGo),
      ),
    );
  }
  const member = view.state === 'member';
  assert.deepEqual(
    await dataList(inPanel(page, '[part="reward"]'), 'reward', 'state'),
    view.rewards.map((reward) => [reward.id, reward.state]),
  );
  for (const reward of view.rewards) {
    const card = inPanel(page, `[data-reward="${reward.id}"]`);
    assert.equal(
      await card.locator('[part="redeem"]').count(),
      member && reward.state === 'available' ? 1 : 0,
    );
    if (reward.state === 'insufficient') {
      assert.ok((await card.textContent()).includes(await points(reward.pointsToGo)), reward.id);
    }
    const amount = reward.title?.params?.amount;
    if (amount?.money !== undefined) {
      const digits = amount.currency === view.shop.currency ? view.shop.currencyDigits : 2;
      const money = await formatIn(page, locale, 'money', amount.money, {
        currency: amount.currency,
        digits,
      });
      assert.ok((await card.locator('h4').textContent()).includes(money), `${reward.id}: ${money}`);
    }
  }
  assert.deepEqual(
    await dataList(inPanel(page, '[part="way"]'), 'rule', 'state'),
    view.waysToEarn.map((way) => [way.id, way.state]),
  );
  for (const way of view.waysToEarn) {
    const claimable = member && way.claimable && way.state === 'available';
    assert.equal(
      await inPanel(page, `[data-rule="${way.id}"] [part="claim"]`).count(),
      claimable ? 1 : 0,
    );
  }
  if (member && view.tier?.current) {
    assert.ok(
      (await inPanel(page, '[part="tier-card"] h4').textContent()).includes(view.tier.current.name),
    );
    assert.equal(await inPanel(page, '[part="tier-progress"]').count(), view.tier.next ? 1 : 0);
    assert.equal(await inPanel(page, '.tier-list li').count(), view.tier.all.length);
  }
  assert.equal(await inPanel(page, '#loyalty-section-vip').count(), member && view.tier ? 1 : 0);
  if (view.expiring) {
    const date = await formatIn(page, locale, 'date', view.expiring.at);
    const text = await inPanel(page, '[part~="expiring"]').textContent();
    assert.ok(text.includes(date) && text.includes(await points(view.expiring.points)), text);
  } else {
    assert.equal(await inPanel(page, '[part~="expiring"]').count(), 0);
  }
  if (member && view.referral) {
    assert.equal(await inPanel(page, '[part="referral-link"]').textContent(), view.referral.link);
    const native = await page.evaluate(() => typeof navigator.share === 'function');
    assert.deepEqual(
      (await dataList(inPanel(page, '[part="share"]'), 'channel')).map(([channel]) => channel),
      view.referral.shares
        .map((share) => share.channel)
        .filter((channel) => channel !== 'copy' && (channel !== 'native' || native)),
    );
  } else {
    assert.equal(await inPanel(page, '[part="referral-link"]').count(), 0);
  }
  assert.equal(await inPanel(page, '.activity li').count(), member ? view.activity.length : 0);
  assert.equal(
    await inPanel(page, '[part="promotion"]').count(),
    view.promotions.filter((promotion) => promotion.active).length,
  );
  const upcoming = view.promotions.filter((promotion) => !promotion.active);
  assert.equal(await inPanel(page, '[part="promotion upcoming"]').count(), upcoming.length);
  for (const [index, promotion] of upcoming.entries()) {
    const text = await inPanel(page, '[part="promotion upcoming"]').nth(index).textContent();
    const starts = await formatIn(page, locale, 'date', promotion.startsAt);
    assert.ok(text.includes(promotion.name) && text.includes(starts), text);
  }
  if (view.cartPreview?.points > 0) {
    assert.ok(
      (await inPanel(page, '[part~="cart"]').textContent()).includes(
        await points(view.cartPreview.points),
      ),
    );
  }
}
