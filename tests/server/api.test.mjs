// Every endpoint of the backend HTTP API, with the values the program fixture implies.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { admin, call, enrol, shopper, startServer } from './harness.mjs';

const COUPON = /^LOY(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;
let server;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

const redeem = (id, body, key = `key-${Math.random()}`) =>
  call(server, 'POST', '/v1/redemptions', {
    headers: { ...shopper(id), 'Idempotency-Key': key },
    body,
  });
const order = (body) => call(server, 'POST', '/v1/orders', { headers: admin, body });
const referral = (body) => call(server, 'POST', '/v1/referrals', { headers: admin, body });
const adminCustomer = async (id) =>
  (await call(server, 'GET', `/v1/admin/customers/${id}`, { headers: admin })).body;

describe('program', () => {
  test('GET /v1/program answers the published document', async () => {
    const answer = await call(server, 'GET', '/v1/program');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.id, 'test-shop');
    assert.equal(answer.headers.get('content-type'), 'application/json');
  });

  test('a program in a time zone the system has no data for is refused', async () => {
    const program = (await call(server, 'GET', '/v1/program')).body;
    const publish = (body) => call(server, 'PUT', '/v1/admin/program', { headers: admin, body });
    const unknown = await publish({ ...program, timeZone: 'America/Nowhere' });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.path, '/timeZone');
    assert.match(unknown.body.error.message, /America\/Nowhere/);
    const malformed = await publish({ ...program, timeZone: '../../etc/passwd' });
    assert.equal(malformed.status, 422);
    assert.equal(malformed.body.error.path, '/timeZone');
    const zoned = await publish({ ...program, timeZone: 'America/Los_Angeles' });
    assert.equal(zoned.status, 201);
    assert.equal((await call(server, 'GET', '/v1/program')).body.timeZone, 'America/Los_Angeles');
    assert.equal((await publish(program)).status, 201);
  });
});

describe('customers', () => {
  test('enrolling awards the sign-up rule once and a second PUT only updates', async () => {
    const created = await call(server, 'PUT', '/v1/admin/customers/enrol-1', {
      headers: admin,
      body: { firstName: 'Ada', email: 'ada@example.com', birthday: { month: 3, day: 14 } },
    });
    assert.equal(created.status, 201);
    const customer = created.body.customer;
    assert.equal(customer.status, 'member');
    assert.equal(customer.summary.balance, 100);
    assert.equal(customer.ledger.length, 1);
    assert.deepEqual(
      { type: customer.ledger[0].type, ruleId: customer.ledger[0].ruleId, points: 100 },
      { type: 'earn', ruleId: 'signup', points: customer.ledger[0].points },
    );
    assert.match(customer.referralCode, /^ADA-[0-9A-Z]{6}$/);
    assert.deepEqual(
      { month: customer.birthday.month, day: customer.birthday.day },
      { month: 3, day: 14 },
    );
    const updated = await call(server, 'PUT', '/v1/admin/customers/enrol-1', {
      headers: admin,
      body: { firstName: 'Ada L.' },
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.customer.firstName, 'Ada L.');
    assert.equal(updated.body.customer.summary.balance, 100);
  });

  test('GET /v1/customer: summary by replay, the 50 newest entries oldest first', async () => {
    await enrol(server, 'long-1');
    for (let i = 1; i <= 60; i++) {
      const adjusted = await call(server, 'POST', '/v1/admin/customers/long-1/adjustments', {
        headers: admin,
        body: { points: i, reason: `adjustment ${i}` },
      });
      assert.equal(adjusted.status, 201);
    }
    const answer = await call(server, 'GET', '/v1/customer', { headers: shopper('long-1') });
    assert.equal(answer.status, 200);
    const { summary, ledger } = answer.body;
    assert.equal(summary.balance, 100 + (60 * 61) / 2);
    assert.equal(summary.lifetimeEarned, 100 + (60 * 61) / 2);
    assert.equal(summary.spent, 0);
    assert.equal(summary.tierId, null);
    assert.deepEqual(summary.expiring, []);
    assert.equal(ledger.length, 50);
    assert.equal(ledger[0].reason, 'adjustment 11');
    assert.equal(ledger[49].reason, 'adjustment 60');
    const full = await adminCustomer('long-1');
    assert.equal(full.ledger.length, 61);
  });

  test('a signed-in shopper who never enrolled is a guest', async () => {
    const answer = await call(server, 'GET', '/v1/customer', { headers: shopper('nobody-1') });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { version: 1, id: 'nobody-1', status: 'guest' });
  });

  test('adjustments: signed, with a reason; a debit beyond the balance floors it at 0', async () => {
    await enrol(server, 'adjust-1');
    const zero = await call(server, 'POST', '/v1/admin/customers/adjust-1/adjustments', {
      headers: admin,
      body: { points: 0, reason: 'nothing' },
    });
    assert.equal(zero.status, 400);
    assert.equal(zero.body.error.path, '/points');
    const noReason = await call(server, 'POST', '/v1/admin/customers/adjust-1/adjustments', {
      headers: admin,
      body: { points: 5 },
    });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.path, '/reason');
    const unknown = await call(server, 'POST', '/v1/admin/customers/ghost/adjustments', {
      headers: admin,
      body: { points: 5, reason: 'x' },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'customer.unknown');
    const debit = await call(server, 'POST', '/v1/admin/customers/adjust-1/adjustments', {
      headers: admin,
      body: { points: -130, reason: 'Goodwill correction' },
    });
    assert.equal(debit.status, 201);
    assert.deepEqual(
      {
        type: debit.body.entry.type,
        points: debit.body.entry.points,
        reason: debit.body.entry.reason,
      },
      { type: 'adjust', points: -130, reason: 'Goodwill correction' },
    );
    assert.equal(debit.body.customer.summary.balance, 0);
  });
});

describe('redemptions', () => {
  test('a fixed reward deducts its cost and returns an unguessable coupon', async () => {
    await enrol(server, 'redeem-1', { points: 1000 });
    const answer = await redeem('redeem-1', { rewardId: 'r5' });
    assert.equal(answer.status, 201);
    const { redemption, customer } = answer.body;
    assert.equal(redemption.rewardId, 'r5');
    assert.equal(redemption.points, 500);
    assert.deepEqual(redemption.value, { money: 500, currency: 'USD' });
    assert.equal(redemption.percent, null);
    assert.equal(redemption.expiresAt, null);
    assert.match(redemption.code, COUPON);
    assert.equal(customer.summary.balance, 600);
    assert.equal(customer.summary.spent, 500);
    const last = customer.ledger.at(-1);
    assert.deepEqual(
      [last.type, last.rewardId, last.points, last.code, last.id],
      ['redeem', 'r5', 500, redemption.code, redemption.id],
    );
    const second = await redeem('redeem-1', { rewardId: 'r5' });
    assert.notEqual(second.body.redemption.code, redemption.code);
    assert.equal(second.body.customer.summary.balance, 100);
  });

  test('a percent reward with couponDays expires 30 days after issue', async () => {
    await enrol(server, 'redeem-2', { points: 900 });
    const before = Date.now();
    const answer = await redeem('redeem-2', { rewardId: 'pct' });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.redemption.percent, 20);
    assert.equal(answer.body.redemption.value, null);
    const expires = Date.parse(answer.body.redemption.expiresAt);
    const thirtyDays = 30 * 86400 * 1000;
    assert.ok(expires >= Math.floor(before / 1000) * 1000 + thirtyDays - 1000);
    assert.ok(expires <= Date.now() + thirtyDays);
    assert.equal(answer.body.customer.summary.balance, 0);
  });

  test('incremental rewards spend whole steps', async () => {
    await enrol(server, 'redeem-3', { points: 400 });
    const answer = await redeem('redeem-3', { rewardId: 'flex', points: 300 });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.redemption.points, 300);
    assert.deepEqual(answer.body.redemption.value, { money: 300, currency: 'USD' });
    assert.equal(answer.body.customer.summary.balance, 200);
    const partial = await redeem('redeem-3', { rewardId: 'flex', points: 150 });
    assert.equal(partial.status, 409);
    assert.equal(partial.body.error.code, 'redeem.invalidPoints');
    assert.equal(partial.body.error.path, '/points');
  });

  test('refusals: unknown reward, not enough points, not a member', async () => {
    await enrol(server, 'redeem-4');
    const unknown = await redeem('redeem-4', { rewardId: 'nope' });
    assert.equal(unknown.status, 409);
    assert.equal(unknown.body.error.code, 'redeem.unknownReward');
    assert.equal(unknown.body.error.path, '/rewardId');
    const poor = await redeem('redeem-4', { rewardId: 'r5' });
    assert.equal(poor.status, 409);
    assert.equal(poor.body.error.code, 'redeem.insufficientPoints');
    assert.equal(poor.body.error.pointsToGo, 400);
    assert.match(poor.body.error.message, /400 more/);
    const guest = await redeem('guest-9', { rewardId: 'r5' });
    assert.equal(guest.status, 409);
    assert.equal(guest.body.error.code, 'redeem.notMember');
  });

  test('Idempotency-Key: same body replays, a different body is refused', async () => {
    await enrol(server, 'redeem-5', { points: 900 });
    const first = await redeem('redeem-5', { rewardId: 'r5' }, 'same-key');
    const again = await redeem('redeem-5', { rewardId: 'r5' }, 'same-key');
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const other = await redeem('redeem-5', { rewardId: 'flex', points: 100 }, 'same-key');
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, 'request.idempotencyKeyReused');
    const state = await call(server, 'GET', '/v1/customer', { headers: shopper('redeem-5') });
    assert.equal(state.body.summary.balance, 500);
    const missing = await call(server, 'POST', '/v1/redemptions', {
      headers: shopper('redeem-5'),
      body: { rewardId: 'r5' },
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'request.idempotencyKeyMissing');
  });
});

describe('claims', () => {
  test('a once rule pays once; a weekly rule says when it is next eligible', async () => {
    await enrol(server, 'claim-1');
    const claim = (ruleId) =>
      call(server, 'POST', '/v1/claims', { headers: shopper('claim-1'), body: { ruleId } });
    const follow = await claim('ig-follow');
    assert.equal(follow.status, 201);
    assert.deepEqual(follow.body.claim, { ruleId: 'ig-follow', points: 25 });
    assert.equal(follow.body.customer.summary.balance, 125);
    const twice = await claim('ig-follow');
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'rule.alreadyDone');
    const share = await claim('fb-share');
    assert.equal(share.status, 201);
    assert.equal(share.body.claim.points, 10);
    const shareAgain = await claim('fb-share');
    assert.equal(shareAgain.status, 409);
    assert.equal(shareAgain.body.error.code, 'rule.limitReached');
    // Weeks start on Monday 00:00 in the shop's offset (+00:00).
    const next = new Date(shareAgain.body.error.nextEligibleAt);
    assert.equal(next.getUTCDay(), 1);
    assert.equal(next.getUTCHours(), 0);
    assert.ok(next.getTime() > Date.now() && next.getTime() <= Date.now() + 7 * 86400 * 1000);
    const review = await claim('review');
    assert.equal(review.status, 409);
    assert.equal(review.body.error.code, 'claim.notClaimable');
    const unknown = await claim('nope');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.path, '/ruleId');
    const state = await call(server, 'GET', '/v1/customer', { headers: shopper('claim-1') });
    assert.equal(state.body.summary.balance, 135);
  });
});

describe('order events', () => {
  test('placed, repeated, refunded, cancelled', async () => {
    const placed = await order({
      id: 'evt-o1',
      type: 'placed',
      customerId: 'buyer-1',
      orderId: 'o-1',
      amounts: { subtotal: 5400, discount: 400, shipping: 500, tax: 300 },
      email: 'buyer@example.com',
      firstName: 'Bea',
    });
    assert.equal(placed.status, 200);
    // 1 point per 100 of subtotal after discounts: floor(5000 / 100) = 50.
    assert.deepEqual(placed.body, { applied: true, points: 50 });
    const repeated = await order({
      id: 'evt-o1',
      type: 'placed',
      customerId: 'buyer-1',
      orderId: 'o-1',
      amounts: { subtotal: 5400, discount: 400 },
    });
    assert.deepEqual(repeated.body, { applied: false, points: 50 });
    const entry = (await adminCustomer('buyer-1')).ledger.find((e) => e.type === 'order_placed');
    assert.equal(entry.points, 50);
    assert.deepEqual(entry.amounts, { subtotal: 5400, discount: 400, shipping: 500, tax: 300 });
    const refunded = await order({
      id: 'evt-o1-r',
      type: 'refunded',
      customerId: 'buyer-1',
      orderId: 'o-1',
      amount: 2500,
    });
    // floor(50 * 2500 / 5000) = 25 clawed back.
    assert.deepEqual(refunded.body, { applied: true, points: -25 });
    const cancelled = await order({
      id: 'evt-o1-c',
      type: 'cancelled',
      customerId: 'buyer-1',
      orderId: 'o-1',
    });
    assert.deepEqual(cancelled.body, { applied: true, points: -25 });
    const customer = await adminCustomer('buyer-1');
    assert.equal(customer.summary.balance, 0);
    assert.equal(customer.firstName, 'Bea');
  });

  test('below the order minimum earns nothing; unknown orders and customers are refused', async () => {
    const small = await order({
      id: 'evt-small',
      type: 'placed',
      customerId: 'buyer-2',
      orderId: 'o-2',
      amounts: { subtotal: 900 },
    });
    assert.deepEqual(small.body, { applied: true, points: 0 });
    const unknownOrder = await order({
      id: 'evt-u1',
      type: 'refunded',
      customerId: 'buyer-2',
      orderId: 'o-missing',
      amount: 100,
    });
    assert.equal(unknownOrder.status, 422);
    assert.equal(unknownOrder.body.error.code, 'order.unknown');
    const unknownCustomer = await order({
      id: 'evt-u2',
      type: 'cancelled',
      customerId: 'ghost-2',
      orderId: 'o-1',
    });
    assert.equal(unknownCustomer.status, 404);
    const badType = await order({ id: 'e', type: 'shipped', customerId: 'x', orderId: 'o' });
    assert.equal(badType.status, 400);
    assert.equal(badType.body.error.path, '/type');
    const badAt = await order({
      id: 'e2',
      type: 'placed',
      customerId: 'x',
      orderId: 'o',
      amounts: { subtotal: 1 },
      at: '2026-11-23T10:00:00',
    });
    assert.equal(badAt.status, 400);
    assert.equal(badAt.body.error.path, '/at');
  });
});

describe('referrals', () => {
  let code;
  before(async () => {
    const advocate = await enrol(server, 'advocate-1', { email: 'a.da+shop@gmail.com' });
    code = advocate.referralCode;
  });

  test('fraud checks name the check that failed', async () => {
    const cases = [
      [{ code: 'NOPE-1' }, 'referral.unknownCode', '/code'],
      [{ friendEmail: 'ada@googlemail.com' }, 'referral.selfReferral', '/friendEmail'],
      [{ friendEmail: 'A.D.A@gmail.com' }, 'referral.selfReferral', '/friendEmail'],
      [{ friendCustomerId: 'advocate-1' }, 'referral.selfReferral', '/friendCustomerId'],
      [{ amount: 1999 }, 'referral.belowMinimum', '/amount'],
    ];
    for (const [change, failed, path] of cases) {
      const answer = await referral({
        code,
        friendEmail: 'friend@example.com',
        orderId: 'ref-o',
        amount: 2000,
        ip: '10.0.0.1',
        ...change,
      });
      assert.equal(answer.status, 422, failed);
      assert.equal(answer.body.error.code, failed);
      assert.equal(answer.body.error.path, path);
    }
  });

  test('a qualifying friend credits the advocate once', async () => {
    const answer = await referral({
      code,
      friendEmail: 'friend.one@example.com',
      orderId: 'ref-o1',
      amount: 2500,
      ip: '10.0.0.2',
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.referral.advocateId, 'advocate-1');
    assert.equal(answer.body.referral.advocatePoints, 500);
    assert.equal(answer.body.referral.friendReward.percent, 10);
    assert.match(answer.body.referral.friendReward.code, /^REF(-[0-9A-Z]{4}){4}$/);
    const again = await referral({
      code,
      friendEmail: 'Friend.One+x@example.com',
      orderId: 'ref-o2',
      amount: 2500,
      ip: '10.0.0.2',
    });
    assert.equal(again.status, 422);
    assert.equal(again.body.error.code, 'referral.alreadyReferred');
    const advocate = await adminCustomer('advocate-1');
    assert.equal(advocate.summary.balance, 600);
    assert.equal(advocate.ledger.filter((e) => e.type === 'referral').length, 1);
  });

  test('a friend who ordered before is not new', async () => {
    await order({
      id: 'evt-old',
      type: 'placed',
      customerId: 'old-friend',
      orderId: 'old-o1',
      amounts: { subtotal: 3000 },
      email: 'old@example.com',
    });
    const answer = await referral({
      code,
      friendEmail: 'old@example.com',
      orderId: 'old-o2',
      amount: 3000,
      ip: '10.0.0.3',
    });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.error.code, 'referral.existingCustomer');
  });

  test('too many claims from one IP in a week', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const answer = await referral({
        code,
        friendEmail: `ip-friend-${i}@example.com`,
        orderId: `ip-o${i}`,
        amount: 1000,
        ip: '10.9.9.9',
      });
      statuses.push(answer.body.error?.code ?? answer.status);
    }
    assert.deepEqual(statuses, [
      ...Array(5).fill('referral.belowMinimum'),
      'referral.tooManyFromIp',
    ]);
  });

  test("the friend's first order with a referral code qualifies it", async () => {
    const placed = await order({
      id: 'evt-ref-1',
      type: 'placed',
      customerId: 'new-friend',
      orderId: 'nf-1',
      amounts: { subtotal: 4000 },
      email: 'new.friend@example.com',
      referralCode: code,
      ip: '10.0.0.4',
    });
    assert.equal(placed.status, 200);
    assert.equal(placed.body.points, 40);
    assert.equal(placed.body.referral.qualified, true);
    assert.equal(placed.body.referral.advocatePoints, 500);
    const second = await order({
      id: 'evt-ref-2',
      type: 'placed',
      customerId: 'new-friend',
      orderId: 'nf-2',
      amounts: { subtotal: 4000 },
      referralCode: code,
    });
    assert.equal(second.body.referral, undefined);
    assert.equal((await adminCustomer('advocate-1')).summary.balance, 1100);
  });
});

describe('admin program', () => {
  test('publishing validates with the core and keeps every version', async () => {
    const program = (await call(server, 'GET', '/v1/program')).body;
    const invalid = structuredClone(program);
    invalid.rewards[0].cost = 0;
    const refused = await call(server, 'PUT', '/v1/admin/program', {
      headers: admin,
      body: invalid,
    });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'program.invalid');
    assert.equal(refused.body.error.path, '/rewards/0/cost');
    assert.ok(refused.body.error.errors.some((e) => e.path === '/rewards/0/cost'));
    const malformed = await call(server, 'PUT', '/v1/admin/program', {
      headers: admin,
      raw: '{"version": 1,',
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'request.malformedJson');

    const edited = structuredClone(program);
    edited.name = 'Test Shop v2';
    edited.earning[1].points = 2;
    const published = await call(server, 'PUT', '/v1/admin/program', {
      headers: admin,
      body: edited,
    });
    assert.equal(published.status, 201);
    const version = published.body.version;
    assert.ok(version >= 2);
    const current = await call(server, 'GET', '/v1/program');
    assert.equal(current.body.name, 'Test Shop v2');
    assert.equal(current.headers.get('x-program-version'), String(version));
    const list = await call(server, 'GET', '/v1/admin/programs', { headers: admin });
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.versions.map((v) => v.version),
      Array.from({ length: version }, (_, i) => i + 1),
    );
    assert.ok(list.body.versions.every((v) => /Z$/.test(v.publishedAt)));

    // Recorded order points keep their value; new orders use the new rule.
    const before = (await adminCustomer('buyer-1')).ledger.find((e) => e.type === 'order_placed');
    assert.equal(before.points, 50);
    const doubled = await order({
      id: 'evt-v2',
      type: 'placed',
      customerId: 'buyer-v2',
      orderId: 'v2-1',
      amounts: { subtotal: 5000 },
    });
    assert.equal(doubled.body.points, 100);
    edited.name = 'Test Shop';
    edited.earning[1].points = 1;
    const restored = await call(server, 'PUT', '/v1/admin/program', {
      headers: admin,
      body: edited,
    });
    assert.equal(restored.status, 201);
  });
});
