// viewJson for a member with 50 ledger entries: the shipped wasm module under node against the
// native core in-process (Google Benchmark's BM_ViewJsonText/50 in core_bench). Prints medians
// of CPU time per call and their ratio. Node 20's older V8 runs this wasm ~3x slower than
// Chromium does; the <= 2x goal is measured in Chromium by tests/bench/web-perf.mjs. Timings are
// printed, never asserted.
//
//   tests/bench/run >/dev/null   # builds build/release/tests/bench/core_bench (release preset)
//   node tests/bench/wasm-bench.mjs [--samples 31] [--calls 50]
//
// The inputs are the same documents: the program and context are read out of core_bench.cpp,
// and the customer is made by the same recipe as its customer_text(50).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { coreBenchLiteral, customerText } from './inputs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasmDir = process.env.LOYALTY_WASM_DIR ?? path.join(root, 'build/wasm/src/wasm');
const coreBench =
  process.env.LOYALTY_CORE_BENCH ?? path.join(root, 'build/release/tests/bench/core_bench');
const option = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const samples = option('--samples', 31);
const callsPerSample = option('--calls', 50);
const entries = 50;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Median CPU microseconds per call of `call`, over `samples` batches of `callsPerSample`. */
function timeCpu(call) {
  for (let i = 0; i < 200; i += 1) call(); // warm-up: tier-up of the wasm and the JS glue
  const perCall = [];
  for (let s = 0; s < samples; s += 1) {
    const before = process.cpuUsage();
    for (let i = 0; i < callsPerSample; i += 1) call();
    const used = process.cpuUsage(before);
    perCall.push((used.user + used.system) / callsPerSample);
  }
  return median(perCall);
}

async function wasmMedian(program, customer, context) {
  const { default: createLoyaltyCore } = await import(
    pathToFileURL(path.join(wasmDir, 'loyalty-core.js')).href
  );
  // The launcher's call path: web/src/core.js's text API over the module.
  const { textCore } = await import(pathToFileURL(path.join(root, 'web/src/core.js')).href);
  const core = textCore(
    await createLoyaltyCore({
      wasmBinary: fs.readFileSync(path.join(wasmDir, 'loyalty-core.wasm')),
    }),
  );
  const answer = JSON.parse(core.viewJson(program, customer, context));
  if (!answer.ok)
    throw new Error(`the benchmark inputs are refused: ${JSON.stringify(answer.errors)}`);
  // Two texts of one member, alternated: every call brings a new customer, as after an action.
  const parsed = JSON.parse(customer);
  const customers = [customer, JSON.stringify({ ...parsed, firstName: `${parsed.firstName}.` })];
  let call = 0;
  return timeCpu(() => core.viewJson(program, customers[call++ % 2], context));
}

function nativeMedian() {
  if (!fs.existsSync(coreBench)) return null;
  const output = execFileSync(
    coreBench,
    [
      `--benchmark_filter=^BM_ViewJsonText/${entries}$`,
      `--benchmark_repetitions=${samples}`,
      '--benchmark_report_aggregates_only=true',
      '--benchmark_format=json',
    ],
    { encoding: 'utf8' },
  );
  const run = JSON.parse(output).benchmarks.find((b) => b.aggregate_name === 'median');
  const toMicroseconds = { ns: 1e-3, us: 1, ms: 1e3, s: 1e6 }[run.time_unit];
  return run.cpu_time * toMicroseconds;
}

const program = coreBenchLiteral('kProgram');
const context = coreBenchLiteral('kContext');
if (!program || !context)
  throw new Error('kProgram or kContext not found in tests/bench/core_bench.cpp');
const customer = customerText(entries);

const wasm = await wasmMedian(program, customer, context);
console.log(
  `viewJson, ${entries} ledger entries (${customer.length} bytes), CPU time per call, median:`,
);
console.log(
  `  wasm (node ${process.version}, ${samples} x ${callsPerSample} calls): ${wasm.toFixed(1)} us`,
);
const native = nativeMedian();
if (native === null) {
  console.log(`  native: ${path.relative(root, coreBench)} not built (run tests/bench/run first)`);
} else {
  console.log(
    `  native (core_bench BM_ViewJsonText/${entries}, ${samples} repetitions): ${native.toFixed(1)} us`,
  );
  console.log(
    `  ratio wasm / native: ${(wasm / native).toFixed(2)}x (node ${process.versions.v8}'s V8; the <= 2x goal is for Chromium: tests/bench/web-perf.mjs)`,
  );
}
