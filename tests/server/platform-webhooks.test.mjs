// POST /v1/webhooks/{platform} through the real binary: the route needs no admin key, the
// signature is checked over the raw bytes with the secret of --webhook-secret, and the body
// limit holds as on every other route. tests/server/platform_webhooks_unit_test.cpp covers the
// mappings themselves.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';

import { admin, call, startServer } from './harness.mjs';

const SHOPIFY_SECRET = 'shpss_node_test_secret';
let server;

before(async () => {
  server = await startServer({
    args: ['--webhook-secret', `shopify=${SHOPIFY_SECRET}`, '--max-body', '4096'],
  });
});
after(() => server.stop());

const sign = (raw, secret = SHOPIFY_SECRET) =>
  createHmac('sha256', secret).update(raw).digest('base64');

function order(id, customerId) {
  return JSON.stringify({
    id,
    test: false,
    currency: 'USD',
    email: 'noor@example.com',
    processed_at: new Date(Date.now() - 60000).toISOString(),
    total_discounts: '0.00',
    total_tax: '1.20',
    customer: { id: customerId, first_name: 'Noor' },
    line_items: [{ product_id: 4401, quantity: 3, price: '12.50', gift_card: false }],
    shipping_lines: [{ price: '4.00' }],
  });
}

function deliver(raw, { topic = 'orders/paid', signature = sign(raw), platform = 'shopify' } = {}) {
  return call(server, 'POST', `/v1/webhooks/${platform}`, {
    raw,
    headers: { 'X-Shopify-Topic': topic, 'X-Shopify-Hmac-Sha256': signature },
  });
}

test('a signed Shopify orders/paid awards once, without the admin key', async () => {
  const raw = order(9101, 66001);
  const first = await deliver(raw);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.events[0].points, 37); // $37.50 of items, a point per dollar
  const again = await deliver(raw);
  assert.equal(again.body.events[0].applied, false);
  const customer = await call(server, 'GET', '/v1/admin/customers/66001', { headers: admin });
  assert.equal(customer.body.summary.balance, 37);
});

test('a tampered body, a missing signature or another secret is 401', async () => {
  const raw = order(9102, 66002);
  const tampered = raw.replace('12.50', '99.50');
  assert.equal((await deliver(tampered, { signature: sign(raw) })).status, 401);
  assert.equal((await deliver(raw, { signature: '' })).status, 401);
  assert.equal((await deliver(raw, { signature: sign(raw, 'not-the-secret') })).status, 401);
  // No secret is configured for WooCommerce: nothing it sends can be verified.
  assert.equal((await deliver(raw, { platform: 'woocommerce' })).status, 401);
  const customer = await call(server, 'GET', '/v1/admin/customers/66002', { headers: admin });
  assert.equal(customer.status, 404);
});

test('an unknown platform is 404 and a topic we do not use is 200 ignored', async () => {
  const raw = order(9103, 66003);
  assert.equal((await deliver(raw, { platform: 'ecwid' })).status, 404);
  const ignored = await deliver(raw, { topic: 'customers/update' });
  assert.equal(ignored.status, 200);
  assert.equal(ignored.body.ignored, true);
});

test('a body over --max-body is refused before it is read', async () => {
  const raw = JSON.stringify({ id: 9104, padding: 'x'.repeat(5000) });
  assert.equal((await deliver(raw)).status, 413);
});
