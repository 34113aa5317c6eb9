// The JSON nesting limit (CONTRACT.md: 64 levels) against the real server: the issue's
// 100,000-deep redemption body used to overflow the stack while the body was serialised for the
// idempotency hash; now every endpoint answers 400 request.tooDeep and keeps serving.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { admin, call, enrol, fixtures, programFile, shopper, startServer } from './harness.mjs';

const LIMIT = 64;
const program = JSON.parse(readFileSync(programFile, 'utf8'));
let server;
before(async () => {
  server = await startServer({ args: ['--demo'] });
});
after(() => server.stop());

/** `levels` arrays inside each other, as text. */
const arrays = (levels) => '['.repeat(levels) + ']'.repeat(levels);
/** The JSON text of `fields` plus "deep": `levels` nested arrays (levels + 1 levels in all). */
const withDeep = (fields, levels) =>
  JSON.stringify({ ...fields, deep: '@deep' }).replace('"@deep"', arrays(levels));
/** Where the first level too deep sits in such a body. */
const refusedAt = '/deep' + '/0'.repeat(LIMIT - 1);
const DEEPEST = LIMIT - 1;

const redeem = (raw, key = `key-${Math.random()}`) =>
  call(server, 'POST', '/v1/redemptions', {
    headers: { ...shopper('deep-1'), 'Idempotency-Key': key },
    raw,
  });

function assertTooDeep(answer, path = refusedAt) {
  assert.equal(answer.status, 400, JSON.stringify(answer.body).slice(0, 300));
  assert.equal(answer.body.error.code, 'request.tooDeep');
  assert.equal(answer.body.error.path, path);
  assert.equal(answer.body.error.limit, LIMIT);
  assert.equal(
    answer.body.error.message,
    `${path}: nested deeper than 64 levels, the most any JSON input may have`,
  );
}

async function stillServes() {
  const answer = await call(server, 'GET', '/v1/program');
  assert.equal(answer.status, 200);
  assert.equal(server.child.exitCode, null, 'the server is still running');
}

describe('redemptions', () => {
  before(() => enrol(server, 'deep-1', { points: 2000 }));

  test("the issue's body, 100,000 arrays deep (200 KB), is a 400 and the server lives on", async () => {
    const body = withDeep({ rewardId: 'r5' }, 100000);
    assert.ok(body.length > 200000 && body.length < 256 * 1024, 'under the body limit');
    assertTooDeep(await redeem(body));
    await stillServes();
    const redeemed = await redeem(JSON.stringify({ rewardId: 'r5' }));
    assert.equal(redeemed.status, 201, JSON.stringify(redeemed.body));
  });

  test('the deepest body allowed redeems; one level more is refused', async () => {
    const deepest = await redeem(withDeep({ rewardId: 'r5' }, DEEPEST));
    assert.equal(deepest.status, 201, JSON.stringify(deepest.body));
    assertTooDeep(await redeem(withDeep({ rewardId: 'r5' }, DEEPEST + 1)));
  });
});

describe('publishing a program', () => {
  const publish = (raw) => call(server, 'PUT', '/v1/admin/program', { headers: admin, raw });
  after(() => publish(JSON.stringify(program)));

  test('the deepest document allowed publishes (with a warning); one level more is refused', async () => {
    const deepest = await publish(withDeep(program, DEEPEST));
    assert.equal(deepest.status, 201, JSON.stringify(deepest.body));
    assert.ok(deepest.body.warnings.some((w) => w.path === '/deep'));
    assertTooDeep(await publish(withDeep(program, DEEPEST + 1)));
    assertTooDeep(await publish(withDeep(program, 100000)));
    await stillServes();
  });
});

describe('the order webhook', () => {
  const order = (raw) => call(server, 'POST', '/v1/orders', { headers: admin, raw });
  const event = (id) => ({
    id,
    type: 'placed',
    customerId: 'deep-buyer',
    orderId: `order-${id}`,
    amounts: { subtotal: 1000 },
  });

  test('the deepest event allowed is applied; one level more is refused', async () => {
    const deepest = await order(withDeep(event('evt-deep-1'), DEEPEST));
    assert.equal(deepest.status, 200, JSON.stringify(deepest.body));
    assert.equal(deepest.body.applied, true);
    assertTooDeep(await order(withDeep(event('evt-deep-2'), DEEPEST + 1)));
    // Inside "amounts", read by read_order_amounts: the path says where.
    const nested = JSON.stringify(event('evt-deep-3')).replace(
      '"subtotal":1000}',
      `"subtotal":1000,"x":${arrays(LIMIT)}}`,
    );
    assertTooDeep(await order(nested), '/amounts/x' + '/0'.repeat(LIMIT - 2));
    assertTooDeep(await order(withDeep(event('evt-deep-4'), 100000)));
    await stillServes();
  });
});

describe('every other body', () => {
  const huge = (fields) => withDeep(fields, 100000);
  const cases = [
    ['POST', '/v1/claims', shopper('deep-1'), { ruleId: 'ig-follow' }],
    ['POST', '/v1/referrals', admin, { code: 'X', friendEmail: 'a@b.io', orderId: 'o', amount: 1 }],
    ['POST', '/v1/referrals/friend', {}, { code: 'X', email: 'a@b.io' }],
    ['PUT', '/v1/admin/customers/deep-2', admin, { firstName: 'Deep' }],
    ['POST', '/v1/admin/customers/deep-1/adjustments', admin, { points: 5, reason: 'r' }],
    ['POST', '/v1/admin/expiry-sweep', admin, {}],
    ['POST', '/demo/session', {}, { customerId: 'deep-1' }],
    ['POST', '/demo/orders', shopper('deep-1'), { orderId: 'o', amounts: { subtotal: 1 } }],
  ];
  for (const [method, route, headers, fields] of cases) {
    test(`${method} ${route}: 100,000 levels are a 400 request.tooDeep`, async () => {
      assertTooDeep(await call(server, method, route, { headers, raw: huge(fields) }));
    });
  }
  test('the server still answers', stillServes);
});

describe('start-up files (read by the core)', () => {
  const customer = JSON.parse(readFileSync(path.join(fixtures, 'customers/c-bo.json'), 'utf8'));
  /** A directory holding one file, `name`, with `text`. */
  function folderWith(name, text) {
    const dir = mkdtempSync(path.join(tmpdir(), 'loyalty-deep-'));
    writeFileSync(path.join(dir, name), text);
    return dir;
  }

  test('the deepest seed customer allowed loads; one level more stops the server with the path', async () => {
    const deepest = folderWith('deep.json', withDeep(customer, DEEPEST));
    const refused = folderWith('deep.json', withDeep(customer, DEEPEST + 1));
    try {
      const started = await startServer({ args: ['--seed', deepest] });
      await started.stop();
      await assert.rejects(startServer({ args: ['--seed', refused] }), (error) =>
        error.message.includes(`deep.json: ${refusedAt}: nested deeper than 64 levels`),
      );
    } finally {
      rmSync(deepest, { recursive: true, force: true });
      rmSync(refused, { recursive: true, force: true });
    }
  });

  test('a --program file one level too deep stops the server with the path', async () => {
    const dir = folderWith('program.json', withDeep(program, DEEPEST + 1));
    try {
      await assert.rejects(
        startServer({ args: ['--program', path.join(dir, 'program.json')] }),
        (error) => error.message.includes(`${refusedAt}: nested deeper than 64 levels`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
