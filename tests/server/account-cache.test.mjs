// The in-memory account cache (redemptions and reads apply one entry instead of replaying the
// ledger) must answer exactly what a full replay of the stored ledger answers, whatever other
// write paths do in between. GET /v1/admin/customers/:id replays the stored ledger in full.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { admin, call, enrol, shopper, startServer } from './harness.mjs';

const heavy = ['--rate-redemptions', '0', '--threads', '128'];

/** The full replay's document, with its ledger cut to the newest 50 like the shopper's. */
async function replayed(server, id) {
  const full = await call(server, 'GET', `/v1/admin/customers/${id}`, { headers: admin });
  assert.equal(full.status, 200);
  return { ...full.body, ledger: full.body.ledger.slice(-50) };
}

async function redeem(server, id, key, points = 100) {
  const answer = await call(server, 'POST', '/v1/redemptions', {
    headers: { ...shopper(id), 'Idempotency-Key': key },
    body: { rewardId: 'flex', points },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.customer;
}

test('redemptions and reads agree with a full replay across other writes', async () => {
  const server = await startServer({ args: heavy });
  try {
    await enrol(server, 'cache-1', { points: 9900 });
    const read = async () =>
      (await call(server, 'GET', '/v1/customer', { headers: shopper('cache-1') })).body;
    assert.deepEqual(await read(), await replayed(server, 'cache-1'));

    // A redemption after the read: from the cached account.
    let after = await redeem(server, 'cache-1', 'k1');
    assert.equal(after.summary.balance, 9900);
    assert.deepEqual(after, await replayed(server, 'cache-1'));

    // Writes by other paths change the stored ledger: the cache must notice.
    const adjusted = await call(server, 'POST', '/v1/admin/customers/cache-1/adjustments', {
      headers: admin,
      body: { points: 1000, reason: 'goodwill' },
    });
    assert.equal(adjusted.status, 201);
    after = await redeem(server, 'cache-1', 'k2');
    assert.equal(after.summary.balance, 10800);
    assert.deepEqual(after, await replayed(server, 'cache-1'));

    const placed = await call(server, 'POST', '/v1/orders', {
      headers: admin,
      body: {
        id: 'evt-cache-1',
        type: 'placed',
        customerId: 'cache-1',
        orderId: 'order-cache-1',
        amounts: { subtotal: 10000, discount: 0, shipping: 0, tax: 0 },
      },
    });
    assert.equal(placed.status, 200, JSON.stringify(placed.body));
    assert.ok(placed.body.points > 0);
    after = await redeem(server, 'cache-1', 'k3');
    assert.equal(after.summary.balance, 10800 + placed.body.points - 100);
    assert.deepEqual(after, await replayed(server, 'cache-1'));
    assert.deepEqual(await read(), await replayed(server, 'cache-1'));

    // A retried key answers the first redemption and the customer as it stands now.
    const retried = await call(server, 'POST', '/v1/redemptions', {
      headers: { ...shopper('cache-1'), 'Idempotency-Key': 'k1' },
      body: { rewardId: 'flex', points: 100 },
    });
    assert.equal(retried.status, 201);
    assert.equal(retried.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(retried.body.customer, await replayed(server, 'cache-1'));
  } finally {
    await server.stop();
  }
});

test('past 50 entries the answer keeps the newest 50, in order', async () => {
  const server = await startServer({ args: heavy });
  try {
    await enrol(server, 'cache-2', { points: 400000 });
    let last;
    const points = (i) => 100 * ((i % 40) + 1);
    // 130 entries: the cache drops entries past the newest 50 and compacts its buffer on the way.
    for (let i = 0; i < 130; i += 1) last = await redeem(server, 'cache-2', `long-${i}`, points(i));
    const full = await replayed(server, 'cache-2');
    assert.equal(last.ledger.length, 50);
    assert.deepEqual(last, full);
    assert.deepEqual(
      last.ledger.map((entry) => entry.points),
      Array.from({ length: 50 }, (_, i) => points(i + 80)),
    );
  } finally {
    await server.stop();
  }
});

test('concurrent redemptions and reads of one customer stay consistent', async () => {
  const server = await startServer({ args: heavy });
  try {
    await enrol(server, 'cache-3', { points: 4900 }); // 5000 = 50 x 100
    const requests = [];
    for (let i = 0; i < 80; i += 1) {
      requests.push(
        call(server, 'POST', '/v1/redemptions', {
          headers: { ...shopper('cache-3'), 'Idempotency-Key': `mix-${i}` },
          body: { rewardId: 'flex', points: 100 },
        }),
      );
      requests.push(call(server, 'GET', '/v1/customer', { headers: shopper('cache-3') }));
    }
    const answers = await Promise.all(requests);
    const created = answers.filter((a, i) => i % 2 === 0 && a.status === 201);
    assert.equal(created.length, 50);
    // Every answer is a state some prefix of the redemptions leads to.
    for (const answer of answers.filter((a) => a.status !== 409)) {
      const customer = answer.body.customer ?? answer.body;
      assert.equal(customer.summary.balance + customer.summary.spent, 5000);
    }
    const balances = created.map((a) => a.body.customer.summary.balance).sort((a, b) => a - b);
    assert.deepEqual(
      balances,
      Array.from({ length: 50 }, (_, i) => i * 100),
    );
    const full = await replayed(server, 'cache-3');
    assert.equal(full.summary.balance, 0);
    const read = await call(server, 'GET', '/v1/customer', { headers: shopper('cache-3') });
    assert.deepEqual(read.body, full);
  } finally {
    await server.stop();
  }
});
