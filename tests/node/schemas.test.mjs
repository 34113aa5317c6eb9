// Every sample program, customer and context under demo/programs validates against the published
// JSON Schemas (include/loyalty/schema/v1/{program,customer,context}.schema.json), and the schemas
// reject documents the core rejects.
//
//   node --test --test-reporter=spec tests/node/schemas.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schemaDir = path.join(root, 'include/loyalty/schema/v1');
const programsDir = path.join(root, 'demo/programs');

// strictRequired is off: the conditional requirements (if/then: "order rules need per") name
// properties declared by the enclosing schema, which that check cannot see.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const validators = Object.fromEntries(
  ['program', 'customer', 'context'].map((kind) => [
    kind,
    ajv.compile(readJson(path.join(schemaDir, `${kind}.schema.json`))),
  ]),
);

function check(kind, document) {
  const validate = validators[kind];
  const ok = validate(document);
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  return { ok, errors };
}

function assertValid(kind, document, label) {
  const { ok, errors } = check(kind, document);
  assert.ok(ok, `${label} should be a valid ${kind}:\n${errors.join('\n')}`);
}

function assertInvalid(kind, document, instancePath, label) {
  const validate = validators[kind];
  assert.equal(validate(document), false, `${label} should be rejected`);
  const paths = validate.errors.map((e) => e.instancePath);
  assert.ok(
    paths.includes(instancePath),
    `${label}: expected an error at ${instancePath}, got ${JSON.stringify(paths)}`,
  );
}

/** A deep copy of `document` with the value at a JSON Pointer replaced (undefined deletes). */
function withValue(document, pointer, value) {
  const copy = structuredClone(document);
  const keys = pointer
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key];
  const last = keys.at(-1);
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

const samples = fs
  .readdirSync(programsDir)
  .filter((name) => fs.statSync(path.join(programsDir, name)).isDirectory())
  .sort();

describe('demo samples validate against the schemas', () => {
  test('there are four sample programs', () => {
    assert.deepEqual(samples, ['beauty', 'coffee', 'full', 'minimal']);
  });
  for (const sample of samples) {
    const dir = path.join(programsDir, sample);
    test(`${sample}/program.json`, () => {
      assertValid('program', readJson(path.join(dir, 'program.json')), `${sample}/program.json`);
    });
    test(`${sample}/context.json`, () => {
      assertValid('context', readJson(path.join(dir, 'context.json')), `${sample}/context.json`);
    });
    const customers = fs
      .readdirSync(path.join(dir, 'customers'))
      .filter((f) => f.endsWith('.json'));
    test(`${sample} has the five personas`, () => {
      assert.deepEqual(customers.sort(), [
        'expiring.json',
        'guest.json',
        'near-reward.json',
        'new-member.json',
        'vip.json',
      ]);
    });
    for (const file of customers) {
      test(`${sample}/customers/${file}`, () => {
        assertValid('customer', readJson(path.join(dir, 'customers', file)), file);
      });
    }
  }
});

describe('the program schema rejects bad programs', () => {
  const full = readJson(path.join(programsDir, 'full/program.json'));
  const rewardIndex = full.rewards.findIndex((r) => r.id === 'r5');
  const orderIndex = full.earning.findIndex((r) => r.type === 'order');
  const socialIndex = full.earning.findIndex((r) => r.type === 'social_follow');

  test('a fractional, zero or string reward cost', () => {
    for (const cost of [1.5, 0, '500', -5]) {
      assertInvalid(
        'program',
        withValue(full, `/rewards/${rewardIndex}/cost`, cost),
        `/rewards/${rewardIndex}/cost`,
        `cost ${JSON.stringify(cost)}`,
      );
    }
  });
  test('a number beyond 2^53 - 1', () => {
    assertInvalid(
      'program',
      withValue(full, `/rewards/${rewardIndex}/cost`, 2 ** 53),
      `/rewards/${rewardIndex}/cost`,
      'cost 2^53',
    );
  });
  test('a reward with neither cost nor incremental, or both', () => {
    const noCost = withValue(full, `/rewards/${rewardIndex}/cost`, undefined);
    assert.equal(check('program', noCost).ok, false);
    const both = withValue(full, `/rewards/${rewardIndex}/incremental`, {
      pointsPerStep: 100,
      amountPerStep: 100,
    });
    assert.equal(check('program', both).ok, false);
  });
  test('a percent outside 1..100', () => {
    const index = full.rewards.findIndex((r) => r.type === 'percent_off');
    const program =
      index >= 0
        ? full
        : withValue(full, '/rewards/0', {
            id: 'p',
            type: 'percent_off',
            percent: 10,
            cost: 100,
          });
    const at = index >= 0 ? index : 0;
    assertInvalid(
      'program',
      withValue(program, `/rewards/${at}/percent`, 101),
      `/rewards/${at}/percent`,
      'percent 101',
    );
  });
  test('an order rule without per, a social rule without platform', () => {
    assertInvalid(
      'program',
      withValue(full, `/earning/${orderIndex}/per`, undefined),
      `/earning/${orderIndex}`,
      'no per',
    );
    assertInvalid(
      'program',
      withValue(full, `/earning/${socialIndex}/platform`, undefined),
      `/earning/${socialIndex}`,
      'no platform',
    );
  });
  test('a lowercase currency, a bad accent, a non-http landing URL', () => {
    assertInvalid('program', withValue(full, '/currency', 'usd'), '/currency', 'currency');
    assertInvalid(
      'program',
      withValue(full, '/branding/accent', 'red'),
      '/branding/accent',
      'accent',
    );
    assertInvalid(
      'program',
      withValue(full, '/referral/landingUrl', 'javascript:alert(1)'),
      '/referral/landingUrl',
      'landing URL',
    );
  });
  test('an instant without an offset, a multiplier below 1', () => {
    assertInvalid(
      'program',
      withValue(full, '/promotions/0/starts', '2026-11-20T00:00:00'),
      '/promotions/0/starts',
      'starts',
    );
    assertInvalid(
      'program',
      withValue(full, '/tiers/levels/1/multiplier', 0.5),
      '/tiers/levels/1/multiplier',
      'multiplier',
    );
  });
  test('an unsupported version', () => {
    assertInvalid('program', withValue(full, '/version', 2), '/version', 'version 2');
  });
  test('unknown fields are allowed (the core only warns)', () => {
    assertValid('program', withValue(full, '/futureField', { any: 1 }), 'future field');
  });
});

describe('the customer and context schemas reject bad documents', () => {
  const near = readJson(path.join(programsDir, 'full/customers/near-reward.json'));
  const context = readJson(path.join(programsDir, 'full/context.json'));

  test('a bad status or id', () => {
    assertInvalid('customer', withValue(near, '/status', 'visitor'), '/status', 'status');
    assertInvalid('customer', withValue(near, '/id', 'bad id!'), '/id', 'id');
    assert.equal(check('customer', withValue(near, '/id', undefined)).ok, false);
    assertValid('customer', { version: 1, status: 'guest' }, 'guest without id');
  });
  test('ledger entries missing their type-specific fields', () => {
    const redeem = near.ledger.findIndex((e) => e.type === 'redeem');
    assertInvalid(
      'customer',
      withValue(near, `/ledger/${redeem}/code`, undefined),
      `/ledger/${redeem}`,
      'redeem without code',
    );
    assertInvalid(
      'customer',
      withValue(near, `/ledger/${redeem}/points`, 0),
      `/ledger/${redeem}/points`,
      'redeem of 0 points',
    );
    assertInvalid(
      'customer',
      withValue(near, '/ledger/0/at', '2026-01-01T00:00:00'),
      '/ledger/0/at',
      'entry time without offset',
    );
    assertInvalid(
      'customer',
      withValue(near, '/ledger/0/id', undefined),
      '/ledger/0',
      'entry without id',
    );
    assertInvalid(
      'customer',
      withValue(near, '/ledger/0/recordedAt', '2026-01-01T00:00:00'),
      '/ledger/0/recordedAt',
      'recording time without offset',
    );
    assertValid(
      'customer',
      withValue(near, '/ledger/0/recordedAt', '2099-01-01T00:00:00Z'),
      'entry with its recording time',
    );
  });
  test("a summary's pending points: positive, with their order and instant", () => {
    const summary = { balance: 100, pending: 50 };
    const held = { orderId: 'o-1', points: 50, availableAt: '2026-12-07T10:00:00Z' };
    assertValid(
      'customer',
      withValue(near, '/summary', { ...summary, pendingPoints: [held] }),
      'summary with pending points',
    );
    assertInvalid(
      'customer',
      withValue(near, '/summary', { ...summary, pending: -1 }),
      '/summary/pending',
      'negative pending',
    );
    assertInvalid(
      'customer',
      withValue(near, '/summary', { ...summary, pendingPoints: [{ ...held, points: 0 }] }),
      '/summary/pendingPoints/0/points',
      'pending lot of 0 points',
    );
    assertInvalid(
      'customer',
      withValue(near, '/summary', {
        ...summary,
        pendingPoints: [{ ...held, availableAt: 'soon' }],
      }),
      '/summary/pendingPoints/0/availableAt',
      'pending lot without an instant',
    );
  });
  test('a birthday month of 13', () => {
    assertInvalid(
      'customer',
      withValue(near, '/birthday', { month: 13, day: 1 }),
      '/birthday/month',
      'month 13',
    );
  });
  test('a context without now, with a local time, or a fractional cart amount', () => {
    assertInvalid('context', withValue(context, '/now', undefined), '', 'no now');
    assertInvalid(
      'context',
      withValue(context, '/now', '2026-11-23T10:00:00'),
      '/now',
      'local now',
    );
    assertInvalid(
      'context',
      withValue(context, '/cart/amounts/subtotal', 10.5),
      '/cart/amounts/subtotal',
      'fractional subtotal',
    );
    assertInvalid('context', withValue(context, '/locale', 'en_US'), '/locale', 'locale');
  });
  test("a time zone's offsets: valid, then a bad name, offset and change", () => {
    const zone = {
      name: 'America/Los_Angeles',
      offset: '-08:00',
      changes: [{ at: '2025-03-09T10:00:00Z', offset: '-07:00' }],
    };
    assertValid('context', withValue(context, '/timeZone', zone), 'zone offsets');
    const zoned = withValue(context, '/timeZone', zone);
    assertInvalid(
      'context',
      withValue(zoned, '/timeZone/name', '../etc'),
      '/timeZone/name',
      'name',
    );
    assertInvalid(
      'context',
      withValue(zoned, '/timeZone/offset', '+15:00'),
      '/timeZone/offset',
      'offset',
    );
    assertInvalid(
      'context',
      withValue(zoned, '/timeZone/changes/0/at', '2025-03-09T10:00:00'),
      '/timeZone/changes/0/at',
      'local change',
    );
  });
});
