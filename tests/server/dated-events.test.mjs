// Dated events (issue 9): the server applies every entry where it recorded it, never where its
// `at` says, so no order event dated in the future or the past can make a replay drop, refund or
// change a redemption it approved; instants from beyond the allowed clock skew are refused; and
// the core's replay of the server's whole ledger (what the launcher computes from a backend's
// ledger) agrees with the server's summary after each exploit.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { admin, call, coreReplay, enrol, shopper, startServer } from './harness.mjs';

const SKEW = 300; // ServerConfig::max_clock_skew_seconds
const DAY = 86400;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const iso = (seconds) => new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
// The fixture's order rule earns 1 point per 100: this order earns 1000.
const BIG_ORDER = { subtotal: 100000 };

const order = (server, body) => call(server, 'POST', '/v1/orders', { headers: admin, body });

/** Redeems r5 (500 points) `times` times, one after another; the answers' statuses. */
async function redeemMany(server, id, times, keyPrefix = 'key') {
  const statuses = [];
  for (let i = 0; i < times; i++) {
    const answer = await call(server, 'POST', '/v1/redemptions', {
      headers: { ...shopper(id), 'Idempotency-Key': `${keyPrefix}-${i}` },
      body: { rewardId: 'r5' },
    });
    statuses.push(answer.status);
  }
  return statuses;
}

/**
 * The core's replay of the whole ledger agrees with the server's summary, and every redemption
 * the server approved counts in it (none skipped). Resolves to the core's account.
 */
async function assertCoreAgrees(server, id) {
  const { summary, account, warnings, ledger } = await coreReplay(server, id);
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    { balance: account.balance, spent: account.spent, lifetimeEarned: account.lifetimeEarned },
    { balance: summary.balance, spent: summary.spent, lifetimeEarned: summary.lifetimeEarned },
  );
  const approved = ledger.filter((e) => e.type === 'redeem').reduce((sum, e) => sum + e.points, 0);
  assert.equal(account.spent, approved);
  return account;
}

/** Each entry is recorded no earlier than the one written before it: replay order = write order. */
function assertRecordedInWriteOrder(ledger) {
  let newest = -Infinity;
  for (const [index, entry] of ledger.entries()) {
    const recorded = Date.parse(entry.recordedAt ?? entry.at);
    assert.ok(Date.parse(entry.at) <= recorded, `/ledger/${index}: at is after recordedAt`);
    assert.ok(
      recorded >= newest,
      `/ledger/${index} (${entry.type}) would replay before an entry written earlier`,
    );
    newest = recorded;
  }
}

describe('the API', () => {
  let server;
  before(async () => {
    // No rate limit: the exploit is 20 redemptions in a row.
    server = await startServer({ args: ['--rate-redemptions', '0'] });
  });
  after(() => server.stop());

  describe('an order event from the future (exploit 1)', () => {
    test('an hour ahead is refused with its path; 20 redemptions spend only what the balance covers', async () => {
      await enrol(server, 'future-1', { points: 1000 }); // 1100: covers two redemptions of 500
      const placed = await order(server, {
        id: 'future-1-placed',
        type: 'placed',
        customerId: 'future-1',
        orderId: 'f-1',
        amounts: BIG_ORDER,
        at: iso(nowSeconds() + 3600),
      });
      const statuses = await redeemMany(server, 'future-1', 20);
      assert.deepEqual(statuses.slice(0, 2), [201, 201]);
      assert.ok(
        statuses.slice(2).every((s) => s === 409),
        `statuses: ${statuses}`,
      );
      const account = await assertCoreAgrees(server, 'future-1');
      assert.deepEqual(
        { balance: account.balance, spent: account.spent },
        { balance: 100, spent: 1000 },
      );
      // The order was refused, not recorded.
      assert.equal(placed.status, 422, JSON.stringify(placed.body));
      assert.equal(placed.body.error.code, 'request.futureInstant');
      assert.equal(placed.body.error.path, '/at');
      assert.equal(placed.body.error.maxClockSkewSeconds, SKEW);
      assert.match(placed.body.error.message, /^\/at: .* is later than the server's clock/);
    });

    test('within the skew (2 minutes) it counts as now: 20 redemptions spend only what it covers', async () => {
      await enrol(server, 'future-2'); // 100
      const placed = await order(server, {
        id: 'future-2-placed',
        type: 'placed',
        customerId: 'future-2',
        orderId: 'f-2',
        amounts: BIG_ORDER,
        at: iso(nowSeconds() + 120),
      });
      assert.equal(placed.status, 200, JSON.stringify(placed.body));
      assert.deepEqual(placed.body, { applied: true, points: 1000 });
      const statuses = await redeemMany(server, 'future-2', 20);
      assert.equal(statuses.filter((s) => s === 201).length, 2, `statuses: ${statuses}`);
      const account = await assertCoreAgrees(server, 'future-2');
      assert.deepEqual(
        { balance: account.balance, spent: account.spent },
        { balance: 100, spent: 1000 },
      );
      const { ledger } = await coreReplay(server, 'future-2');
      const entry = ledger.find((e) => e.type === 'order_placed');
      // Dated by the server's clock (at most now), not two minutes ahead.
      assert.ok(Date.parse(entry.at) <= Date.now(), `at ${entry.at}`);
      assert.equal(entry.recordedAt, entry.at);
    });

    test('beyond the skew any event type is refused, and nothing is recorded', async () => {
      await enrol(server, 'future-3');
      const placed = await order(server, {
        id: 'future-3-placed',
        type: 'placed',
        customerId: 'future-3',
        orderId: 'f-3',
        amounts: BIG_ORDER,
      });
      assert.equal(placed.status, 200);
      const beyond = iso(nowSeconds() + SKEW + 60);
      for (const event of [
        { type: 'placed', orderId: 'f-3b', amounts: BIG_ORDER },
        { type: 'refunded', orderId: 'f-3', amount: 100000 },
        { type: 'cancelled', orderId: 'f-3' },
      ]) {
        const answer = await order(server, {
          id: `future-3-${event.type}`,
          customerId: 'future-3',
          at: beyond,
          ...event,
        });
        assert.equal(answer.status, 422, event.type);
        assert.equal(answer.body.error.code, 'request.futureInstant');
        assert.equal(answer.body.error.path, '/at');
      }
      const { ledger } = await coreReplay(server, 'future-3');
      assert.deepEqual(
        ledger.map((e) => e.type),
        ['earn', 'order_placed'],
      );
    });
  });

  describe('a back-dated refund (exploit 2)', () => {
    for (const kind of ['refunded', 'cancelled']) {
      test(`a ${kind} event dated before an approved redemption takes its points when it is recorded`, async () => {
        const id = `backdated-${kind}`;
        await enrol(server, id); // 100
        const t = nowSeconds();
        const placed = await order(server, {
          id: `${id}-placed`,
          type: 'placed',
          customerId: id,
          orderId: 'b-1',
          amounts: BIG_ORDER,
          at: iso(t - 2 * DAY),
        });
        assert.deepEqual(placed.body, { applied: true, points: 1000 });
        assert.deepEqual(await redeemMany(server, id, 2), [201, 201]); // 1100 covers two

        const undone = await order(server, {
          id: `${id}-undo`,
          type: kind,
          customerId: id,
          orderId: 'b-1',
          ...(kind === 'refunded' ? { amount: BIG_ORDER.subtotal } : {}),
          at: iso(t - DAY),
        });
        assert.equal(undone.status, 200, JSON.stringify(undone.body));
        // Both redemptions stand; the clawback of 1000 found 100: the balance goes to 0 and 900
        // is owed.
        const account = await assertCoreAgrees(server, id);
        assert.deepEqual(
          { balance: account.balance, owed: account.owed, spent: account.spent },
          { balance: 0, owed: 900, spent: 1000 },
        );
        assert.deepEqual(undone.body, { applied: true, points: -1000 });
        const { ledger } = await coreReplay(server, id);
        const entry = ledger.at(-1);
        assert.equal(entry.at, iso(t - DAY)); // shown when it happened
        assertRecordedInWriteOrder(ledger); // applied after the redemptions

        // The next order repays what is owed first, so no second round of redemptions.
        const next = await order(server, {
          id: `${id}-next`,
          type: 'placed',
          customerId: id,
          orderId: 'b-2',
          amounts: BIG_ORDER,
        });
        assert.deepEqual(next.body, { applied: true, points: 1000 });
        assert.deepEqual(await redeemMany(server, id, 1, 'again'), [409]);
        const later = await assertCoreAgrees(server, id);
        assert.deepEqual(
          { balance: later.balance, owed: later.owed, spent: later.spent },
          { balance: 100, owed: 0, spent: 1000 },
        );
      });
    }
  });

  describe('order event ids', () => {
    test('a reused id for another order, customer or type is 409 naming what differs', async () => {
      await enrol(server, 'reuse-1');
      await enrol(server, 'reuse-2');
      const first = {
        id: 'evt-reused',
        type: 'placed',
        customerId: 'reuse-1',
        orderId: 'o-1',
        amounts: { subtotal: 5000 },
      };
      assert.deepEqual((await order(server, first)).body, { applied: true, points: 50 });
      const cases = [
        [{ orderId: 'o-2' }, ['orderId']],
        [{ customerId: 'reuse-2' }, ['customerId']],
        [{ type: 'cancelled' }, ['type']],
        [{ customerId: 'reuse-2', orderId: 'o-2' }, ['customerId', 'orderId']],
      ];
      for (const [change, differs] of cases) {
        const answer = await order(server, { ...first, ...change });
        assert.equal(answer.status, 409, JSON.stringify(change));
        assert.equal(answer.body.error.code, 'order.eventIdReused');
        assert.equal(answer.body.error.path, '/id');
        assert.deepEqual(answer.body.error.differs, differs);
      }
      // A true redelivery is still a quiet no-op.
      const redelivered = await order(server, first);
      assert.equal(redelivered.status, 200);
      assert.deepEqual(redelivered.body, { applied: false, points: 50 });
      assert.equal((await coreReplay(server, 'reuse-1')).summary.balance, 150);
      assert.equal((await coreReplay(server, 'reuse-2')).summary.balance, 100);
    });
  });
});

describe('seeded customers', () => {
  /** A seed directory holding these customer documents (file name -> document). */
  function seedDir(files) {
    const dir = mkdtempSync(path.join(tmpdir(), 'loyalty-dated-seed-'));
    for (const [name, document] of Object.entries(files))
      writeFileSync(path.join(dir, name), JSON.stringify(document));
    return dir;
  }
  const member = (id, ledger, extra = {}) => ({
    version: 1,
    id,
    firstName: 'Sam',
    status: 'member',
    ...extra,
    ledger: [
      { id: 'e1', type: 'earn', at: '2025-01-02T09:00:00Z', ruleId: 'signup', points: 100 },
      ...ledger,
    ],
  });
  /** The start-up error, or a failure when the server starts anyway. */
  async function startError(dir) {
    const started = await startServer({ args: ['--seed', dir] }).catch((error) => error);
    if (!(started instanceof Error)) {
      await started.stop();
      assert.fail('the server started with a seed from the future');
    }
    return started.message;
  }

  test('an entry dated beyond the skew stops the server with the file and path', async () => {
    const far = iso(nowSeconds() + SKEW + 3600);
    const atDir = seedDir({
      'future.json': member('c-future', [
        { id: 'e2', type: 'adjust', at: far, points: 1000, reason: 'from the future' },
      ]),
    });
    const recordedDir = seedDir({
      'recorded.json': member('c-recorded', [
        {
          id: 'e2',
          type: 'adjust',
          at: '2025-01-03T09:00:00Z',
          recordedAt: far,
          points: 1000,
          reason: 'recorded in the future',
        },
      ]),
    });
    try {
      assert.match(
        await startError(atDir),
        new RegExp(`future\\.json: /ledger/1/at: ${far} is later than the server's clock`),
      );
      assert.match(
        await startError(recordedDir),
        new RegExp(
          `recorded\\.json: /ledger/1/recordedAt: ${far} is later than the server's clock`,
        ),
      );
    } finally {
      rmSync(atDir, { recursive: true, force: true });
      rmSync(recordedDir, { recursive: true, force: true });
    }
  });

  test('an entry within the skew is kept, and every way an entry is written records it later', async () => {
    // 1000 points dated two minutes ahead (within the skew): every entry the server writes in the
    // next two minutes must still replay after it.
    const ahead = iso(nowSeconds() + 120);
    const dir = seedDir({
      'skew.json': member(
        'c-skew',
        [{ id: 'e2', type: 'adjust', at: ahead, points: 1000, reason: 'two minutes ahead' }],
        { email: 'skew@example.com', referralCode: 'SKEW-1' },
      ),
    });
    const server = await startServer({ args: ['--seed', dir, '--demo'] });
    try {
      // Redemptions: 1100 covers two.
      assert.deepEqual(await redeemMany(server, 'c-skew', 3), [201, 201, 409]);
      // A claim.
      const claim = await call(server, 'POST', '/v1/claims', {
        headers: shopper('c-skew'),
        body: { ruleId: 'ig-follow' },
      });
      assert.equal(claim.status, 201, JSON.stringify(claim.body));
      // An adjustment.
      const adjusted = await call(server, 'POST', '/v1/admin/customers/c-skew/adjustments', {
        headers: admin,
        body: { points: 5, reason: 'goodwill' },
      });
      assert.equal(adjusted.status, 201);
      // An order webhook, and its refund dated a day back.
      const placed = await order(server, {
        id: 'skew-placed',
        type: 'placed',
        customerId: 'c-skew',
        orderId: 's-1',
        amounts: { subtotal: 5000 },
      });
      assert.deepEqual(placed.body, { applied: true, points: 50 });
      const refunded = await order(server, {
        id: 'skew-refund',
        type: 'refunded',
        customerId: 'c-skew',
        orderId: 's-1',
        amount: 5000,
        at: iso(nowSeconds() - DAY),
      });
      assert.deepEqual(refunded.body, { applied: true, points: -50 });
      // A referral credited to the seeded advocate.
      const referral = await call(server, 'POST', '/v1/referrals', {
        headers: admin,
        body: { code: 'SKEW-1', friendEmail: 'friend@example.com', orderId: 'ref-1', amount: 5000 },
      });
      assert.equal(referral.status, 201, JSON.stringify(referral.body));
      // The demo shop's own order.
      const demoOrder = await call(server, 'POST', '/demo/orders', {
        headers: shopper('c-skew'),
        body: { orderId: 'demo-1', amounts: { subtotal: 3000 } },
      });
      assert.equal(demoOrder.status, 200, JSON.stringify(demoOrder.body));
      assert.equal(demoOrder.body.points, 30);

      const { ledger } = await coreReplay(server, 'c-skew');
      assert.deepEqual(
        ledger.map((e) => e.type),
        [
          'earn',
          'adjust',
          'redeem',
          'redeem',
          'earn',
          'adjust',
          'order_placed',
          'order_refunded',
          'referral',
          'order_placed',
        ],
      );
      assertRecordedInWriteOrder(ledger);
      const account = await assertCoreAgrees(server, 'c-skew');
      // 100 + 1000 - 1000 spent + 25 + 5 + 50 - 50 + 500 + 30
      assert.deepEqual(
        { balance: account.balance, spent: account.spent },
        { balance: 660, spent: 1000 },
      );
      // The shopper's view (the cached account) agrees too.
      const shopperView = await call(server, 'GET', '/v1/customer', { headers: shopper('c-skew') });
      assert.equal(shopperView.body.summary.balance, 660);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--max-clock-skew-seconds', () => {
  test('sets how far ahead an instant may lie, and refuses what it cannot mean', async () => {
    const strict = await startServer({ args: ['--max-clock-skew-seconds', '0'] });
    try {
      await enrol(strict, 'skew-0');
      const ahead = await order(strict, {
        id: 'skew-0-placed',
        type: 'placed',
        customerId: 'skew-0',
        orderId: 's-0',
        amounts: BIG_ORDER,
        at: iso(nowSeconds() + 120), // within the default skew, beyond this server's
      });
      assert.equal(ahead.status, 422);
      assert.equal(ahead.body.error.code, 'request.futureInstant');
      assert.equal(ahead.body.error.maxClockSkewSeconds, 0);
    } finally {
      await strict.stop();
    }
    for (const value of ['-1', '3601', 'soon']) {
      const outcome = await startServer({ args: ['--max-clock-skew-seconds', value] }).then(
        async (started) => {
          await started.stop();
          return 'started';
        },
        (error) => error.message,
      );
      assert.match(outcome, /exited with 2: .*--max-clock-skew-seconds/s, value);
    }
  });
});
