// The native CLI's view of every demo customer validates against the published view schema
// (include/loyalty/schema/v1/view.schema.json), and the schema itself rejects broken views.
//
//   node --test --test-reporter=spec tests/node/view-schema.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { demoCases } from './demo-cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cliPath = process.env.LOYALTY_CLI ?? path.join(root, 'build/dev/src/cli/loyalty');
const programsDir = process.env.LOYALTY_DEMO_PROGRAMS ?? path.join(root, 'demo/programs');
const schema = JSON.parse(
  fs.readFileSync(path.join(root, 'include/loyalty/schema/v1/view.schema.json'), 'utf8'),
);

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validateView = ajv.compile(schema);

function describeErrors(errors) {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('\n');
}

function runView({ program, customer, context }) {
  return execFileSync(
    cliPath,
    ['view', '--program', program, '--customer', customer, '--context', context],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
}

describe('view schema', () => {
  const cases = demoCases(programsDir);

  test('there are demo customers to check', () => {
    assert.ok(cases.length > 0, `no demo/programs/*/customers/*.json under ${programsDir}`);
  });

  for (const demo of cases) {
    test(`${demo.name}: the CLI view is valid`, () => {
      const envelope = JSON.parse(runView(demo));
      assert.equal(envelope.ok, true, JSON.stringify(envelope.errors));
      assert.ok(Array.isArray(envelope.warnings));
      const valid = validateView(envelope.view);
      assert.ok(valid, describeErrors(validateView.errors));
    });
  }

  test('the schema rejects a view that breaks the contract', () => {
    const demo = cases[0];
    if (!demo) return;
    const view = JSON.parse(runView(demo)).view;
    const broken = structuredClone(view);
    broken.rewards.push({ ...broken.rewards[0], state: 'maybe' });
    assert.equal(validateView(broken), false);
    const fraction = structuredClone(view);
    fraction.shop.currencyDigits = 2.5;
    assert.equal(validateView(fraction), false);
    const extra = structuredClone(view);
    extra.surprise = true;
    assert.equal(validateView(extra), false);
    const badParam = structuredClone(view);
    badParam.affordableRewardIds = [1];
    assert.equal(validateView(badParam), false);
  });
});
