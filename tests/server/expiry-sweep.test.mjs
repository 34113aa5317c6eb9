// The expiry sweep records the expiries the core computes as explicit `expire` ledger entries:
// balances replay the same afterwards, a second sweep records nothing, and --expiry-sweep-seconds
// runs it on its own.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { admin, call, coreReplay, programFile, shopper, startServer } from './harness.mjs';

const adjust = (id, at, points) => ({ id, type: 'adjust', at, points, reason: 'test' });

/** A seed directory with one customer per ledger. */
function seedDir(customers) {
  const dir = mkdtempSync(path.join(tmpdir(), 'loyalty-sweep-seed-'));
  for (const [id, ledger] of Object.entries(customers)) {
    const document = { version: 1, id, firstName: 'Sam', status: 'member', ledger };
    writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(document));
  }
  return dir;
}

async function publish(server, expiry) {
  const program = JSON.parse(readFileSync(programFile, 'utf8'));
  const published = await call(server, 'PUT', '/v1/admin/program', {
    headers: admin,
    body: { ...program, expiry },
  });
  assert.equal(published.status, 201, JSON.stringify(published.body));
}

const customer = async (server, id) =>
  (await call(server, 'GET', `/v1/admin/customers/${id}`, { headers: admin })).body;

const sweep = (server, body) =>
  call(server, 'POST', '/v1/admin/expiry-sweep', { headers: admin, body });

test('lots: each computed expiry is recorded once, and balances replay the same', async () => {
  const seeds = seedDir({
    'sweep-1': [
      adjust('a1', '2024-01-15T10:00:00Z', 1000), // expires 2025-02-01
      {
        id: 'r1',
        type: 'redeem',
        at: '2024-06-01T10:00:00Z',
        rewardId: 'r5',
        points: 300,
        code: 'LOY-TEST',
      },
      adjust('a2', '2025-03-10T10:00:00Z', 500), // expires 2026-04-01
      adjust('a3', '2026-10-01T10:00:00Z', 200), // expires 2027-11-01
    ],
  });
  const server = await startServer({ args: ['--seed', seeds] });
  try {
    await publish(server, { mode: 'lots', months: 12 });
    const before = await customer(server, 'sweep-1');
    assert.equal(before.summary.balance, 200);

    const first = await sweep(server);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.customers, 1);
    assert.equal(first.body.recorded, 2);
    assert.equal(first.body.points, 1200);
    assert.deepEqual(first.body.skipped, []);

    const after = await customer(server, 'sweep-1');
    assert.deepEqual(after.summary, before.summary);
    const recorded = after.ledger.filter((entry) => entry.type === 'expire');
    assert.deepEqual(
      recorded.map(({ id, at, points }) => ({ id, at, points })),
      [
        {
          id: `expiry-${Date.parse('2025-02-01T00:00:00Z') / 1000}`,
          at: '2025-01-31T23:59:59Z',
          points: 700,
        },
        {
          id: `expiry-${Date.parse('2026-04-01T00:00:00Z') / 1000}`,
          at: '2026-03-31T23:59:59Z',
          points: 500,
        },
      ],
    );
    // The one entry the server dates in the past: recorded where it takes effect.
    for (const entry of recorded) assert.equal(entry.recordedAt, entry.at);
    // The shopper's view (the cached account) agrees, and so does the core's replay of the
    // whole ledger (the launcher's, for a backend that sends no summary).
    const shopperView = await call(server, 'GET', '/v1/customer', { headers: shopper('sweep-1') });
    assert.deepEqual(shopperView.body.summary, before.summary);
    const { summary, account } = await coreReplay(server, 'sweep-1');
    assert.deepEqual(
      { balance: account.balance, spent: account.spent, lifetimeEarned: account.lifetimeEarned },
      { balance: summary.balance, spent: summary.spent, lifetimeEarned: summary.lifetimeEarned },
    );

    const second = await sweep(server);
    assert.equal(second.body.recorded, 0);
    assert.deepEqual((await customer(server, 'sweep-1')).ledger, after.ledger);
  } finally {
    await server.stop();
    rmSync(seeds, { recursive: true, force: true });
  }
});

test('inactivity: the idle balance is recorded as it expired; `now` limits the sweep', async () => {
  const seeds = seedDir({
    'sweep-2': [adjust('a1', '2026-01-01T00:00:00Z', 400)], // idle from 2026-01-31
    'sweep-3': [adjust('a1', '2026-01-01T00:00:00Z', 50), adjust('a2', '2026-01-20T00:00:00Z', 70)],
  });
  const server = await startServer({ args: ['--seed', seeds] });
  try {
    await publish(server, { mode: 'inactivity', days: 30 });
    const earlier = await sweep(server, { now: '2026-01-30T00:00:00Z' });
    assert.equal(earlier.status, 200);
    assert.equal(earlier.body.recorded, 0); // nothing had expired yet then

    const before = await customer(server, 'sweep-3');
    const swept = await sweep(server, {});
    assert.equal(swept.body.customers, 2);
    assert.equal(swept.body.recorded, 2);
    assert.equal(swept.body.points, 520);
    const idle = (await customer(server, 'sweep-2')).ledger.find((e) => e.type === 'expire');
    assert.equal(idle.at, '2026-01-30T23:59:59Z');
    assert.equal(idle.points, 400);
    assert.deepEqual((await customer(server, 'sweep-3')).summary, before.summary);
    assert.equal(before.summary.balance, 0);

    const future = await sweep(server, { now: '2999-01-01T00:00:00Z' });
    assert.equal(future.status, 400);
    assert.equal(future.body.error.path, '/now');
    const malformed = await sweep(server, { now: 'yesterday' });
    assert.equal(malformed.status, 400);
    const anonymous = await call(server, 'POST', '/v1/admin/expiry-sweep', { body: {} });
    assert.equal(anonymous.status, 401);
  } finally {
    await server.stop();
    rmSync(seeds, { recursive: true, force: true });
  }
});

test('--expiry-sweep-seconds records expiries without a request', async () => {
  const seeds = seedDir({ 'sweep-4': [adjust('a1', '2024-01-15T10:00:00Z', 900)] });
  const server = await startServer({ args: ['--seed', seeds, '--expiry-sweep-seconds', '1'] });
  try {
    await publish(server, { mode: 'lots', months: 12 });
    let recorded = [];
    for (let tries = 0; tries < 40 && recorded.length === 0; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recorded = (await customer(server, 'sweep-4')).ledger.filter((e) => e.type === 'expire');
    }
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0].points, 900);
    assert.equal((await customer(server, 'sweep-4')).summary.balance, 0);
  } finally {
    await server.stop();
    rmSync(seeds, { recursive: true, force: true });
  }
});

test('the sweep pays birthday points on the birthday, once, with their notification', async () => {
  // The shopper's birthday is the sweep's day (UTC, the program's calendar). A run within a few
  // seconds of midnight waits for the new day, so the day can't change between the steps.
  const untilMidnight = 86400000 - (Date.now() % 86400000);
  if (untilMidnight < 5000)
    await new Promise((resolve) => setTimeout(resolve, untilMidnight + 100));
  const server = await startServer();
  try {
    const program = JSON.parse(readFileSync(programFile, 'utf8'));
    program.earning = [...program.earning, { id: 'bday', type: 'birthday', points: 250 }];
    const published = await call(server, 'PUT', '/v1/admin/program', {
      headers: admin,
      body: program,
    });
    assert.equal(published.status, 201, JSON.stringify(published.body));
    const today = new Date();
    const tomorrow = new Date(today.getTime() + 86400000);
    const dayOf = (date) => ({ month: date.getUTCMonth() + 1, day: date.getUTCDate() });
    for (const [id, date] of [
      ['bday-today', today],
      ['bday-tomorrow', tomorrow],
    ]) {
      const created = await call(server, 'PUT', `/v1/admin/customers/${id}`, {
        headers: admin,
        body: { firstName: 'Bea', birthday: dayOf(date) },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

    const first = await sweep(server, { now });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.birthdays, 1);
    assert.equal(first.body.birthdayPoints, 250);
    assert.equal((await customer(server, 'bday-today')).summary.balance, 100 + 250);
    assert.equal((await customer(server, 'bday-tomorrow')).summary.balance, 100);

    // Once a year: the next pass (the same day, or the periodic one) pays nothing more.
    const second = await sweep(server, { now });
    assert.equal(second.body.birthdays, 0);
    assert.equal((await customer(server, 'bday-today')).summary.balance, 350);

    // The merchant's email tool hears of it like any earned points.
    const listed = await call(server, 'GET', '/v1/admin/notifications?state=pending', {
      headers: admin,
    });
    const birthdays = listed.body.notifications.filter(
      (row) => row.kind === 'points.earned' && row.data?.ruleId === 'bday',
    );
    assert.equal(birthdays.length, 1, JSON.stringify(listed.body.notifications));
    assert.equal(birthdays[0].customerId, 'bday-today');
    assert.equal(birthdays[0].data.points, 250);
  } finally {
    await server.stop();
  }
});
