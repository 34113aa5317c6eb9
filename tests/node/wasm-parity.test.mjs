// The shipped WebAssembly module (build/wasm/src/wasm/loyalty-core.{js,wasm}) under node:
// byte-for-byte parity with the native CLI (view, earn, redeem, validate) on every demo program
// and customer, error envelopes instead of throws, a refused oversized payload, bounded memory
// over many calls, and the export audit.
//
//   node --test --test-reporter=spec tests/node/wasm-parity.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { demoCases } from './demo-cases.mjs';
import { contextTimeZone } from '../../web/src/panel/time-zone.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasmDir = process.env.LOYALTY_WASM_DIR ?? path.join(root, 'build/wasm/src/wasm');
const cliPath = process.env.LOYALTY_CLI ?? path.join(root, 'build/dev/src/cli/loyalty');
const programsDir = process.env.LOYALTY_PROGRAMS_DIR ?? path.join(root, 'demo/programs');

/** Loads the ES module the browser loads; node needs the wasm bytes handed in (TOOLCHAIN.md). */
async function createCore() {
  const { default: createLoyaltyCore } = await import(
    pathToFileURL(path.join(wasmDir, 'loyalty-core.js')).href
  );
  return createLoyaltyCore({
    wasmBinary: fs.readFileSync(path.join(wasmDir, 'loyalty-core.wasm')),
  });
}

/** stdout of the native CLI: the envelope and a newline. */
function nativeCli(...args) {
  return execFileSync(cliPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The CLI's envelope whether it says ok (stdout, exit 0) or not (stderr, exit 1). */
function nativeEnvelope(...args) {
  const run = spawnSync(cliPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.ok(run.status === 0 || run.status === 1, `loyalty ${args[0]} exited ${run.status}`);
  return run.status === 0 ? run.stdout : run.stderr;
}

/** Byte-for-byte equality that, on a mismatch, shows where the texts part instead of both. */
function assertSameText(actual, expected, label) {
  if (actual === expected) return;
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at += 1;
  const around = (text) => JSON.stringify(text.slice(Math.max(0, at - 120), at + 120));
  assert.fail(
    `${label}: first difference at character ${at} (lengths ${actual.length} and ${expected.length})\n` +
      `  wasm:   ${around(actual)}\n  native: ${around(expected)}`,
  );
}

/** Checks the error envelope: ok false, and every error names its document, a JSON Pointer and a message. */
function assertRefused(text, source) {
  const envelope = JSON.parse(text);
  assert.equal(envelope.ok, false, text.slice(0, 300));
  assert.ok(Array.isArray(envelope.errors) && envelope.errors.length > 0, text.slice(0, 300));
  for (const error of envelope.errors) {
    assert.equal(typeof error.source, 'string');
    assert.equal(typeof error.path, 'string');
    assert.ok(error.path === '' || error.path.startsWith('/'), `not a JSON Pointer: ${error.path}`);
    assert.equal(typeof error.message, 'string');
    assert.ok(error.message.length > 0);
  }
  if (source)
    assert.ok(
      envelope.errors.some((error) => error.source === source),
      text.slice(0, 300),
    );
  return envelope;
}

const cases = demoCases(programsDir);
const readText = (file) => fs.readFileSync(file, 'utf8');
const documentTexts = (demo) => [demo.program, demo.customer, demo.context].map(readText);
const documentArgs = (demo) => [
  '--program',
  demo.program,
  '--customer',
  demo.customer,
  '--context',
  demo.context,
];
const firstCase = () => ({
  program: readText(cases[0].program),
  customer: readText(cases[0].customer),
  context: readText(cases[0].context),
});

let core;
before(async () => {
  core = await createCore();
});

describe('wasm output equals the native CLI byte for byte', () => {
  test('there are demo cases to compare', () => {
    assert.ok(cases.length >= 3, `only ${cases.length} demo cases in ${programsDir}`);
  });
  for (const demo of cases) {
    test(demo.name, () => {
      const native = nativeCli('view', ...documentArgs(demo));
      const wasm = core.viewJson(...documentTexts(demo));
      assert.equal(JSON.parse(wasm).ok, true, wasm.slice(0, 500));
      assertSameText(`${wasm}\n`, native, 'view');
    });
  }
  // An order event and a redemption of the first fixed-cost reward, for every case.
  const requestsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-wasm-parity-'));
  const eventFile = path.join(requestsDir, 'event.json');
  fs.writeFileSync(
    eventFile,
    JSON.stringify({
      type: 'order',
      amounts: { subtotal: 12345, discount: 1000, shipping: 500, tax: 800 },
    }),
  );
  for (const demo of cases) {
    test(`earn and redeem ${demo.name}`, () => {
      const [program, customer, context] = documentTexts(demo);
      const reward = (JSON.parse(program).rewards ?? []).find((r) => Number.isInteger(r.cost));
      const requestFile = path.join(requestsDir, 'request.json');
      fs.writeFileSync(
        requestFile,
        JSON.stringify({ rewardId: reward?.id ?? 'none', orderTotal: 100000 }),
      );
      assertSameText(
        `${core.earnJson(program, customer, context, readText(eventFile))}\n`,
        nativeEnvelope('earn', ...documentArgs(demo), '--event', eventFile),
        'earn',
      );
      assertSameText(
        `${core.redeemJson(program, customer, context, readText(requestFile))}\n`,
        nativeEnvelope('redeem', ...documentArgs(demo), '--request', requestFile),
        'redeem',
      );
    });
  }
  after(() => fs.rmSync(requestsDir, { recursive: true, force: true }));
  // The same programs in zones with daylight saving: the browser's offsets (Intl, as the launcher
  // builds them) and the CLI's (the system's tzdata) must give the same views.
  const zonesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-wasm-zones-'));
  for (const zone of ['America/Los_Angeles', 'Australia/Sydney']) {
    for (const demo of cases) {
      test(`${demo.name} in ${zone}`, () => {
        const [programText, customerText, contextText] = documentTexts(demo);
        const program = { ...JSON.parse(programText), timeZone: zone };
        const context = JSON.parse(contextText);
        const programFile = path.join(zonesDir, 'program.json');
        fs.writeFileSync(programFile, JSON.stringify(program));
        const args = ['--program', programFile, '--customer', demo.customer];
        const native = nativeCli('view', ...args, '--context', demo.context);
        const zoned = {
          ...context,
          timeZone: contextTimeZone(program, JSON.parse(customerText), Date.parse(context.now)),
        };
        const wasm = core.viewJson(JSON.stringify(program), customerText, JSON.stringify(zoned));
        const envelope = JSON.parse(wasm);
        assert.equal(envelope.ok, true, wasm.slice(0, 500));
        assert.ok(!envelope.warnings.some((w) => w.path === '/timeZone'), wasm.slice(0, 500));
        assertSameText(`${wasm}\n`, native, 'view');
      });
    }
  }
  after(() => fs.rmSync(zonesDir, { recursive: true, force: true }));

  for (const program of [...new Set(cases.map((demo) => demo.program))]) {
    test(`validate ${path.relative(programsDir, program)}`, () => {
      const wasm = core.validateProgramJson(readText(program));
      assertSameText(`${wasm}\n`, nativeCli('validate', '--program', program), 'validate');
    });
  }
});

describe('bad input comes back as {"ok": false, "errors": [...]} and never throws', () => {
  const malformed = [
    '',
    '{',
    '{"version": 1,}',
    'null',
    '[1, 2',
    '\u00ff\u00fe',
    '{"a": 1} trailing',
  ];
  for (const text of malformed) {
    test(`malformed program ${JSON.stringify(text)}`, () => {
      const { customer, context } = firstCase();
      assertRefused(core.viewJson(text, customer, context), 'program');
      assertRefused(core.validateProgramJson(text), 'program');
    });
  }

  test('malformed customer and context name their document', () => {
    const { program, customer, context } = firstCase();
    assertRefused(core.viewJson(program, '{"version": 1, "ledger": [', context), 'customer');
    assertRefused(core.validateCustomerJson('{"version": 1, "ledger": ['), 'customer');
    assertRefused(core.viewJson(program, customer, 'not json'), 'context');
  });

  test('wrong types are located by JSON Pointer', () => {
    const { program, customer, context } = firstCase();
    const programWith = (patch) => JSON.stringify({ ...JSON.parse(program), ...patch });
    const customerWith = (patch) => JSON.stringify({ ...JSON.parse(customer), ...patch });
    const contextWith = (patch) => JSON.stringify({ ...JSON.parse(context), ...patch });
    const paths = (text) => assertRefused(text).errors.map((error) => error.path);

    assert.ok(paths(core.validateProgramJson(programWith({ currency: 5 }))).includes('/currency'));
    assert.ok(
      paths(core.validateProgramJson(programWith({ earning: 'lots' }))).includes('/earning'),
    );
    assert.ok(paths(core.validateProgramJson(programWith({ version: 2 }))).includes('/version'));
    assert.ok(paths(core.validateCustomerJson(customerWith({ ledger: {} }))).includes('/ledger'));
    assert.ok(paths(core.viewJson(program, customer, contextWith({ now: 12 }))).includes('/now'));
    assert.ok(
      paths(
        core.viewJson(programWith({ rewards: [{ id: 'x', cost: 1.5 }] }), customer, context),
      ).some((at) => at.startsWith('/rewards/0')),
    );
  });

  test('earnJson and redeemJson refuse bad requests the same way', () => {
    const { program, customer, context } = firstCase();
    assertRefused(core.earnJson(program, customer, context, '{"type": "order", "amounts": '));
    assertRefused(core.earnJson(program, customer, context, '{"type": 7}'));
    assertRefused(core.redeemJson(program, customer, context, '[]'));
    assertRefused(core.redeemJson('{', customer, context, '{"rewardId": "r5"}'), 'program');
  });

  test('deep nesting is refused, not a stack overflow', () => {
    const { customer, context } = firstCase();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assertRefused(core.viewJson(deep, customer, context), 'program');
    assertRefused(core.validateProgramJson(`{"version": 1, "x": ${deep}}`), 'program');
  });
});

describe('a 5 MB payload is refused cleanly', () => {
  const fiveMegabytes = 5 * 1024 * 1024;
  // Refused before parsing: one error at the document's root that gives its size.
  const assertTooLarge = (text, source) => {
    const { errors } = assertRefused(text, source);
    assert.ok(
      errors.some(
        (error) => error.source === source && error.path === '' && /bytes/.test(error.message),
      ),
      JSON.stringify(errors),
    );
  };

  test('a program padded to 5 MB', () => {
    const { program, customer, context } = firstCase();
    const padded = JSON.stringify({
      ...JSON.parse(program),
      description: 'x'.repeat(fiveMegabytes),
    });
    assertTooLarge(core.viewJson(padded, customer, context), 'program');
    assertTooLarge(core.validateProgramJson(padded), 'program');
  });

  test('a customer with a 5 MB ledger', () => {
    const { program, customer, context } = firstCase();
    const entry = (i) => ({
      id: `e${i}`,
      type: 'adjust',
      at: '2025-03-02T12:00:00Z',
      points: 1,
      reason: 'bulk',
    });
    const ledger = [];
    let size = 0;
    for (let i = 0; size < fiveMegabytes; i += 1) {
      ledger.push(entry(i));
      size += JSON.stringify(entry(i)).length + 1;
    }
    const big = JSON.stringify({ ...JSON.parse(customer), ledger });
    assert.ok(big.length > fiveMegabytes);
    assertTooLarge(core.viewJson(program, big, context), 'customer');
  });

  test('the module still answers afterwards', () => {
    const { program, customer, context } = firstCase();
    assert.equal(JSON.parse(core.viewJson(program, customer, context)).ok, true);
    // Embind copies the text into linear memory before the core can refuse it, and linear
    // memory never shrinks: a page should refuse such input before calling the core.
    console.log(`memory after the 5 MB calls: ${core.HEAP8.buffer.byteLength} bytes`);
  });
});

describe('the text API of web/src/core.js (buffered calls) answers as the string functions do', () => {
  let text;
  before(async () => {
    const { textCore } = await import(pathToFileURL(path.join(root, 'web/src/core.js')).href);
    text = textCore(core);
  });

  test('every demo case, interleaved so the kept buffers are checked', () => {
    for (let round = 0; round < 2; round += 1) {
      for (const demo of cases) {
        const texts = documentTexts(demo);
        assert.equal(text.viewJson(...texts), core.viewJson(...texts), demo.name);
        assert.equal(text.validateProgramJson(texts[0]), core.validateProgramJson(texts[0]));
        assert.equal(text.validateCustomerJson(texts[1]), core.validateCustomerJson(texts[1]));
        const event = '{"type": "order", "amounts": {"subtotal": 12345}}';
        assert.equal(text.earnJson(...texts, event), core.earnJson(...texts, event));
        const request = '{"rewardId": "none"}';
        assert.equal(text.redeemJson(...texts, request), core.redeemJson(...texts, request));
      }
    }
  });

  test('non-ASCII text, a malformed document and an over-long text', () => {
    const [program, customer, context] = documentTexts(cases[0]);
    const named = JSON.stringify({ ...JSON.parse(customer), firstName: 'Zoë 馬克杯 🎉 "q" \\' });
    assert.equal(text.viewJson(program, named, context), core.viewJson(program, named, context));
    assert.match(text.viewJson(program, named, context), /Zoë 馬克杯 🎉/);
    assert.equal(text.viewJson(program, '{', context), core.viewJson(program, '{', context));
    const long = `{"version": 1, "pad": "${'x'.repeat(1_100_000)}"}`;
    assert.equal(text.validateProgramJson(long), core.validateProgramJson(long));
    assert.equal(text.viewJson(program, named, context), core.viewJson(program, named, context));
  });

  test('an unknown operation is an error envelope, not a throw', () => {
    const answer = JSON.parse(
      new TextDecoder().decode(core.callBuffered('noSuchOperation', 0, 0, 0, 0)),
    );
    assert.equal(answer.ok, false);
    assert.equal(answer.errors[0].source, 'call');
    assert.equal(core.inputBuffer(7, 10), null);
  });
});

describe('memory stays bounded over 1,000 consecutive calls', () => {
  // Linear memory only grows; a leak of even 100 bytes per call would add pages here.
  const growthBound = 256 * 1024;
  let fresh;
  before(async () => {
    fresh = await createCore();
  });

  test('viewJson × 1,000 on the largest demo customer, plus refused calls', () => {
    const largest = cases.reduce((a, b) =>
      fs.statSync(a.customer).size >= fs.statSync(b.customer).size ? a : b,
    );
    const program = readText(largest.program);
    const customer = readText(largest.customer);
    const context = readText(largest.context);
    const expected = fresh.viewJson(program, customer, context);
    for (let i = 0; i < 10; i += 1) fresh.viewJson(program, customer, context);
    const warmBytes = fresh.HEAP8.buffer.byteLength;
    for (let i = 0; i < 1000; i += 1) {
      const view = fresh.viewJson(program, customer, context);
      if (view !== expected) assert.fail(`call ${i} answered differently`);
      fresh.viewJson('{', customer, context);
    }
    const afterBytes = fresh.HEAP8.buffer.byteLength;
    console.log(
      `memory: ${warmBytes} bytes after warm-up, ${afterBytes} after 1,000 calls (+${afterBytes - warmBytes}), bound +${growthBound}`,
    );
    assert.ok(afterBytes - warmBytes <= growthBound);
  });
});

describe('export audit', () => {
  test('the module exposes the seven bound functions and only Embind runtime besides', () => {
    const bound = [
      'viewJson',
      'validateProgramJson',
      'validateCustomerJson',
      'earnJson',
      'redeemJson',
      'inputBuffer',
      'callBuffered',
    ];
    // What Embind and the runtime put on Module at this Emscripten version (3.1.6).
    const runtime = [
      'BindingError',
      'InternalError',
      'UnboundTypeError',
      'count_emval_handles',
      'get_first_emval',
      'run',
      '___wasm_call_ctors',
      '_malloc',
      '_free',
      '___getTypeName',
      '___embind_register_native_and_builtin_types',
    ];
    const functions = Object.keys(core).filter((key) => typeof core[key] === 'function');
    assert.deepEqual(functions.sort(), [...bound, ...runtime].sort());
  });

  test('the glue runs under a strict CSP: no eval, no new Function', () => {
    const glue = fs.readFileSync(path.join(wasmDir, 'loyalty-core.js'), 'utf8');
    assert.doesNotMatch(glue, /\beval\s*\(|new\s+Function\b/);
  });

  test('the wasm exports memory, its table and five functions', () => {
    const module = new WebAssembly.Module(fs.readFileSync(path.join(wasmDir, 'loyalty-core.wasm')));
    const kinds = WebAssembly.Module.exports(module).map((entry) => entry.kind);
    assert.deepEqual(kinds.filter((kind) => kind !== 'function').sort(), ['memory', 'table']);
    assert.equal(kinds.filter((kind) => kind === 'function').length, 5);
    const imports = WebAssembly.Module.imports(module);
    console.log(`wasm imports: ${imports.length} functions`);
    assert.ok(imports.every((entry) => entry.kind === 'function'));
  });
});
