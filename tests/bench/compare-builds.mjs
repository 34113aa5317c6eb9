// Two builds of web/ side by side, as cold-load.mjs measures them: the storefront with the
// one-tag embed served from build A and from build B, interleaved run by run in fresh Chromiums,
// so that a change's effect is measured against the same machine load. Prints the medians.
//
//   node web/build.mjs --out /tmp/web-before   (on the old commit; needs build/wasm)
//   node web/build.mjs                          (on the new one)
//   node tests/bench/compare-builds.mjs /tmp/web-before build/web [--runs 11] [--cpu-throttle 1]
//                                       [--variants loader,loader]
//
// --variants picks each side's storefront (tests/bench/web-perf/pages.mjs: loader, cdn, cdn-csp),
// so one build can also be compared with itself embedded two ways.
// The harness starts its targets in a fixed order within each round, and the second one has
// measured a few percent slower on this machine: run it again with the builds swapped before
// trusting a small difference.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchServer } from './web-perf/pages.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const [before, after] = process.argv.slice(2, 4).map((dir) => resolve(dir ?? ''));
const runs = argument('--runs', '11');
const throttle = argument('--cpu-throttle', '1');
const variants = argument('--variants', 'loader,loader').split(',');
const harness = resolve(
  argument('--measure', join(repo, '../shared/tools/widget-measure/measure.mjs')),
);
for (const dir of [before, after]) {
  if (!existsSync(join(dir, 'loyalty-launcher.js'))) {
    console.error(`compare-builds: ${dir} is not a build of web/ (no loyalty-launcher.js)`);
    process.exit(2);
  }
}

const FIGURES = [
  'button_visible_ms',
  'script_ms_load',
  'task_ms_load',
  'long_tasks_load',
  'tbt_ms_load',
  'click_to_panel_visible_ms',
  'task_ms_click',
  'long_tasks_click',
  'tbt_ms_click',
  'heap_used_kb_gc',
  'dom_nodes_open',
];

const servers = [
  await startBenchServer({ webRoot: before }),
  await startBenchServer({ webRoot: after }),
];
let text = '';
try {
  const args = [harness, '--runs', runs, '--cpu-throttle', throttle, '--quiet'];
  for (const [label, server, variant] of [
    ['before', servers[0], variants[0]],
    ['after', servers[1], variants[1] ?? variants[0]],
  ]) {
    args.push(
      '--target',
      `${label}|${server.origin}/bench/page.html?variant=${variant}` +
        '|loyalty-launcher >>> [part~=launcher]|loyalty-launcher >>> [part~=balance]',
    );
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (chunk) => {
    text += chunk;
  });
  await new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
} finally {
  for (const server of servers) await server.close();
}

const result = JSON.parse(text);
const median = (label, figure) =>
  result.targets.find((target) => target.label === label)?.summary[figure]?.median;
const cell = (value) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
console.log(`medians of ${runs} cold loads per build at ${throttle}x CPU, interleaved`);
console.log(`| figure | before | after | change |\n|---|---|---|---|`);
for (const figure of FIGURES) {
  const [was, now] = [median('before', figure), median('after', figure)];
  console.log(`| ${figure} | ${cell(was)} | ${cell(now)} | ${cell(now - was)} |`);
}
const failed = result.targets.reduce((sum, target) => sum + (target.errors?.length ?? 0), 0);
if (failed) console.log(`failed runs: ${failed}`);
