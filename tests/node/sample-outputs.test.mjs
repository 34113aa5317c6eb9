// Every demo program's results stay what they were before issue 11's rule options: the native
// CLI's replay of each demo customer (balance, lots, tier, activity, warnings) equals the copy
// recorded in tests/node/golden/ by the CLI of commit be5669d. New options default to the old
// behaviour, so a difference here is a changed result, not a new feature.
//
//   node --test tests/node/sample-outputs.test.mjs
//   LOYALTY_RECORD_GOLDEN=1 node tests/node/sample-outputs.test.mjs   (re-record, on purpose)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { demoCases } from './demo-cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cliPath = process.env.LOYALTY_CLI ?? path.join(root, 'build/dev/src/cli/loyalty');
const goldenDir = path.join(root, 'tests/node/golden');
const record = process.env.LOYALTY_RECORD_GOLDEN === '1';

const goldenFile = (name) =>
  path.join(goldenDir, `${name.replace(/ × /, '--').replace(/\.json$/, '')}.replay.json`);

function replay({ program, customer, context }) {
  const text = execFileSync(
    cliPath,
    ['replay', '--program', program, '--customer', customer, '--context', context],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(text);
}

const cases = demoCases(path.join(root, 'demo/programs'));

test('there are recorded outputs for the demo customers', () => {
  assert.ok(cases.length >= 4);
});

for (const demo of cases) {
  test(`${demo.name}: the replay is unchanged`, () => {
    const output = replay(demo);
    assert.equal(output.ok, true);
    if (record) {
      fs.mkdirSync(goldenDir, { recursive: true });
      fs.writeFileSync(goldenFile(demo.name), `${JSON.stringify(output, null, 1)}\n`);
      return;
    }
    assert.deepEqual(output, JSON.parse(fs.readFileSync(goldenFile(demo.name), 'utf8')));
  });
}
