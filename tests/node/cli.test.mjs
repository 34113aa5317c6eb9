// The `loyalty` command line: exit statuses, where the JSON goes, stdin, --pretty and --help.
//
//   node --test --test-reporter=spec tests/node/cli.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cliPath = process.env.LOYALTY_CLI ?? path.join(root, 'build/dev/src/cli/loyalty');
const programsDir = process.env.LOYALTY_DEMO_PROGRAMS ?? path.join(root, 'demo/programs');

function run(args, input) {
  return spawnSync(cliPath, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
}

/** The first demo program that has customers: its files, and one member customer. */
function firstDemo() {
  for (const name of fs.readdirSync(programsDir).sort()) {
    const dir = path.join(programsDir, name);
    const customersDir = path.join(dir, 'customers');
    if (!fs.existsSync(customersDir)) continue;
    const customers = fs.readdirSync(customersDir).filter((f) => f.endsWith('.json'));
    const member = customers.find((f) => !f.startsWith('guest')) ?? customers[0];
    if (!member) continue;
    return {
      program: path.join(dir, 'program.json'),
      customer: path.join(customersDir, member),
      context: path.join(dir, 'context.json'),
    };
  }
  throw new Error(`no demo program with customers under ${programsDir}`);
}

describe('loyalty CLI', () => {
  const demo = firstDemo();
  const files = ['--program', demo.program, '--customer', demo.customer, '--context', demo.context];

  test('--help prints the usage and exits 0', () => {
    const result = run(['--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /loyalty view\s+--program FILE --customer FILE --context FILE/);
  });

  test('view prints the envelope on stdout and exits 0', () => {
    const result = run(['view', ...files]);
    assert.equal(result.status, 0, result.stderr);
    const envelope = JSON.parse(result.stdout);
    assert.equal(envelope.ok, true);
    assert.equal(envelope.view.version, 1);
    assert.equal(result.stdout.trim().includes('\n'), false, 'compact unless --pretty');
  });

  test('--pretty indents the same JSON', () => {
    const compact = JSON.parse(run(['view', ...files]).stdout);
    const pretty = run(['view', ...files, '--pretty']);
    assert.equal(pretty.status, 0);
    assert.match(pretty.stdout, /\n {2}"ok": true/);
    assert.deepEqual(JSON.parse(pretty.stdout), compact);
  });

  test('"-" reads a document from stdin', () => {
    const fromFile = run(['view', ...files]).stdout;
    const fromStdin = run(
      ['view', '--program', demo.program, '--customer', '-', '--context', demo.context],
      fs.readFileSync(demo.customer, 'utf8'),
    );
    assert.equal(fromStdin.status, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, fromFile);
  });

  test('invalid input exits 1 with the JSON errors on stderr', () => {
    const result = run(
      ['view', '--program', demo.program, '--customer', '-', '--context', demo.context],
      '{"version": 1, "ledger": 5',
    );
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    const envelope = JSON.parse(result.stderr);
    assert.equal(envelope.ok, false);
    assert.equal(envelope.errors[0].source, 'customer');
    assert.equal(envelope.errors[0].path, '');
  });

  test('a missing file exits 1 and names it', () => {
    const result = run(['validate', '--program', '/nonexistent/program.json']);
    assert.equal(result.status, 1);
    const envelope = JSON.parse(result.stderr);
    assert.match(envelope.errors[0].message, /nonexistent\/program\.json/);
  });

  test('validate, replay, earn and redeem answer in their envelopes', () => {
    const validate = run(['validate', '--program', demo.program]);
    assert.equal(validate.status, 0, validate.stderr);
    assert.equal(JSON.parse(validate.stdout).ok, true);
    const replay = JSON.parse(run(['replay', ...files]).stdout);
    assert.equal(typeof replay.account.balance, 'number');
    const earn = run(
      ['earn', ...files, '--event', '-'],
      '{"type": "order", "amounts": {"subtotal": 10000}}',
    );
    assert.equal(earn.status, 0, earn.stderr);
    assert.equal(typeof JSON.parse(earn.stdout).earn.total, 'number');
    const redeem = run(['redeem', ...files, '--request', '-'], '{"rewardId": "no-such-reward"}');
    assert.equal(redeem.status, 0, redeem.stderr);
    assert.equal(JSON.parse(redeem.stdout).redeem.ok, false);
  });

  test('replay shows pending order points only under a program with pendingDays', () => {
    const program = JSON.parse(fs.readFileSync(demo.program, 'utf8'));
    const rule = program.earning.find((earn) => earn.type === 'order');
    const { now } = JSON.parse(fs.readFileSync(demo.context, 'utf8'));
    const customer = {
      version: 1,
      id: 'c-pending',
      status: 'member',
      ledger: [
        {
          id: 'o1',
          type: 'order_placed',
          at: now,
          orderId: '1001',
          amounts: { subtotal: 100000 },
          points: 200,
        },
      ],
    };
    // The program comes in on stdin, the customer from a temporary file.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-cli-pending-'));
    const customerFile = path.join(dir, 'customer.json');
    fs.writeFileSync(customerFile, JSON.stringify(customer));
    const replay = () => {
      const args = ['--program', '-', '--customer', customerFile, '--context', demo.context];
      const result = run(['replay', ...args], JSON.stringify(program));
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout).account;
    };
    try {
      const plain = replay();
      assert.equal('pending' in plain, false);
      assert.equal('pendingPoints' in plain, false);
      rule.pendingDays = 14;
      const held = replay();
      assert.equal(held.balance, plain.balance - 200);
      assert.equal(held.pending, 200);
      assert.equal(held.pendingPoints.length, 1);
      assert.equal(held.pendingPoints[0].orderId, '1001');
      assert.equal(held.pendingPoints[0].points, 200);
      const days = (Date.parse(held.pendingPoints[0].availableAt) - Date.parse(now)) / 86400000;
      assert.equal(days, 14);
      const order = held.activity.find((item) => item.type === 'order_placed');
      assert.equal(order.pendingUntil, held.pendingPoints[0].availableAt);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('usage errors exit 2', () => {
    assert.equal(run([]).status, 2);
    assert.equal(run(['fly']).status, 2);
    assert.equal(run(['view', '--program', demo.program]).status, 2);
    assert.equal(run(['view', ...files, '--event', demo.context]).status, 2);
    assert.equal(run(['view', ...files, '--colour', 'blue']).status, 2);
    assert.equal(
      run(['view', '--program', '-', '--customer', '-', '--context', demo.context]).status,
      2,
    );
  });
});
