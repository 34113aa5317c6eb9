// Order lines and pending points through the server: POST /v1/orders and POST /demo/orders take an
// order's `lines` (read by the core's own reader of a ledger entry's lines), the order rule's
// exclusions apply to them, and they are stored on the ledger entry so replay uses them (a
// refund is a part of the basis they leave). The customer document and `loyalty replay` show
// points held for the rule's `pendingDays`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { admin, call, coreReplay, enrol, runCli, shopper, startServer } from './harness.mjs';

const SIGNUP_POINTS = 100;
const DAY = 86400;

// $100.00 of items with $10.00 off: a $50.00 mug, a $30.00 gift card and a $20.00 product the
// rule excludes, plus $5.00 shipping. The fixture's rule earns 1 point per $1.00 of the subtotal
// after discounts; only the mug earns, less its share of the discount: $50.00 - $5.00 = 45.
const AMOUNTS = { subtotal: 10000, discount: 1000, shipping: 500, tax: 0 };
const LINES = [
  { productId: 'mug', collections: ['kitchen'], quantity: 2, amount: 5000 },
  { productId: 'card-30', quantity: 1, amount: 3000, kind: 'gift_card' },
  { productId: 'sku-excluded', amount: 2000 },
  { amount: 500, kind: 'shipping' },
];
const LINES_POINTS = 45;
const WITHOUT_LINES_POINTS = 90;

/** Publishes the fixture program with its order rule changed by `edit`. */
async function publishOrderRule(server, edit) {
  const program = (await call(server, 'GET', '/v1/program')).body;
  const rule = program.earning.find((earn) => earn.type === 'order');
  edit(rule);
  const published = await call(server, 'PUT', '/v1/admin/program', {
    headers: admin,
    body: program,
  });
  assert.equal(published.status, 201, JSON.stringify(published.body));
  return program;
}

const order = (server, body) => call(server, 'POST', '/v1/orders', { headers: admin, body });
const customer = async (server, id) =>
  (await call(server, 'GET', `/v1/admin/customers/${id}`, { headers: admin })).body;

describe('order lines', () => {
  let server;
  before(async () => {
    server = await startServer({ args: ['--demo'] });
    await publishOrderRule(server, (rule) => {
      rule.minOrder = 0;
      rule.exclude = { products: ['sku-excluded'] }; // gift cards stay excluded by default
    });
  });
  after(() => server.stop());

  test('POST /v1/orders: gift cards and excluded products earn nothing', async () => {
    await enrol(server, 'lines-1');
    await enrol(server, 'lines-0');
    const placed = await order(server, {
      id: 'lines-1-placed',
      type: 'placed',
      customerId: 'lines-1',
      orderId: 'o-1',
      amounts: AMOUNTS,
      lines: LINES,
    });
    assert.equal(placed.status, 200, JSON.stringify(placed.body));
    assert.deepEqual(placed.body, { applied: true, points: LINES_POINTS });
    // The same order without lines earns on its amounts, as before.
    const plain = await order(server, {
      id: 'lines-0-placed',
      type: 'placed',
      customerId: 'lines-0',
      orderId: 'o-1',
      amounts: AMOUNTS,
    });
    assert.deepEqual(plain.body, { applied: true, points: WITHOUT_LINES_POINTS });

    // Stored on the entry as the contract spells them (defaults written out); none without.
    const { ledger, summary } = await customer(server, 'lines-1');
    const entry = ledger.find((item) => item.type === 'order_placed');
    assert.deepEqual(entry.lines, [
      { productId: 'mug', collections: ['kitchen'], quantity: 2, amount: 5000, kind: 'product' },
      { productId: 'card-30', quantity: 1, amount: 3000, kind: 'gift_card' },
      { productId: 'sku-excluded', quantity: 1, amount: 2000, kind: 'product' },
      { quantity: 1, amount: 500, kind: 'shipping' },
    ]);
    assert.equal(summary.balance, SIGNUP_POINTS + LINES_POINTS);
    const plainEntry = (await customer(server, 'lines-0')).ledger.find(
      (item) => item.type === 'order_placed',
    );
    assert.equal('lines' in plainEntry, false);

    // The core's replay of the stored ledger reads the lines back and agrees.
    const replayed = await coreReplay(server, 'lines-1');
    assert.deepEqual(replayed.warnings, []);
    assert.equal(replayed.account.balance, summary.balance);
  });

  test('a refund is a part of the basis the lines leave', async () => {
    await enrol(server, 'lines-2');
    await order(server, {
      id: 'lines-2-placed',
      type: 'placed',
      customerId: 'lines-2',
      orderId: 'o-2',
      amounts: AMOUNTS,
      lines: LINES,
    });
    // Half of the $45.00 basis: half the points (with the amounts' $90.00 basis, a quarter).
    const refunded = await order(server, {
      id: 'lines-2-refunded',
      type: 'refunded',
      customerId: 'lines-2',
      orderId: 'o-2',
      amount: 2250,
    });
    assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
    assert.equal(refunded.body.points, -22);
    const { summary } = await customer(server, 'lines-2');
    assert.equal(summary.balance, SIGNUP_POINTS + LINES_POINTS - 22);
    assert.equal((await coreReplay(server, 'lines-2')).account.balance, summary.balance);
  });

  test('POST /demo/orders takes the same lines', async () => {
    await enrol(server, 'lines-3');
    const placed = await call(server, 'POST', '/demo/orders', {
      headers: shopper('lines-3'),
      body: { orderId: 'o-3', amounts: AMOUNTS, lines: LINES },
    });
    assert.equal(placed.status, 200, JSON.stringify(placed.body));
    assert.equal(placed.body.points, LINES_POINTS);
    assert.equal(placed.body.customer.summary.balance, SIGNUP_POINTS + LINES_POINTS);
    const entry = placed.body.customer.ledger.find((item) => item.type === 'order_placed');
    assert.equal(entry.lines.length, LINES.length);
  });

  // Each bad `lines` value: the error's path and a word of its message.
  const badLines = [
    ['not a list', { a: 1 }, '/lines', 'must be a list'],
    ['a line that is not an object', [5], '/lines/0', 'must be an object'],
    ['no amount', [{ productId: 'mug' }], '/lines/0/amount', 'is required'],
    ['a negative amount', [{ amount: -1 }], '/lines/0/amount', '0 or more'],
    ['a fraction', [{ amount: 10.5 }], '/lines/0/amount', 'whole number'],
    ['an amount as text', [{ amount: '100' }], '/lines/0/amount', 'whole number'],
    ['an unknown kind', [{ amount: 100, kind: 'voucher' }], '/lines/0/kind', 'gift_card'],
    [
      'a product id that is a number',
      [{ amount: 100, productId: 7 }],
      '/lines/0/productId',
      'text',
    ],
    [
      'collections that are not a list',
      [{ amount: 1, collections: 'a' }],
      '/lines/0/collections',
      'list',
    ],
    // A good line first: the path names the line at fault.
    [
      'a quantity of 0',
      [{ amount: 10000 }, { amount: 100, quantity: 0 }],
      '/lines/1/quantity',
      'from 1 to 1000000',
    ],
    ['more than 10,000 lines', Array(10001).fill({ amount: 1 }), '/lines', 'at most 10000'],
    [
      'items that do not sum to the subtotal',
      [{ amount: 6000 }, { amount: 3000, kind: 'gift_card' }],
      '/lines',
      'must sum to amounts.subtotal (10000), got 9000',
    ],
    [
      'shipping lines that do not sum to the shipping',
      [{ amount: 10000 }, { amount: 400, kind: 'shipping' }],
      '/lines',
      'must sum to amounts.shipping (500), got 400',
    ],
  ];

  test('bad lines are refused with their JSON path, and nothing is recorded', async () => {
    await enrol(server, 'lines-bad');
    for (const [what, lines, where, says] of badLines) {
      const refused = await order(server, {
        id: `lines-bad-${where}-${what}`,
        type: 'placed',
        customerId: 'lines-bad',
        orderId: 'o-bad',
        amounts: AMOUNTS,
        lines,
      });
      assert.equal(refused.status, 400, what);
      assert.equal(refused.body.error.code, 'request.invalidField', what);
      assert.equal(refused.body.error.path, where, what);
      assert.ok(refused.body.error.message.startsWith(`${where}: `), what);
      assert.ok(
        refused.body.error.message.includes(says),
        `${what}: ${refused.body.error.message}`,
      );
    }
    const demo = await call(server, 'POST', '/demo/orders', {
      headers: shopper('lines-bad'),
      body: { orderId: 'o-bad', amounts: AMOUNTS, lines: [{ amount: -5 }] },
    });
    assert.equal(demo.status, 400);
    assert.equal(demo.body.error.path, '/lines/0/amount');
    const { ledger, summary } = await customer(server, 'lines-bad');
    assert.equal(ledger.filter((item) => item.type === 'order_placed').length, 0);
    assert.equal(summary.balance, SIGNUP_POINTS);
  });
});

describe('pending points', () => {
  let server;
  let program;
  before(async () => {
    server = await startServer();
    program = await publishOrderRule(server, (rule) => {
      rule.minOrder = 0;
      rule.pendingDays = 14;
    });
  });
  after(() => server.stop());

  test('the customer document and `loyalty replay` show points held for pendingDays', async () => {
    await enrol(server, 'pending-1');
    const placed = await order(server, {
      id: 'pending-1-placed',
      type: 'placed',
      customerId: 'pending-1',
      orderId: 'o-p1',
      amounts: { subtotal: 5000 },
    });
    assert.deepEqual(placed.body, { applied: true, points: 50 });

    const document = await customer(server, 'pending-1');
    const entry = document.ledger.find((item) => item.type === 'order_placed');
    const availableAt = new Date((Date.parse(entry.recordedAt) / 1000 + 14 * DAY) * 1000)
      .toISOString()
      .replace('.000', '');
    assert.equal(document.summary.balance, SIGNUP_POINTS); // not spendable yet
    assert.equal(document.summary.pending, 50);
    assert.deepEqual(document.summary.pendingPoints, [
      { orderId: 'o-p1', points: 50, availableAt },
    ]);
    // The shopper's own document says the same.
    const own = await call(server, 'GET', '/v1/customer', { headers: shopper('pending-1') });
    assert.deepEqual(own.body.summary, document.summary);

    // The core's replay of the ledger (no summary): the same total, lot and activity mark.
    const { account, warnings } = await coreReplay(server, 'pending-1');
    assert.deepEqual(warnings, []);
    assert.equal(account.balance, SIGNUP_POINTS);
    assert.equal(account.pending, 50);
    assert.deepEqual(account.pendingPoints, [{ availableAt, orderId: 'o-p1', points: 50 }]);
    const activity = account.activity.find((item) => item.type === 'order_placed');
    assert.equal(activity.pendingUntil, availableAt);

    // The launcher reads the document with its summary: no warning, and the view shows them.
    const view = runCli('view', program, document);
    assert.equal(view.ok, true);
    assert.deepEqual(view.warnings, []);
    assert.equal(view.view.balance.pending, 50);
    assert.deepEqual(view.view.pending, [{ availableAt, orderId: 'o-p1', points: 50 }]);
  });

  test('without points pending neither shows the new keys', async () => {
    await enrol(server, 'pending-0');
    const document = await customer(server, 'pending-0');
    assert.equal('pending' in document.summary, false);
    assert.equal('pendingPoints' in document.summary, false);
    const { account } = await coreReplay(server, 'pending-0');
    assert.equal('pending' in account, false);
    assert.equal('pendingPoints' in account, false);
  });
});
