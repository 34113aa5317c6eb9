// The referred friend's side of referrals: GET /v1/referrals/{code} and POST
// /v1/referrals/friend, public routes called from the shop's page on another origin.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { admin, call, enrol, startServer } from './harness.mjs';

const ORIGIN = 'https://shop.example';
const REF_COUPON = /^REF(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;

const lookup = (server, code, headers = {}) =>
  call(server, 'GET', `/v1/referrals/${code}`, { headers });
const claim = (server, body, headers = {}) =>
  call(server, 'POST', '/v1/referrals/friend', { body, headers });
const order = (server, body) => call(server, 'POST', '/v1/orders', { headers: admin, body });
const adminCustomer = async (server, id) =>
  (await call(server, 'GET', `/v1/admin/customers/${id}`, { headers: admin })).body;

/** POST /v1/referrals/friend from another loopback address (127.0.0.0/8 all reach the server). */
function claimFrom(server, localAddress, body) {
  const { port } = new URL(server.url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path: '/v1/referrals/friend',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
      },
      (response) => {
        let answer = '';
        response.on('data', (chunk) => (answer += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode, body: JSON.parse(answer) }),
        );
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}

function assertRefused(answer, status, code, path) {
  assert.deepEqual(
    [answer.status, answer.body.error?.code, answer.body.error?.path],
    [status, code, path],
    JSON.stringify(answer.body),
  );
  assert.ok(answer.body.error.message.length > 0);
}

describe('friend referrals', () => {
  let server;
  let bea; // the advocate: Bea, b.ea+shop@gmail.com
  let cy; // another advocate
  before(async () => {
    // Every request here comes from 127.0.0.1: the per-address limits get their own servers.
    server = await startServer({
      args: [
        '--allow-origin',
        ORIGIN,
        '--referrals-per-ip',
        '1000',
        '--rate-referral-lookups',
        '1000',
        '--rate-friend-offers',
        '1000',
      ],
    });
    bea = await enrol(server, 'bea-advocate', { firstName: 'Bea', email: 'b.ea+shop@gmail.com' });
    cy = await enrol(server, 'cy-advocate', { firstName: 'Cy', email: 'cy@example.com' });
  });
  after(() => server.stop());

  test("a lookup answers the advocate's first name and the friend's reward, nothing else", async () => {
    const answer = await lookup(server, bea.referralCode);
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.body), ['referral']);
    assert.deepEqual(answer.body.referral, {
      code: bea.referralCode,
      advocateFirstName: 'Bea',
      friendReward: { type: 'percent_off', value: null, percent: 10, minOrder: null },
    });
    const text = JSON.stringify(answer.body);
    for (const secret of ['bea-advocate', 'b.ea', 'gmail', 'balance', 'summary'])
      assert.ok(!text.includes(secret), secret);
    const head = await fetch(`${server.url}/v1/referrals/${bea.referralCode}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  test('an unknown code is 404; a segment no code can have is not a route', async () => {
    assertRefused(await lookup(server, 'NOPE-123456'), 404, 'referral.unknownCode', '');
    const odd = await lookup(server, 'not%20a%20code');
    assert.equal(odd.status, 404);
    assert.equal(odd.body.error.code, 'request.notFound');
    assert.equal((await lookup(server, 'x'.repeat(65))).body.error.code, 'request.notFound');
  });

  let coupon; // dee.friend@gmail.com's, offered under Bea's code
  test('a new friend gets a coupon (201); the same mailbox, aliases too, gets the same one (200)', async () => {
    const first = await claim(server, { code: bea.referralCode, email: 'dee.friend@gmail.com' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual(Object.keys(first.body.referral).sort(), [
      'advocateFirstName',
      'friendReward',
    ]);
    assert.equal(first.body.referral.advocateFirstName, 'Bea');
    const { code, ...reward } = first.body.referral.friendReward;
    assert.match(code, REF_COUPON);
    assert.deepEqual(reward, { type: 'percent_off', value: null, percent: 10, minOrder: null });
    coupon = code;
    for (const email of ['dee.friend@gmail.com', 'D.ee.Friend+promo@GoogleMail.com']) {
      const again = await claim(server, { code: bea.referralCode, email });
      assert.equal(again.status, 200, email);
      assert.deepEqual(again.body, first.body);
    }
    // Unknown members are ignored, as by every other body.
    const extra = await claim(server, {
      code: bea.referralCode,
      email: 'deefriend@gmail.com',
      advocateId: 'cy-advocate',
    });
    assert.equal(extra.status, 200);
    assert.equal(extra.body.referral.friendReward.code, coupon);
  });

  test('a mailbox holding an offer is not offered another under another code', async () => {
    const other = await claim(server, { code: cy.referralCode, email: 'Dee.Friend@gmail.com' });
    assertRefused(other, 422, 'referral.alreadyReferred', '/email');
  });

  test("the advocate's own mailbox, aliases included, is a self-referral", async () => {
    for (const email of ['b.ea+shop@gmail.com', 'BEA@googlemail.com', 'b.e.a+friend@gmail.com']) {
      const answer = await claim(server, { code: bea.referralCode, email });
      assertRefused(answer, 422, 'referral.selfReferral', '/email');
    }
    // Another advocate's code for Bea's own mailbox is fine: she is a customer without orders.
    const byCy = await claim(server, { code: cy.referralCode, email: 'bea@gmail.com' });
    assert.equal(byCy.status, 201);
  });

  test('a mailbox that ordered before is an existing customer', async () => {
    const placed = await order(server, {
      id: 'evt-old-friend',
      type: 'placed',
      customerId: 'old-friend',
      orderId: 'old-o1',
      amounts: { subtotal: 3000 },
      email: 'old.friend@example.com',
    });
    assert.equal(placed.status, 200);
    const answer = await claim(server, {
      code: bea.referralCode,
      email: 'Old.Friend+x@example.com',
    });
    assertRefused(answer, 422, 'referral.existingCustomer', '/email');
  });

  test('bodies are checked: types, lengths and the address, each with its path', async () => {
    const code = bea.referralCode;
    const cases = [
      [{ code, email: 'not-an-email' }, 422, 'referral.invalidEmail', '/email'],
      [{ code, email: '@example.com' }, 422, 'referral.invalidEmail', '/email'],
      [{ code, email: `${'a'.repeat(243)}@example.com` }, 400, 'request.invalidField', '/email'],
      [{ code, email: 5 }, 400, 'request.invalidField', '/email'],
      [{ code, email: ['a@b.io'] }, 400, 'request.invalidField', '/email'],
      [{ code, email: '' }, 400, 'request.invalidField', '/email'],
      [{ code }, 400, 'request.invalidField', '/email'],
      [{ code: 7, email: 'a@b.io' }, 400, 'request.invalidField', '/code'],
      [{ code: 'BEA 1', email: 'a@b.io' }, 400, 'request.invalidField', '/code'],
      [{ code: 'B'.repeat(65), email: 'a@b.io' }, 400, 'request.invalidField', '/code'],
      [{ email: 'a@b.io' }, 400, 'request.invalidField', '/code'],
      [{ code: 'NOPE-123456', email: 'a@b.io' }, 422, 'referral.unknownCode', '/code'],
    ];
    for (const [body, status, code, path] of cases)
      assertRefused(await claim(server, body), status, code, path);
    assertRefused(
      await call(server, 'POST', '/v1/referrals/friend', { raw: '{"code":' }),
      400,
      'request.malformedJson',
      '',
    );
    assertRefused(
      await call(server, 'POST', '/v1/referrals/friend', { raw: '["a"]' }),
      400,
      'request.malformed',
      '',
    );
    // 254 characters is the longest address taken.
    const longest = `${'a'.repeat(242)}@example.com`;
    assert.equal(longest.length, 254);
    assert.equal((await claim(server, { code, email: longest })).status, 201);
  });

  test("the friend's order credits the advocate once and carries the offered coupon", async () => {
    const before = (await adminCustomer(server, 'bea-advocate')).summary.balance;
    const placed = await order(server, {
      id: 'evt-dee-1',
      type: 'placed',
      customerId: 'dee',
      orderId: 'dee-o1',
      amounts: { subtotal: 4000 },
      email: 'dee.friend@gmail.com',
      referralCode: bea.referralCode,
      ip: '10.20.0.1',
    });
    assert.equal(placed.status, 200);
    assert.equal(placed.body.referral.qualified, true, JSON.stringify(placed.body));
    assert.equal(placed.body.referral.advocateId, 'bea-advocate');
    assert.equal(placed.body.referral.advocatePoints, 500);
    assert.equal(placed.body.referral.friendReward.code, coupon);
    // A redelivery and a second order change nothing.
    const redelivered = await order(server, {
      id: 'evt-dee-1',
      type: 'placed',
      customerId: 'dee',
      orderId: 'dee-o1',
      amounts: { subtotal: 4000 },
    });
    assert.equal(redelivered.body.applied, false);
    const second = await order(server, {
      id: 'evt-dee-2',
      type: 'placed',
      customerId: 'dee',
      orderId: 'dee-o2',
      amounts: { subtotal: 4000 },
      email: 'dee.friend@gmail.com',
      referralCode: bea.referralCode,
    });
    assert.equal(second.body.referral, undefined);
    const advocate = await adminCustomer(server, 'bea-advocate');
    assert.equal(advocate.summary.balance, before + 500);
    assert.equal(advocate.ledger.filter((entry) => entry.type === 'referral').length, 1);
    // The friend asking again, now a customer with orders: the same coupon, nothing new.
    const again = await claim(server, { code: bea.referralCode, email: 'dee.friend@gmail.com' });
    assert.equal(again.status, 200);
    assert.equal(again.body.referral.friendReward.code, coupon);
  });

  test('POST /v1/referrals gives a friend who holds an offer that same coupon', async () => {
    const offered = await claim(server, { code: cy.referralCode, email: 'eve@example.com' });
    assert.equal(offered.status, 201);
    const qualified = await call(server, 'POST', '/v1/referrals', {
      headers: admin,
      body: {
        code: cy.referralCode,
        friendEmail: 'Eve+shop@example.com',
        orderId: 'eve-o1',
        amount: 2500,
        ip: '10.20.0.2',
      },
    });
    assert.equal(qualified.status, 201, JSON.stringify(qualified.body));
    assert.equal(
      qualified.body.referral.friendReward.code,
      offered.body.referral.friendReward.code,
    );
    assert.equal(qualified.body.referral.advocatePoints, 500);
    // A friend without an offer still gets a coupon of their own.
    const fresh = await call(server, 'POST', '/v1/referrals', {
      headers: admin,
      body: {
        code: cy.referralCode,
        friendEmail: 'fay@example.com',
        orderId: 'fay-o1',
        amount: 2500,
        ip: '10.20.0.3',
      },
    });
    assert.equal(fresh.status, 201);
    assert.match(fresh.body.referral.friendReward.code, REF_COUPON);
    assert.notEqual(fresh.body.referral.friendReward.code, offered.body.referral.friendReward.code);
    // Qualified without an offer: the mailbox is referred, so no offer comes after.
    const late = await claim(server, { code: bea.referralCode, email: 'fay@example.com' });
    assertRefused(late, 422, 'referral.alreadyReferred', '/email');
  });

  test('20 concurrent claims for one new mailbox issue exactly one coupon', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        claim(server, { code: bea.referralCode, email: 'burst@example.com' }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [...Array(19).fill(200), 201].sort());
    const coupons = new Set(answers.map((answer) => answer.body.referral.friendReward.code));
    assert.equal(coupons.size, 1);
    assert.match([...coupons][0], REF_COUPON);
  });

  test('the shop page on an allowed origin may call both routes, preflight included', async () => {
    const got = await lookup(server, bea.referralCode, { Origin: ORIGIN });
    assert.equal(got.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(got.headers.get('vary'), /Origin/);
    const preflight = await fetch(`${server.url}/v1/referrals/friend`, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(preflight.headers.get('access-control-allow-methods'), /POST/);
    assert.match(
      preflight.headers.get('access-control-allow-headers').toLowerCase(),
      /content-type/,
    );
    const posted = await claim(
      server,
      { code: bea.referralCode, email: 'cors@example.com' },
      { Origin: ORIGIN },
    );
    assert.equal(posted.status, 201);
    assert.equal(posted.headers.get('access-control-allow-origin'), ORIGIN);
    const refused = await claim(
      server,
      { code: bea.referralCode, email: 'nope' },
      { Origin: ORIGIN },
    );
    assert.equal(refused.status, 422);
    assert.equal(refused.headers.get('access-control-allow-origin'), ORIGIN);
    // Another origin gets neither a preflight nor a grant.
    const foreign = await fetch(`${server.url}/v1/referrals/friend`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(foreign.status, 403);
    const foreignGet = await lookup(server, bea.referralCode, { Origin: 'https://evil.example' });
    assert.equal(foreignGet.headers.get('access-control-allow-origin'), null);
  });
});

describe('friend referral limits per address', () => {
  let server;
  let code;
  before(async () => {
    server = await startServer({
      args: [
        '--referrals-per-ip',
        '3',
        '--rate-referral-lookups',
        '3',
        '--rate-friend-offers',
        '20',
      ],
    });
    code = (await enrol(server, 'lim-advocate', { firstName: 'Lim' })).referralCode;
  });
  after(() => server.stop());

  test('lookups beyond the per-minute budget are 429 with Retry-After', async () => {
    const answers = [];
    for (const asked of [code, 'NOPE-123456', code, code])
      answers.push(await lookup(server, asked));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 404, 200, 429],
    );
    const limited = answers[3];
    assert.equal(limited.body.error.code, 'request.rateLimited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    // 3 a minute: one token back every 20 s.
    assert.ok(retryAfter >= 1 && retryAfter <= 20, String(retryAfter));
    assert.equal(limited.body.error.retryAfter, retryAfter);
  });

  test('claims count against the weekly per-address limit; asking again does not', async () => {
    const first = await claim(server, { code, email: 'one@example.com' });
    assert.equal(first.status, 201);
    for (let i = 0; i < 4; i++)
      assert.equal((await claim(server, { code, email: 'one@example.com' })).status, 200);
    assert.equal((await claim(server, { code, email: 'two@example.com' })).status, 201);
    // Refused attempts count too.
    assertRefused(
      await claim(server, { code, email: 'not-an-address' }),
      422,
      'referral.invalidEmail',
      '/email',
    );
    assertRefused(
      await claim(server, { code, email: 'three@example.com' }),
      422,
      'referral.tooManyFromIp',
      '',
    );
    // The friends already offered still get their coupon; another address is counted apart.
    const again = await claim(server, { code, email: 'two@example.com' });
    assert.equal(again.status, 200);
    const elsewhere = await claimFrom(server, '127.0.0.2', { code, email: 'three@example.com' });
    assert.equal(elsewhere.status, 201, JSON.stringify(elsewhere.body));
  });

  test('claims beyond their per-minute budget are 429', async () => {
    const statuses = [];
    for (let i = 0; i < 20; i++)
      statuses.push((await claimFrom(server, '127.0.0.3', { code, email: 'burst@x.io' })).status);
    const limited = await claimFrom(server, '127.0.0.3', { code, email: 'burst@x.io' });
    assert.deepEqual(statuses, [201, ...Array(19).fill(200)]);
    assertRefused(limited, 429, 'request.rateLimited', '');
  });

  test('a program without referrals: 404 for lookups, 422 for claims', async () => {
    const program = (await call(server, 'GET', '/v1/program')).body;
    program.referral.enabled = false;
    const published = await call(server, 'PUT', '/v1/admin/program', {
      headers: admin,
      body: program,
    });
    assert.equal(published.status, 201, JSON.stringify(published.body));
    const got = await claimFrom(server, '127.0.0.4', { code, email: 'four@example.com' });
    assertRefused(got, 422, 'referral.disabled', '');
    // The lookup bucket of 127.0.0.1 is empty: a disabled program is said before it is asked.
    assertRefused(await lookup(server, code), 404, 'referral.disabled', '');
  });
});
