// --seed loads customer documents into an empty database once; restarts keep the data.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { admin, call, fixtures, shopper, startServer } from './harness.mjs';

const seed = ['--seed', path.join(fixtures, 'customers')];

test('seeded customers are replayed by the core, and a restart does not seed twice', async () => {
  const first = await startServer({ args: seed });
  let dir;
  try {
    dir = first.dir;
    const ada = await call(first, 'GET', '/v1/customer', { headers: shopper('c-ada') });
    assert.equal(ada.status, 200);
    // signup 100 + order floor(5000 / 100) = 50, refund of half claws back 25,
    // + 600 adjustment - 500 redeemed.
    assert.equal(ada.body.summary.balance, 100 + 50 - 25 + 600 - 500);
    assert.equal(ada.body.summary.spent, 500);
    assert.equal(ada.body.referralCode, 'ADA-7Q2');
    assert.deepEqual(
      ada.body.ledger.map((e) => e.id),
      ['e1', 'e2', 'e3', 'e4', 'e5'],
    );
    const bo = await call(first, 'GET', '/v1/customer', { headers: shopper('c-bo') });
    assert.equal(bo.body.summary.balance, 100);
    assert.match(bo.body.referralCode, /^BO-[0-9A-Z]{6}$/); // generated: the file has none
    const adjusted = await call(first, 'POST', '/v1/admin/customers/c-bo/adjustments', {
      headers: admin,
      body: { points: 5, reason: 'before restart' },
    });
    assert.equal(adjusted.status, 201);
  } finally {
    const exit = await first.stop({ keep: true });
    assert.deepEqual(exit, { code: 0, signal: null }); // SIGTERM stops it cleanly
  }
  const second = await startServer({ dir, args: seed });
  try {
    const ada = await call(second, 'GET', '/v1/admin/customers/c-ada', { headers: admin });
    assert.equal(ada.body.ledger.length, 5);
    const bo = await call(second, 'GET', '/v1/customer', { headers: shopper('c-bo') });
    assert.equal(bo.body.summary.balance, 105);
    const programs = await call(second, 'GET', '/v1/admin/programs', { headers: admin });
    assert.equal(programs.body.versions.length, 1); // --program publishes only into an empty store
  } finally {
    await second.stop();
  }
});

test('a seed file the core rejects stops the server with the file and path', async () => {
  await assert.rejects(
    startServer({ args: ['--seed', path.join(fixtures, 'bad-customers')] }),
    /bad\.json: \/ledger\/0\/points/,
  );
});

test('a seed ledger that repeats an entry id stops the server with the file and path', async () => {
  await assert.rejects(
    startServer({ args: ['--seed', path.join(fixtures, 'repeated-id-customers')] }),
    /repeat\.json: \/ledger\/2\/id: "e1" is the id of an earlier entry/,
  );
});
