// The demo-only routes of `loyalty-server --demo` (demo/server/demo_routes.cpp): POST
// /demo/session signs a shopper token as a shop's login would, and POST /demo/orders applies a
// shopper's order through the order webhook's code. Without the flag neither exists.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { admin, call, enrol, shopper, startServer, token } from './harness.mjs';

const AMOUNTS = { subtotal: 12345, discount: 345, shipping: 500, tax: 100 };
// The fixture's order rule: 1 point per 100 of (subtotal - discount), floored: 12000 / 100.
const ORDER_POINTS = 120;
const SIGNUP_POINTS = 100;

describe('without --demo', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test('the demo routes do not exist', async () => {
    await enrol(server, 'plain-1');
    const session = await call(server, 'POST', '/demo/session', {
      body: { customerId: 'plain-1' },
    });
    assert.equal(session.status, 404);
    const order = await call(server, 'POST', '/demo/orders', {
      headers: shopper('plain-1'),
      body: { orderId: 'o-1', amounts: AMOUNTS },
    });
    assert.equal(order.status, 404);
    assert.doesNotMatch(server.output(), /DEMO ROUTES ENABLED/);
    const customer = await call(server, 'GET', '/v1/admin/customers/plain-1', { headers: admin });
    assert.equal(customer.body.summary.balance, SIGNUP_POINTS);
  });
});

describe('--demo', () => {
  let server;
  before(async () => {
    server = await startServer({ args: ['--demo'] });
  });
  after(() => server.stop());

  const session = (body) => call(server, 'POST', '/demo/session', { body });
  const demoOrder = (headers, body) => call(server, 'POST', '/demo/orders', { headers, body });

  test('the start-up banner says so loudly', () => {
    assert.match(server.output(), /\*\*\* DEMO ROUTES ENABLED/);
  });

  test('POST /demo/session signs the contract token for an existing customer', async () => {
    await enrol(server, 'demo-s1');
    const answer = await session({ customerId: 'demo-s1' });
    assert.equal(answer.status, 200);
    const [customerId, expiryText] = answer.body.token.split('.');
    const expiry = Number(expiryText);
    assert.equal(customerId, 'demo-s1');
    // The same token the contract's HMAC gives, computed here independently of the server.
    assert.equal(answer.body.token, token('demo-s1', expiry));
    assert.equal(answer.body.expiresAt, new Date(expiry * 1000).toISOString().replace('.000', ''));
    const now = Math.floor(Date.now() / 1000);
    assert.ok(expiry > now + 23 * 3600, `a day-long demo sign-in, got ${expiry - now} s`);
    const me = await call(server, 'GET', '/v1/customer', {
      headers: { Authorization: `Bearer ${answer.body.token}` },
    });
    assert.equal(me.status, 200);
    assert.equal(me.body.id, 'demo-s1');
    assert.equal(me.body.summary.balance, SIGNUP_POINTS);
  });

  test('POST /demo/session refuses unknown customers and bad bodies', async () => {
    const unknown = await session({ customerId: 'nobody-here' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'customer.unknown');
    assert.equal(unknown.body.error.path, '/customerId');
    const invalid = await session({ customerId: 'not/an/id' });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error.path, '/customerId');
    const missing = await session({});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.path, '/customerId');
  });

  test('POST /demo/orders awards the same points as the order webhook', async () => {
    await enrol(server, 'via-webhook');
    await enrol(server, 'via-demo');
    const webhook = await call(server, 'POST', '/v1/orders', {
      headers: admin,
      body: {
        id: 'evt-w1',
        type: 'placed',
        customerId: 'via-webhook',
        orderId: 'o-100',
        amounts: AMOUNTS,
      },
    });
    assert.deepEqual(webhook.body, { applied: true, points: ORDER_POINTS });

    const signedIn = (await session({ customerId: 'via-demo' })).body.token;
    const placed = await demoOrder(
      { Authorization: `Bearer ${signedIn}` },
      { orderId: 'o-100', amounts: AMOUNTS },
    );
    assert.equal(placed.status, 200);
    assert.equal(placed.body.applied, true);
    assert.equal(placed.body.points, ORDER_POINTS);
    assert.equal(placed.body.customer.id, 'via-demo');
    assert.equal(placed.body.customer.summary.balance, SIGNUP_POINTS + ORDER_POINTS);

    // Both ledgers hold the same order entry (ids and times aside).
    const orderEntry = async (id) => {
      const customer = await call(server, 'GET', `/v1/admin/customers/${id}`, { headers: admin });
      const entry = customer.body.ledger.find((item) => item.type === 'order_placed');
      return { orderId: entry.orderId, amounts: entry.amounts, points: entry.points };
    };
    assert.deepEqual(await orderEntry('via-demo'), await orderEntry('via-webhook'));
    assert.deepEqual(await orderEntry('via-demo'), {
      orderId: 'o-100',
      amounts: AMOUNTS,
      points: ORDER_POINTS,
    });
  });

  test('each demo order is a new event; the same order id is applied once', async () => {
    await enrol(server, 'demo-o2');
    const first = await demoOrder(shopper('demo-o2'), {
      orderId: 'o-7',
      amounts: { subtotal: 5000 },
    });
    assert.equal(first.body.points, 50);
    const again = await demoOrder(shopper('demo-o2'), {
      orderId: 'o-7',
      amounts: { subtotal: 5000 },
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.applied, false);
    assert.equal(again.body.points, 0);
    assert.equal(again.body.customer.summary.balance, SIGNUP_POINTS + 50);
    const second = await demoOrder(shopper('demo-o2'), {
      orderId: 'o-8',
      amounts: { subtotal: 2000 },
    });
    assert.equal(second.body.applied, true);
    assert.equal(second.body.points, 20);
    assert.equal(second.body.customer.summary.balance, SIGNUP_POINTS + 70);
  });

  test('POST /demo/orders needs a valid shopper token and its own customer', async () => {
    await enrol(server, 'demo-o3');
    const body = { orderId: 'o-9', amounts: AMOUNTS };
    const missing = await demoOrder({}, body);
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error.code, 'auth.missingToken');
    const forged = await demoOrder(
      { Authorization: `Bearer ${token('demo-o3', undefined, 'another-secret-0123456789')}` },
      body,
    );
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error.code, 'auth.invalidToken');
    const expired = await demoOrder(
      { Authorization: `Bearer ${token('demo-o3', Math.floor(Date.now() / 1000) - 60)}` },
      body,
    );
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'auth.expiredToken');
    const adminOnly = await demoOrder(admin, body);
    assert.equal(adminOnly.status, 401);
    const other = await demoOrder(shopper('demo-o3'), { ...body, customerId: 'via-webhook' });
    assert.equal(other.status, 403);
    assert.equal(other.body.error.path, '/customerId');
    const noAmounts = await demoOrder(shopper('demo-o3'), { orderId: 'o-9' });
    assert.equal(noAmounts.status, 400);
    assert.equal(noAmounts.body.error.path, '/amounts');
    const badSubtotal = await demoOrder(shopper('demo-o3'), {
      orderId: 'o-9',
      amounts: { subtotal: -1 },
    });
    assert.equal(badSubtotal.status, 400);
    assert.equal(badSubtotal.body.error.path, '/amounts/subtotal');
    // None of the refused requests changed the ledger.
    const customer = await call(server, 'GET', '/v1/admin/customers/demo-o3', { headers: admin });
    assert.equal(customer.body.summary.balance, SIGNUP_POINTS);
  });

  test('--demo refuses to listen beyond the loopback interface', async () => {
    await assert.rejects(
      startServer({ args: ['--demo', '--host', '0.0.0.0'] }),
      /exited with 2: .*only runs on a loopback host/s,
    );
  });
});
