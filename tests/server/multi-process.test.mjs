// Several loyalty-server processes on one PostgreSQL database, as a shop past one machine runs
// them: together they never overspend or double-award, each one's account cache follows the
// others' writes, and kill -9 of one under load loses nothing it acknowledged. A SQLite file
// belongs to one server, so on SQLite (LOYALTY_TEST_STORE unset) these tests are skipped.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { admin, call, enrol, shopper, startServer, store } from './harness.mjs';

const skip = store !== 'postgres' && 'several processes share a PostgreSQL database only';
// Few threads each: every one may hold a PostgreSQL connection of its own.
const heavy = ['--rate-redemptions', '0', '--threads', '16'];

/** Three servers on one database: the first makes it and publishes the program. */
async function threeServers(args = heavy) {
  const first = await startServer({ args });
  const others = [
    await startServer({ dir: first.dir, args }),
    await startServer({ dir: first.dir, args }),
  ];
  return {
    servers: [first, ...others],
    async stop() {
      for (const other of others) await other.stop({ keep: true });
      await first.stop();
    },
  };
}

const redeem = (server, customerId, key) =>
  call(server, 'POST', '/v1/redemptions', {
    headers: { ...shopper(customerId), 'Idempotency-Key': key },
    body: { rewardId: 'r5' },
  });

test(
  '200 redemptions over three processes against a balance for 10: exactly 10',
  { skip },
  async () => {
    const { servers, stop } = await threeServers();
    try {
      await enrol(servers[0], 'mp-race', { points: 4900 }); // 100 sign-up + 4900 = 10 x 500
      // Every process reads the balance first, so each has the account cached before the race.
      for (const server of servers) {
        const before = await call(server, 'GET', '/v1/customer', { headers: shopper('mp-race') });
        assert.equal(before.body.summary.balance, 5000);
      }
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => redeem(servers[i % 3], 'mp-race', `mp-race-${i}`)),
      );
      const created = answers.filter((a) => a.status === 201);
      const refused = answers.filter((a) => a.status === 409);
      assert.equal(created.length, 10, JSON.stringify(answers.find((a) => a.status >= 500)?.body));
      assert.equal(refused.length, 190);
      assert.ok(refused.every((a) => a.body.error.code === 'redeem.insufficientPoints'));
      const balances = created.map((a) => a.body.customer.summary.balance).sort((a, b) => a - b);
      assert.deepEqual(balances, [0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500]);
      // Each process's cache caught up with the others' redemptions.
      for (const server of servers) {
        const after = await call(server, 'GET', '/v1/customer', { headers: shopper('mp-race') });
        assert.equal(after.body.summary.balance, 0);
        assert.equal(after.body.summary.spent, 5000);
      }
      const state = await call(servers[2], 'GET', '/v1/admin/customers/mp-race', {
        headers: admin,
      });
      assert.equal(state.body.ledger.filter((e) => e.type === 'redeem').length, 10);
      // A retry of an accepted redemption at another process gets the same answer, not a second.
      const index = answers.indexOf(created[0]);
      const retried = await redeem(servers[(index + 1) % 3], 'mp-race', `mp-race-${index}`);
      assert.equal(retried.status, 201);
      assert.equal(retried.headers.get('idempotent-replayed'), 'true');
      assert.equal(retried.body.redemption.code, created[0].body.redemption.code);
    } finally {
      await stop();
    }
  },
);

test('one order event delivered to all three processes at once awards once', { skip }, async () => {
  const { servers, stop } = await threeServers();
  try {
    const event = {
      id: 'evt-mp',
      type: 'placed',
      customerId: 'mp-buyer',
      orderId: 'mp-o1',
      amounts: { subtotal: 5400, discount: 400 },
    };
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(servers[i % 3], 'POST', '/v1/orders', { headers: admin, body: event }),
      ),
    );
    assert.ok(
      answers.every((a) => a.status === 200),
      JSON.stringify(answers.map((a) => a.status)),
    );
    assert.equal(answers.filter((a) => a.body.applied === true).length, 1);
    assert.ok(answers.every((a) => a.body.points === 50));
    for (const server of servers) {
      const state = await call(server, 'GET', '/v1/customer', { headers: shopper('mp-buyer') });
      assert.equal(state.body.summary.balance, 50);
      assert.equal(state.body.ledger.filter((e) => e.type === 'order_placed').length, 1);
    }
  } finally {
    await stop();
  }
});

test(
  'kill -9 of one process under load loses nothing any process acknowledged',
  { skip },
  async () => {
    const { servers, stop } = await threeServers();
    try {
      await enrol(servers[0], 'mp-kill', { points: 99900 }); // 200 redemptions' worth
      const victim = servers[1];
      const spread = (from, count, targets) =>
        Array.from({ length: count }, (_, k) => {
          const i = from + k;
          const by = targets[i % targets.length];
          return redeem(servers[by], 'mp-kill', `mp-kill-${i}`).then(
            (answer) => ({ ...answer, by }),
            () => null, // a connection the kill cut
          );
        });
      // A first wave that every process answers, the victim included.
      const first = await Promise.all(spread(0, 30, [0, 1, 2]));
      assert.equal(first.filter((a) => a?.status === 201 && a.by === 1).length, 10);
      // A second wave, and the victim is killed while it is under way. How many of its requests
      // it had answered by then is up to the scheduler; what is checked holds either way.
      let answered = 0;
      let killed;
      const second = await Promise.all(
        spread(30, 120, [0, 1, 2]).map((reply) =>
          reply.then((answer) => {
            if (++answered === 20) killed = victim.kill();
            return answer;
          }),
        ),
      );
      await killed;
      // The survivors keep answering.
      const third = await Promise.all(spread(150, 10, [0, 2]));
      assert.ok(third.every((a) => a?.status === 201));
      const acknowledged = [...first, ...second, ...third].filter((a) => a?.status === 201);
      const state = await call(servers[0], 'GET', '/v1/admin/customers/mp-kill', {
        headers: admin,
      });
      const codes = new Set(
        state.body.ledger.filter((e) => e.type === 'redeem').map((e) => e.code),
      );
      for (const answer of acknowledged) assert.ok(codes.has(answer.body.redemption.code));
      // The survivors agree on the balance, and it is what the ledger says.
      const redeemed = state.body.ledger.filter((e) => e.type === 'redeem').length;
      for (const server of [servers[0], servers[2]]) {
        const now = await call(server, 'GET', '/v1/customer', { headers: shopper('mp-kill') });
        assert.equal(now.body.summary.balance, 100000 - 500 * redeemed);
      }
    } finally {
      await stop();
    }
  },
);
