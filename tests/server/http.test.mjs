// Authentication, JSON errors, CORS, the body size limit, rate limits and static files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  admin,
  call,
  enrol,
  fixtures,
  SECRET,
  serverBinary,
  shopper,
  startServer,
  token,
} from './harness.mjs';

const ORIGIN = 'https://shop.example';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
let server;
before(async () => {
  server = await startServer({
    args: [
      '--allow-origin',
      ORIGIN,
      '--allow-origin',
      'http://localhost:5173',
      '--max-body',
      '4096',
      '--rate-redemptions',
      '3',
      '--rate-claims',
      '2',
      '--static',
      `/shop=${path.join(fixtures, 'static')}`,
      '--csp',
      CSP,
    ],
  });
  await enrol(server, 'auth-1', { points: 5000 });
  await enrol(server, 'auth-2');
});
after(() => server.stop());

describe('shopper tokens', () => {
  const getCustomer = (headers) => call(server, 'GET', '/v1/customer', { headers });

  test('a valid token reads its own customer', async () => {
    const answer = await getCustomer(shopper('auth-1'));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.id, 'auth-1');
  });

  test('missing, malformed, forged and expired tokens are 401 with a reason', async () => {
    const now = Math.floor(Date.now() / 1000);
    const valid = token('auth-1');
    const flipped = valid.slice(0, -1) + (valid.endsWith('0') ? '1' : '0');
    const cases = [
      [{}, 'auth.missingToken'],
      [{ Authorization: 'Basic abc' }, 'auth.malformedToken'],
      [{ Authorization: 'Bearer not-a-token' }, 'auth.malformedToken'],
      [{ Authorization: `Bearer ${flipped}` }, 'auth.invalidToken'],
      [
        { Authorization: `Bearer ${token('auth-1', now + 3600, 'another-secret-xyz')}` },
        'auth.invalidToken',
      ],
      [
        { Authorization: `Bearer ${token('auth-2', now + 3600).replace('auth-2', 'auth-1')}` },
        'auth.invalidToken',
      ],
      [{ Authorization: `Bearer ${token('auth-1', now - 1)}` }, 'auth.expiredToken'],
      [{ Authorization: `Bearer ${token('bad id!', now + 60)}` }, 'auth.malformedToken'],
    ];
    for (const [headers, code] of cases) {
      const answer = await getCustomer(headers);
      assert.equal(answer.status, 401, code);
      assert.equal(answer.body.error.code, code);
      assert.equal(typeof answer.body.error.message, 'string');
    }
  });

  test('loyalty-token prints tokens the server accepts until they expire', async () => {
    const tool = path.join(path.dirname(serverBinary()), 'loyalty-token');
    const made = (...args) =>
      execFileSync(tool, ['--secret', SECRET, '--customer', 'auth-1', ...args], {
        encoding: 'utf8',
      }).trim();
    const fresh = made('--expires-in', '600');
    const [id, expiry, signature] = fresh.split('.');
    assert.equal(id, 'auth-1');
    assert.match(signature, /^[0-9a-f]{64}$/);
    const now = Math.floor(Date.now() / 1000);
    assert.ok(Number(expiry) >= now + 590 && Number(expiry) <= now + 610);
    assert.equal(fresh, token('auth-1', Number(expiry)));
    const ok = await call(server, 'GET', '/v1/customer', {
      headers: { Authorization: `Bearer ${fresh}` },
    });
    assert.equal(ok.status, 200);
    const old = made('--expiry', String(now - 10));
    const expired = await call(server, 'GET', '/v1/customer', {
      headers: { Authorization: `Bearer ${old}` },
    });
    assert.equal(expired.body.error.code, 'auth.expiredToken');
  });

  test("another customer's data is 403", async () => {
    const byPath = await call(server, 'GET', '/v1/customers/auth-2', {
      headers: shopper('auth-1'),
    });
    assert.equal(byPath.status, 403);
    assert.equal(byPath.body.error.code, 'auth.otherCustomer');
    const byQuery = await call(server, 'GET', '/v1/customer?customerId=auth-2', {
      headers: shopper('auth-1'),
    });
    assert.equal(byQuery.status, 403);
    const own = await call(server, 'GET', '/v1/customers/auth-1', { headers: shopper('auth-1') });
    assert.equal(own.status, 200);
    const redeemForOther = await call(server, 'POST', '/v1/redemptions', {
      headers: { ...shopper('auth-1'), 'Idempotency-Key': 'other' },
      body: { rewardId: 'r5', customerId: 'auth-2' },
    });
    assert.equal(redeemForOther.status, 403);
  });

  test('admin endpoints need the admin key, not a shopper token', async () => {
    const routes = [
      ['POST', '/v1/orders'],
      ['POST', '/v1/referrals'],
      ['PUT', '/v1/admin/program'],
      ['GET', '/v1/admin/programs'],
      ['PUT', '/v1/admin/customers/x'],
      ['GET', '/v1/admin/customers/auth-1'],
      ['POST', '/v1/admin/customers/auth-1/adjustments'],
    ];
    for (const [method, route] of routes) {
      const body = method === 'GET' ? undefined : {};
      const none = await call(server, method, route, { headers: shopper('auth-1'), body });
      assert.equal(none.status, 401, route);
      assert.equal(none.body.error.code, 'auth.missingAdminKey');
      const wrong = await call(server, method, route, {
        headers: { 'X-Admin-Key': 'guess' },
        body,
      });
      assert.equal(wrong.status, 401, route);
      assert.equal(wrong.body.error.code, 'auth.invalidAdminKey');
    }
  });
});

describe('JSON errors', () => {
  test('malformed and mistyped bodies are 400 with a path', async () => {
    const post = (raw) =>
      call(server, 'POST', '/v1/redemptions', {
        headers: { ...shopper('auth-1'), 'Idempotency-Key': `m-${Math.random()}` },
        raw,
      });
    const cases = [
      ['{', 'request.malformedJson', ''],
      ['', 'request.malformedJson', ''],
      ['[1, 2]', 'request.malformed', ''],
      ['{"rewardId": 5}', 'request.invalidField', '/rewardId'],
      ['{"rewardId": ""}', 'request.invalidField', '/rewardId'],
      ['{}', 'request.invalidField', '/rewardId'],
      ['{"rewardId": "flex", "points": 1.5}', 'request.invalidField', '/points'],
      ['{"rewardId": "flex", "points": "100"}', 'request.invalidField', '/points'],
      ['{"rewardId": "flex", "points": 9007199254740992}', 'request.invalidField', '/points'],
    ];
    for (const [raw, code, path] of cases) {
      const answer = await post(raw);
      assert.equal(answer.status, 400, raw);
      assert.equal(answer.headers.get('content-type'), 'application/json');
      assert.deepEqual(
        [answer.body.error.code, answer.body.error.path],
        [code, path],
        `${raw}: ${JSON.stringify(answer.body)}`,
      );
      assert.ok(answer.body.error.message.length > 0);
    }
    const nested = await call(server, 'POST', '/v1/orders', {
      headers: admin,
      body: { id: 'e', type: 'placed', customerId: 'c', orderId: 'o', amounts: { subtotal: -1 } },
    });
    assert.equal(nested.status, 400);
    assert.equal(nested.body.error.path, '/amounts/subtotal');
  });

  test('unknown routes are a JSON 404', async () => {
    const answer = await call(server, 'GET', '/v1/nothing');
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error.code, 'request.notFound');
  });

  test('another method on a known address is 405 with Allow', async () => {
    const answer = await call(server, 'DELETE', '/v1/program');
    assert.equal(answer.status, 405);
    assert.equal(answer.body.error.code, 'request.methodNotAllowed');
    assert.equal(answer.headers.get('allow'), 'GET, HEAD');
    const redemptions = await call(server, 'GET', '/v1/redemptions');
    assert.equal(redemptions.headers.get('allow'), 'POST');
  });

  test('HEAD of an API address answers its GET headers without the body', async () => {
    const get = await fetch(server.url + '/v1/customer', { headers: shopper('auth-1') });
    const getBody = await get.text();
    const head = await fetch(server.url + '/v1/customer', {
      method: 'HEAD',
      headers: shopper('auth-1'),
    });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'application/json');
    assert.equal(Number(head.headers.get('content-length')), Buffer.byteLength(getBody));
    assert.equal(await head.text(), '');
    const unauthenticated = await fetch(server.url + '/v1/customer', { method: 'HEAD' });
    assert.equal(unauthenticated.status, 401);
    assert.equal(await unauthenticated.text(), '');
  });

  test('a body over --max-body is 413 and changes nothing', async () => {
    const answer = await call(server, 'POST', '/v1/admin/customers/auth-1/adjustments', {
      headers: admin,
      body: { points: 5, reason: 'x'.repeat(5000) },
    });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'request.tooLarge');
    const state = await call(server, 'GET', '/v1/customer', { headers: shopper('auth-2') });
    assert.equal(state.body.summary.balance, 100);
  });
});

describe('CORS', () => {
  test('preflight from an allowed origin lists methods and headers', async () => {
    const response = await fetch(server.url + '/v1/redemptions', {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, idempotency-key, content-type',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(response.headers.get('access-control-allow-methods'), /POST/);
    const allowed = response.headers.get('access-control-allow-headers').toLowerCase();
    for (const header of ['authorization', 'idempotency-key', 'content-type'])
      assert.ok(allowed.includes(header), header);
  });

  test('a foreign origin gets no CORS grant', async () => {
    const preflight = await fetch(server.url + '/v1/customer', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const simple = await call(server, 'GET', '/v1/program', {
      headers: { Origin: 'https://evil.example' },
    });
    assert.equal(simple.status, 200);
    assert.equal(simple.headers.get('access-control-allow-origin'), null);
  });

  test('actual answers, errors included, carry the grant for allowed origins', async () => {
    const ok = await call(server, 'GET', '/v1/customer', {
      headers: { ...shopper('auth-1'), Origin: 'http://localhost:5173' },
    });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(ok.headers.get('vary'), /Origin/);
    const denied = await call(server, 'GET', '/v1/customer', { headers: { Origin: ORIGIN } });
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('access-control-allow-origin'), ORIGIN);
  });
});

describe('rate limits', () => {
  test('redemptions beyond the per-minute budget are 429 with Retry-After', async () => {
    const statuses = [];
    let limited;
    for (let i = 0; i < 5; i++) {
      const answer = await call(server, 'POST', '/v1/redemptions', {
        headers: { ...shopper('auth-1'), 'Idempotency-Key': `rate-${i}` },
        body: { rewardId: 'r5' },
      });
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
    assert.equal(limited.body.error.code, 'request.rateLimited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    // 3 a minute: one token back every 20 s.
    assert.ok(retryAfter >= 1 && retryAfter <= 20, String(retryAfter));
    const state = await call(server, 'GET', '/v1/customer', { headers: shopper('auth-1') });
    assert.equal(state.body.summary.balance, 5100 - 3 * 500);
    // A retried key that was never answered is not poisoned by the 429.
    const replay = await call(server, 'POST', '/v1/redemptions', {
      headers: { ...shopper('auth-1'), 'Idempotency-Key': 'rate-0' },
      body: { rewardId: 'r5' },
    });
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  });

  test('claims have their own budget', async () => {
    const statuses = [];
    for (const ruleId of ['ig-follow', 'ig-follow', 'fb-share']) {
      const answer = await call(server, 'POST', '/v1/claims', {
        headers: shopper('auth-2'),
        body: { ruleId },
      });
      statuses.push(answer.status);
    }
    assert.deepEqual(statuses, [201, 409, 429]);
  });
});

describe('static files', () => {
  test('served with their content types and the CSP header', async () => {
    const html = await fetch(server.url + '/shop/index.html');
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type'), /^text\/html/);
    assert.equal(html.headers.get('content-security-policy'), CSP);
    const js = await fetch(server.url + '/shop/app.js');
    assert.equal(js.headers.get('content-type'), 'text/javascript');
    const wasm = await fetch(server.url + '/shop/tiny.wasm');
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.deepEqual(
      Buffer.from(await wasm.arrayBuffer()),
      readFileSync(path.join(fixtures, 'static/tiny.wasm')),
    );
    const escape = await fetch(server.url + '/shop/../harness.mjs');
    assert.notEqual(escape.status, 200);
  });
});
