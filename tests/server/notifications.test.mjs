// The notifications outbox, delivered to a receiver on 127.0.0.1: every kind arrives signed, a
// failing receiver gets it again with backoff, a dead-lettered one is listed and re-queued, and
// kill -9 between the order's answer and the delivery loses nothing; over https, a receiver whose
// certificate doesn't name it (or isn't trusted) gets nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { admin, call, enrol, programFile, serverBinary, startServer, store } from './harness.mjs';

const NOTIFY_SECRET = 'notify-secret-0123456789';
// Generous: other builds share the machine's two cores.
const WAIT_MS = 30000;

/**
 * A webhook receiver. `answer(delivery)` returns the status to send, or null to hold the
 * request without answering; `delayMs` holds each answer that long (a slow receiver). Every
 * request is kept in `received` with its raw body.
 */
async function startReceiver(answer = () => 200) {
  const received = [];
  const waiters = [];
  const receiver = {
    answer,
    delayMs: 0,
    received,
    /** Resolves with the first delivery (already received or to come) matching `predicate`. */
    waitFor(predicate, what) {
      const found = received.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no delivery: ${what}`)), WAIT_MS);
        waiters.push({
          predicate,
          resolve: (delivery) => {
            clearTimeout(timer);
            resolve(delivery);
          },
        });
      });
    },
  };
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const delivery = { headers: request.headers, raw, body: JSON.parse(raw) };
      delivery.status = receiver.answer(delivery);
      received.push(delivery);
      if (delivery.status !== null) {
        setTimeout(() => {
          response.writeHead(delivery.status, { 'Content-Type': 'text/plain' });
          response.end('ok');
        }, receiver.delayMs);
      }
      for (const waiter of waiters.splice(0)) {
        if (waiter.predicate(delivery)) waiter.resolve(delivery);
        else waiters.push(waiter);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${server.address().port}/hooks/loyalty`;
  receiver.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return receiver;
}

const notifyArgs = (receiver, extra = []) => [
  '--notify-url',
  receiver.url,
  '--notify-secret',
  NOTIFY_SECRET,
  '--notify-retry-base-ms',
  '50',
  ...extra,
];

const signed = (delivery) =>
  delivery.headers['x-loyalty-signature'] ===
  `sha256=${createHmac('sha256', NOTIFY_SECRET).update(delivery.raw).digest('hex')}`;

const order = (server, body) => call(server, 'POST', '/v1/orders', { headers: admin, body });

/** Polls an admin listing until `predicate` holds on its notifications (bounded). */
async function listUntil(server, state, predicate, what) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const listed = await call(server, 'GET', `/v1/admin/notifications?state=${state}`, {
      headers: admin,
    });
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    if (predicate(listed.body.notifications)) return listed.body.notifications;
    if (Date.now() > deadline) throw new Error(`never listed: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('every kind arrives once, signed, with its payload', async () => {
  const receiver = await startReceiver();
  const server = await startServer({ args: notifyArgs(receiver) });
  try {
    const program = JSON.parse(readFileSync(programFile, 'utf8'));
    const published = await call(server, 'PUT', '/v1/admin/program', {
      headers: admin,
      body: {
        ...program,
        tiers: {
          metric: 'amount_spent',
          window: 'lifetime',
          levels: [
            { id: 'member', name: 'Member', threshold: 0 },
            { id: 'gold', name: 'Gold', threshold: 50000 },
          ],
        },
        expiry: { mode: 'lots', months: 12, warningDays: 500 },
      },
    });
    assert.equal(published.status, 201, JSON.stringify(published.body));

    const advocate = await enrol(server, 'adv-1', { firstName: 'Ada' });
    const placed = await order(server, {
      id: 'evt-n1',
      type: 'placed',
      customerId: 'buyer-n',
      orderId: 'on-1',
      amounts: { subtotal: 60000 },
    });
    assert.equal(placed.status, 200, JSON.stringify(placed.body));
    const refunded = await order(server, {
      id: 'evt-n1-r',
      type: 'refunded',
      customerId: 'buyer-n',
      orderId: 'on-1',
      amount: 60000,
    });
    assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
    const referred = await order(server, {
      id: 'evt-n2',
      type: 'placed',
      customerId: 'friend-n',
      orderId: 'on-2',
      amounts: { subtotal: 4000 },
      email: 'friend.n@example.com',
      referralCode: advocate.referralCode,
    });
    assert.equal(referred.body.referral?.qualified, true, JSON.stringify(referred.body));
    const swept = await call(server, 'POST', '/v1/admin/expiry-sweep', { headers: admin });
    assert.equal(swept.status, 200);

    const kind = (name, customerId) => (delivery) =>
      delivery.body.kind === name && delivery.body.customerId === customerId;
    const signup = await receiver.waitFor(kind('points.earned', 'adv-1'), 'sign-up points');
    assert.deepEqual(
      { source: signup.body.data.source, ruleId: signup.body.data.ruleId },
      { source: 'rule', ruleId: 'signup' },
    );
    const earned = await receiver.waitFor(kind('points.earned', 'buyer-n'), 'order points');
    assert.equal(earned.body.data.source, 'order');
    assert.equal(earned.body.data.orderId, 'on-1');
    assert.equal(earned.body.data.points, 600);
    assert.equal(earned.body.data.balance, 600);
    const unlocked = await receiver.waitFor(
      (d) => kind('reward.unlocked', 'buyer-n')(d) && d.body.data.rewardId === 'r5',
      'reward r5 unlocked',
    );
    assert.equal(unlocked.body.data.cost, 500);
    const reached = await receiver.waitFor(kind('tier.reached', 'buyer-n'), 'tier reached');
    assert.equal(reached.body.data.tierId, 'gold');
    assert.equal(reached.body.data.previousTierId, 'member');
    const lost = await receiver.waitFor(kind('tier.lost', 'buyer-n'), 'tier lost');
    assert.equal(lost.body.data.tierId, 'member');
    assert.equal(lost.body.data.previousTierId, 'gold');
    const rewarded = await receiver.waitFor(kind('referral.rewarded', 'adv-1'), 'referral');
    assert.equal(rewarded.body.data.points, 500);
    assert.equal(rewarded.body.data.orderId, 'on-2');
    const expiring = await receiver.waitFor(kind('points.expiring', 'adv-1'), 'expiry warning');
    assert.equal(expiring.body.data.points, 600);
    assert.match(expiring.body.data.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    for (const delivery of receiver.received) {
      assert.ok(signed(delivery), `signature of ${delivery.raw}`);
      assert.equal(delivery.headers['x-loyalty-delivery'], delivery.body.id);
      assert.match(delivery.body.id, /^ntf_[0-9a-f]{32}$/);
      assert.match(delivery.headers['x-loyalty-timestamp'], /^\d+$/);
      assert.equal(delivery.headers['content-type'], 'application/json');
    }
    const ids = receiver.received.map((delivery) => delivery.body.id);
    assert.equal(new Set(ids).size, ids.length, 'each notification is delivered once');

    // A second sweep warns of the same lot no more.
    await call(server, 'POST', '/v1/admin/expiry-sweep', { headers: admin });
    const all = await listUntil(server, 'pending', (list) => list.length === 0, 'all delivered');
    assert.deepEqual(all, []);
    const delivered = await call(server, 'GET', '/v1/admin/notifications?state=delivered', {
      headers: admin,
    });
    const warnings = delivered.body.notifications.filter(
      (n) => n.kind === 'points.expiring' && n.customerId === 'adv-1',
    );
    assert.equal(warnings.length, 1);
  } finally {
    await server.stop();
    await receiver.close();
  }
});

test('a receiver answering 500 twice gets the notification on the third attempt', async () => {
  const receiver = await startReceiver((delivery) =>
    Number(delivery.headers['x-loyalty-attempt']) < 3 ? 500 : 200,
  );
  const server = await startServer({ args: notifyArgs(receiver) });
  try {
    await enrol(server, 'retry-1');
    const accepted = await receiver.waitFor(
      (d) => d.body.kind === 'points.earned' && d.status === 200,
      'third attempt answered 200',
    );
    assert.equal(accepted.headers['x-loyalty-attempt'], '3');
    const attempts = receiver.received.filter((d) => d.body.id === accepted.body.id);
    assert.deepEqual(
      attempts.map((d) => d.status),
      [500, 500, 200],
    );
    assert.ok(attempts.every((d) => d.raw === accepted.raw && signed(d)));
    const delivered = await listUntil(
      server,
      'delivered',
      (list) => list.some((n) => n.id === accepted.body.id),
      'marked delivered',
    );
    const row = delivered.find((n) => n.id === accepted.body.id);
    assert.equal(row.attempts, 3);
    assert.equal(row.state, 'delivered');
  } finally {
    await server.stop();
    await receiver.close();
  }
});

test('after its last attempt a notification is dead; retry queues it again', async () => {
  let status = 503;
  const receiver = await startReceiver(() => status);
  const server = await startServer({ args: notifyArgs(receiver, ['--notify-max-attempts', '2']) });
  try {
    await enrol(server, 'dead-1');
    const dead = await listUntil(
      server,
      'dead',
      (list) => list.some((n) => n.kind === 'points.earned'),
      'dead-lettered',
    );
    const row = dead.find((n) => n.kind === 'points.earned');
    assert.equal(row.attempts, 2);
    assert.equal(row.lastError, 'HTTP 503');
    assert.equal(receiver.received.filter((d) => d.body.id === row.id).length, 2);

    status = 200;
    const retried = await call(server, 'POST', `/v1/admin/notifications/${row.id}/retry`, {
      headers: admin,
    });
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    await receiver.waitFor((d) => d.body.id === row.id && d.status === 200, 'retried delivery');
    await listUntil(
      server,
      'delivered',
      (list) => list.some((n) => n.id === row.id),
      'retried and delivered',
    );
    const again = await call(server, 'POST', `/v1/admin/notifications/${row.id}/retry`, {
      headers: admin,
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'notification.notDead');
    const unknown = await call(server, 'POST', '/v1/admin/notifications/ntf_nope/retry', {
      headers: admin,
    });
    assert.equal(unknown.status, 404);
    const noKey = await call(server, 'GET', '/v1/admin/notifications?state=dead');
    assert.equal(noKey.status, 401);
    const badState = await call(server, 'GET', '/v1/admin/notifications?state=lost', {
      headers: admin,
    });
    assert.equal(badState.status, 400);
  } finally {
    await server.stop();
    await receiver.close();
  }
});

test('kill -9 after the order is answered but before delivery loses no notification', async () => {
  // First the receiver holds every request unanswered: the delivery is under way, unacknowledged.
  const receiver = await startReceiver(() => null);
  const args = notifyArgs(receiver, ['--notify-timeout-ms', '120000']);
  const first = await startServer({ args });
  let second;
  try {
    const placed = await order(first, {
      id: 'evt-k9',
      type: 'placed',
      customerId: 'kill-9',
      orderId: 'ok-1',
      amounts: { subtotal: 5000 },
    });
    assert.equal(placed.status, 200);
    const held = await receiver.waitFor(
      (d) => d.body.customerId === 'kill-9' && d.body.kind === 'points.earned',
      'first attempt',
    );
    await first.kill();

    receiver.answer = () => 200;
    second = await startServer({ dir: first.dir, args });
    const delivered = await receiver.waitFor(
      (d) => d.body.id === held.body.id && d.status === 200,
      'delivery after restart',
    );
    assert.equal(delivered.body.data.orderId, 'ok-1');
    assert.equal(delivered.body.data.points, 50);
    assert.ok(signed(delivered));
  } finally {
    if (second) await second.stop();
    else await first.stop();
    await receiver.close();
  }
});

test(
  'two processes on one PostgreSQL outbox: every notification is sent once, not once each',
  { skip: store !== 'postgres' && 'several processes share a PostgreSQL outbox only' },
  async () => {
    // A slow receiver keeps each process's notifier busy long enough for the other to look at
    // the same due rows: only the row locks keep them from both sending one.
    const receiver = await startReceiver();
    receiver.delayMs = 100;
    const first = await startServer({ args: notifyArgs(receiver) });
    const second = await startServer({ dir: first.dir, args: notifyArgs(receiver) });
    try {
      const placed = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          order(i % 2 ? second : first, {
            id: `evt-mp-${i}`,
            type: 'placed',
            customerId: `mp-${i}`,
            orderId: `mp-order-${i}`,
            amounts: { subtotal: 5000 },
          }),
        ),
      );
      assert.ok(placed.every((answer) => answer.status === 200));
      await listUntil(first, 'pending', (rows) => rows.length === 0, 'every row delivered');
      const delivered = await listUntil(first, 'delivered', (rows) => rows.length > 0, 'rows');
      const sends = new Map();
      for (const delivery of receiver.received) {
        sends.set(delivery.body.id, (sends.get(delivery.body.id) ?? 0) + 1);
      }
      assert.equal(sends.size, delivered.length);
      assert.deepEqual(
        [...sends].filter(([, count]) => count !== 1),
        [],
        'no notification sent twice',
      );
      const earned = receiver.received.filter((d) => d.body.kind === 'points.earned');
      assert.equal(new Set(earned.map((d) => d.body.customerId)).size, 16);
    } finally {
      await second.stop({ keep: true });
      await first.stop();
      await receiver.close();
    }
  },
);

/**
 * A key and self-signed certificate for `name` (an IP address or a DNS name), made with the
 * openssl command in a temporary folder: {key, cert, certFile, remove()}.
 */
function selfSigned(name) {
  const dir = mkdtempSync(path.join(tmpdir(), 'loyalty-tls-'));
  const san = /^[\d.]+$/.test(name) ? `IP:${name}` : `DNS:${name}`;
  const run = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=${san}`,
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  return {
    key: readFileSync(path.join(dir, 'key.pem')),
    cert: readFileSync(path.join(dir, 'cert.pem')),
    certFile: path.join(dir, 'cert.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An https receiver on 127.0.0.1 with `identity`'s certificate; every delivery answered 200. */
async function startTlsReceiver(identity) {
  const received = [];
  const server = createHttpsServer(
    { key: identity.key, cert: identity.cert },
    (request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ headers: request.headers, raw, body: JSON.parse(raw) });
        response.writeHead(200).end('ok');
      });
    },
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    received,
    url: `https://127.0.0.1:${server.address().port}/hooks/loyalty`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

test('https: delivered to a receiver whose certificate names it; refused when it does not', async () => {
  const trusted = selfSigned('127.0.0.1');
  const otherName = selfSigned('hooks.example.com');
  const good = await startTlsReceiver(trusted);
  const misnamed = await startTlsReceiver(otherName);
  const servers = [];
  try {
    const start = async (receiver, ca) => {
      const server = await startServer({
        args: [
          '--notify-url',
          receiver.url,
          '--notify-secret',
          NOTIFY_SECRET,
          '--notify-retry-base-ms',
          '60000',
          '--notify-ca',
          ca,
        ],
      });
      servers.push(server);
      await enrol(server, 'tls-1');
      return server;
    };
    // Trusted through --notify-ca and named for 127.0.0.1: delivered, signed, over TLS.
    const server = await start(good, trusted.certFile);
    await listUntil(server, 'pending', (rows) => rows.length === 0, 'every row sent over https');
    const delivered = await listUntil(server, 'delivered', (rows) => rows.length > 0, 'https');
    assert.ok(delivered.some((row) => row.kind === 'points.earned'));
    assert.equal(good.received.length, delivered.length);
    assert.ok(good.received.every(signed));
    const sent = good.received.length;

    // The receiver's certificate names another host: no delivery, the row waits with why.
    const firstFailure = async (server) =>
      (await listUntil(server, 'pending', (rows) => rows[0]?.attempts > 0, 'a failed attempt'))[0];
    const refused = await start(misnamed, otherName.certFile);
    assert.match((await firstFailure(refused)).lastError, /^tls: /);
    assert.equal(misnamed.received.length, 0);

    // Signed by an authority the server doesn't trust (not given as --notify-ca): refused too.
    const untrusted = await start(good, otherName.certFile);
    assert.match((await firstFailure(untrusted)).lastError, /^tls: /);
    assert.equal(good.received.length, sent);
  } finally {
    for (const server of servers) await server.stop();
    await good.close();
    await misnamed.close();
    trusted.remove();
    otherName.remove();
  }
});

test('a notify URL that is not http(s):// or a missing secret stops the server at start', () => {
  for (const [args, message] of [
    [['--notify-url', 'ftp://127.0.0.1/x', '--notify-secret', NOTIFY_SECRET], /http:\/\//],
    [['--notify-ca', '/no/such/ca.pem'], /no\/such\/ca\.pem/],
    [['--notify-url', 'http://127.0.0.1:99999/', '--notify-secret', NOTIFY_SECRET], /port/],
    [['--notify-url', 'http://127.0.0.1/x'], /--notify-secret/],
  ]) {
    const run = spawnSync(serverBinary(), ['--secret', 'test-secret-0123456789', ...args], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, message);
  }
});
