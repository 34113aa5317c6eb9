// A redemption's Idempotency-Key is remembered for --idempotency-seconds (24 hours by default),
// then pruned by a background job: the same key then counts as a new request.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';

import { call, enrol, shopper, startServer } from './harness.mjs';

const redeemWithKey = (server, customerId, key, body = { rewardId: 'r5' }) =>
  call(server, 'POST', '/v1/redemptions', {
    headers: { ...shopper(customerId), 'Idempotency-Key': key },
    body,
  });

test('a key past its retention is forgotten, and the same key redeems again', async () => {
  const server = await startServer({ args: ['--idempotency-seconds', '1'] });
  try {
    await enrol(server, 'keys-1', { points: 900 });
    const redeem = () => redeemWithKey(server, 'keys-1', 'kept-one-second');
    const first = await redeem();
    const retried = await redeem();
    assert.equal(first.status, 201);
    assert.equal(retried.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(retried.body.redemption, first.body.redemption);
    assert.equal(retried.body.customer.summary.balance, 500);
    // Keys are stamped in whole seconds and pruned every second: gone within 3 s.
    await sleep(3200);
    const later = await redeem();
    assert.equal(later.status, 201);
    assert.equal(later.headers.get('idempotent-replayed'), null);
    assert.notEqual(later.body.redemption.id, first.body.redemption.id);
    assert.notEqual(later.body.redemption.code, first.body.redemption.code);
    assert.equal(later.body.customer.summary.balance, 0); // 100 sign-up + 900 - 2 x 500
  } finally {
    await server.stop();
  }
});

test('a key younger than its retention survives the pruning job', async () => {
  // Retention 4 s: the job runs every 2 s, so it runs at least once before the retry.
  const server = await startServer({ args: ['--idempotency-seconds', '4'] });
  try {
    await enrol(server, 'keys-2', { points: 900 });
    const redeem = () => redeemWithKey(server, 'keys-2', 'kept-four-seconds');
    const first = await redeem();
    await sleep(2500);
    const retried = await redeem();
    assert.equal(first.status, 201);
    assert.equal(retried.headers.get('idempotent-replayed'), 'true');
    assert.equal(retried.body.customer.summary.balance, 500);
  } finally {
    await server.stop();
  }
});

test('one pruning pass reaches every key, past its first batch of 500', async () => {
  // Retention 4 s, so the job runs every 2 s. 3,000 keys: a job that stopped after one batch of
  // 500 would delete at most 2,000 of them (in key order) in the 7.5 s after the last one.
  const server = await startServer({
    args: ['--idempotency-seconds', '4', '--rate-redemptions', '0'],
  });
  try {
    await enrol(server, 'keys-3', { points: 400000 });
    const redeem = (n) =>
      redeemWithKey(server, 'keys-3', `many-${String(n).padStart(4, '0')}`, {
        rewardId: 'flex',
        points: 100,
      });
    for (let start = 0; start < 3000; start += 100) {
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => redeem(start + i)));
      assert.ok(answers.every((answer) => answer.status === 201));
    }
    await sleep(7500);
    for (const n of [0, 1500, 2999]) {
      const again = await redeem(n);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), null, `many-${n} was not pruned`);
    }
  } finally {
    await server.stop();
  }
});
