// Races: concurrent redemptions can't overspend, duplicate webhooks award once, and a kill -9
// in the middle of a load leaves a ledger that is whole and consistent.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { admin, call, enrol, shopper, startServer } from './harness.mjs';

const heavy = ['--rate-redemptions', '0', '--threads', '256'];

test('200 concurrent redemptions against a balance for 10: exactly 10 succeed', async () => {
  const server = await startServer({ args: heavy });
  try {
    await enrol(server, 'race-1', { points: 4900 }); // 100 sign-up + 4900 = 10 x 500
    const attempts = Array.from({ length: 200 }, (_, i) =>
      call(server, 'POST', '/v1/redemptions', {
        headers: { ...shopper('race-1'), 'Idempotency-Key': `race-${i}` },
        body: { rewardId: 'r5' },
      }),
    );
    const answers = await Promise.all(attempts);
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    assert.equal(created.length, 10);
    assert.equal(refused.length, 190);
    assert.ok(refused.every((a) => a.body.error.code === 'redeem.insufficientPoints'));
    assert.equal(new Set(created.map((a) => a.body.redemption.code)).size, 10);
    const balances = created.map((a) => a.body.customer.summary.balance).sort((a, b) => a - b);
    assert.deepEqual(balances, [0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500]);
    const state = await call(server, 'GET', `/v1/admin/customers/race-1`, { headers: admin });
    assert.equal(state.body.summary.balance, 0);
    assert.equal(state.body.summary.spent, 5000);
    assert.equal(state.body.ledger.filter((e) => e.type === 'redeem').length, 10);
  } finally {
    await server.stop();
  }
});

test('100 duplicate deliveries of one order event award once', async () => {
  const server = await startServer({ args: heavy });
  try {
    const event = {
      id: 'evt-dup',
      type: 'placed',
      customerId: 'dup-1',
      orderId: 'dup-o1',
      amounts: { subtotal: 5400, discount: 400 },
    };
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        call(server, 'POST', '/v1/orders', { headers: admin, body: event }),
      ),
    );
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(answers.filter((a) => a.body.applied === true).length, 1);
    assert.equal(answers.filter((a) => a.body.applied === false).length, 99);
    assert.ok(answers.every((a) => a.body.points === 50));
    const state = await call(server, 'GET', '/v1/customer', { headers: shopper('dup-1') });
    assert.equal(state.body.summary.balance, 50);
    assert.equal(state.body.ledger.filter((e) => e.type === 'order_placed').length, 1);
  } finally {
    await server.stop();
  }
});

test('kill -9 mid-load, restart: every acknowledged write is there and balance = replay', async () => {
  const first = await startServer({ args: heavy });
  const customers = ['crash-1', 'crash-2', 'crash-3', 'crash-4'];
  for (const id of customers) await enrol(first, id, { points: 10_000_000 });

  const acknowledged = { adjustments: [], redemptions: [] };
  const sentKeys = [];
  let stopping = false;
  let counter = 0;
  const worker = async () => {
    while (!stopping) {
      const n = counter++;
      const id = customers[n % customers.length];
      try {
        if (n % 2 === 0) {
          const key = `crash-key-${n}`;
          sentKeys.push({ id, key });
          const answer = await call(first, 'POST', '/v1/redemptions', {
            headers: { ...shopper(id), 'Idempotency-Key': key },
            body: { rewardId: 'r5' },
          });
          if (answer.status === 201)
            acknowledged.redemptions.push({ id, key, code: answer.body.redemption.code });
        } else {
          const answer = await call(first, 'POST', `/v1/admin/customers/${id}/adjustments`, {
            headers: admin,
            body: { points: 7, reason: `load ${n}` },
          });
          if (answer.status === 201)
            acknowledged.adjustments.push({ id, entry: answer.body.entry.id });
        }
      } catch {
        // the connection died with the server: the outcome of this request is unknown
      }
    }
  };
  const workers = Array.from({ length: 16 }, worker);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const killed = await first.kill();
  stopping = true;
  await Promise.all(workers);
  assert.equal(killed.signal, 'SIGKILL');
  assert.ok(acknowledged.redemptions.length > 5, 'the load ran');
  assert.ok(acknowledged.adjustments.length > 5, 'the load ran');

  const second = await startServer({ dir: first.dir, args: heavy });
  try {
    let redeemEntries = 0;
    for (const id of customers) {
      const { body } = await call(second, 'GET', `/v1/admin/customers/${id}`, { headers: admin });
      const ids = new Set(body.ledger.map((e) => e.id));
      assert.equal(ids.size, body.ledger.length, 'entry ids are unique');
      const codes = new Set(body.ledger.filter((e) => e.type === 'redeem').map((e) => e.code));
      for (const a of acknowledged.adjustments.filter((a) => a.id === id))
        assert.ok(ids.has(a.entry), `acknowledged adjustment ${a.entry} survived`);
      for (const r of acknowledged.redemptions.filter((r) => r.id === id))
        assert.ok(codes.has(r.code), `acknowledged redemption ${r.code} survived`);
      // This program has no expiry or tiers, so the balance is a plain sum of the ledger.
      const sum = body.ledger.reduce(
        (total, e) => total + (e.type === 'redeem' ? -e.points : e.points),
        0,
      );
      assert.equal(body.summary.balance, sum);
      redeemEntries += codes.size;
    }
    // A redemption entry and its idempotency record commit together: retrying every key that
    // was sent replays exactly the redemptions that are in the ledger, and no refusal happens
    // (the balances are far from exhausted).
    let replayed = 0;
    for (const { id, key } of sentKeys) {
      const answer = await call(second, 'POST', '/v1/redemptions', {
        headers: { ...shopper(id), 'Idempotency-Key': key },
        body: { rewardId: 'r5' },
      });
      // 201 replays only: a refusal (409) is remembered too, but has no ledger entry.
      if (answer.status === 201 && answer.headers.get('idempotent-replayed') === 'true') replayed++;
    }
    assert.equal(replayed, redeemEntries);
  } finally {
    await second.stop();
  }
});
