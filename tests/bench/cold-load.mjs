// The launcher as a shopper meets it on a first visit: a cold browser for every page load
// (../shared/tools/widget-measure/measure.mjs starts a new Chromium with a new profile each run),
// the storefront with the one-tag embed, the same tag served from another origin (a CDN: on a
// page without a CSP the core runs in a blob: worker; under a strict CSP, on a first visit, the
// worker is refused and the core runs on the page's main thread) and the storefront without it,
// interleaved run by run, at desktop speed (1x) and at a mid-range phone's (4x CPU throttle).
// Prints the launcher's figures next to the page alone, what the launcher adds, and issue 12's goals. Never fails on a
// timing: it is a benchmark.
//
//   node tests/bench/cold-load.mjs [--runs 15] [--phone-runs 9] [--measure PATH] [--out FILE]
//
// The page, the fake backend (GET program and customer as the contract says) and build/web come
// from tests/bench/web-perf/pages.mjs, the same pages the warm benchmark (web-perf.mjs) loads.
// The peer column is the reference figures issue 12 gives for the WPLoyalty launcher (React 18),
// measured with the same harness on this kind of machine; it is not measured here.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { startBenchServer } from './web-perf/pages.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const webBuild = join(repo, 'build/web');

const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const desktopRuns = Number(argument('--runs', 15));
const phoneRuns = Number(argument('--phone-runs', 9));
const harness = resolve(
  argument('--measure', join(repo, '../shared/tools/widget-measure/measure.mjs')),
);
const outFile = argument('--out', '');

if (!existsSync(harness)) {
  console.error(`cold-load: the harness is not at ${harness} (give --measure PATH)`);
  process.exit(2);
}
if (!existsSync(join(webBuild, 'loyalty-core.wasm'))) {
  console.error('cold-load: build/web has no wasm core: run tests/steps/30-wasm.sh first');
  process.exit(2);
}
execFileSync(process.execPath, [join(repo, 'web/build.mjs')], { stdio: 'ignore' });

const LAUNCHER = 'loyalty-launcher >>> [part~=launcher]';
const BALANCE = 'loyalty-launcher >>> [part~=balance]';

/** One interleaved harness run of both pages; the parsed JSON. */
function measure(origin, runs, throttle) {
  const targets = [
    `ours|${origin}/bench/page.html?variant=loader|${LAUNCHER}|${BALANCE}`,
    `cdn|${origin}/bench/page.html?variant=cdn|${LAUNCHER}|${BALANCE}`,
    `cdn-csp|${origin}/bench/page.html?variant=cdn-csp|${LAUNCHER}|${BALANCE}`,
    `host|${origin}/bench/page.html?variant=none|header h1`,
  ];
  const args = [harness, '--runs', String(runs), '--cpu-throttle', String(throttle), '--quiet'];
  for (const target of targets) args.push('--target', target);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      try {
        const result = JSON.parse(text);
        if (code !== 0)
          console.error(`cold-load: some runs failed at ${throttle}x:`, result.errors);
        done(result);
      } catch {
        fail(new Error(`the harness exited ${code} without JSON`));
      }
    });
  });
}

/** Brotli bytes (quality 11, as a CDN serves them) of every build/web file a run fetched. */
function launcherBrotliBytes(resources) {
  let total = 0;
  const files = [];
  const paths = (resources ?? []).map((resource) => new URL(resource.url).pathname);
  // The page's Resource Timing doesn't list what its core's worker fetches: with the panel
  // there and no wasm, a worker (its file fetched by a blob: worker's import, or by the page)
  // fetched the core.
  if (paths.includes('/web/loyalty-panel.js') && !paths.includes('/web/loyalty-core.wasm')) {
    for (const name of ['loyalty-core-worker.js', 'loyalty-core.js', 'loyalty-core.wasm']) {
      if (!paths.includes(`/web/${name}`)) paths.push(`/web/${name}`);
    }
  }
  for (const path of paths) {
    if (!path.startsWith('/web/')) continue;
    const file = join(webBuild, path.slice('/web/'.length));
    if (!existsSync(file)) continue;
    const bytes = brotliCompressSync(readFileSync(file), {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
    files.push(`${path.slice('/web/'.length)} ${(bytes / 1000).toFixed(1)} KB`);
    total += bytes;
  }
  return { total, files };
}

const server = await startBenchServer();
let desktop;
let phone;
try {
  console.error(`cold-load: ${desktopRuns} runs per page at 1x, then ${phoneRuns} at 4x`);
  desktop = await measure(server.origin, desktopRuns, 1);
  phone = await measure(server.origin, phoneRuns, 4);
} finally {
  await server.close();
}
if (outFile) writeFileSync(outFile, JSON.stringify({ desktop, phone }, null, 2));

const summary = (result, label) => result.targets.find((t) => t.label === label)?.summary ?? {};
const median = (result, label, metric) => summary(result, label)[metric]?.median ?? NaN;
const added = (result, metric) => median(result, 'ours', metric) - median(result, 'host', metric);
const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const kb = (value) =>
  Number.isFinite(value) ? `${Math.round(value).toLocaleString('en')} KB` : 'n/a';
const count = (value) => (Number.isFinite(value) ? String(value) : 'n/a');
const verdict = (value, goal) => (!Number.isFinite(value) ? '' : value <= goal ? 'met' : 'NOT MET');

const firstRunResources = (label) =>
  desktop.targets.find((t) => t.label === label)?.resources_first_run;
const bytes = launcherBrotliBytes(firstRunResources('ours'));
const cdnBytes = launcherBrotliBytes(firstRunResources('cdn'));
// Each row: [figure, peer (issue 12), metric, result, format, which columns, goal, limit]. The
// goals are the same-origin embed's ('ours'); the CDN column is the same tag from another origin.
const bothPages = { host: true, added: true };
const openOnly = { host: false, added: false };
const rowSpecs = [
  [
    'button visible, ms from navigation (1x)',
    '408 ms',
    'button_visible_ms',
    desktop,
    ms,
    { host: true, added: false },
  ],
  [
    'script CPU on load (1x)',
    '43 ms',
    'script_ms_load',
    desktop,
    ms,
    bothPages,
    '<= 5 ms added',
    5,
  ],
  [
    'main-thread task CPU on load (1x)',
    '98 ms',
    'task_ms_load',
    desktop,
    ms,
    bothPages,
    '<= 29 ms added',
    29,
  ],
  ['main-thread task CPU on load (4x)', '', 'task_ms_load', phone, ms, bothPages],
  [
    'click -> balance visible, cold (1x)',
    '33 ms',
    'click_to_panel_visible_ms',
    desktop,
    ms,
    openOnly,
    '<= 16 ms',
    16,
  ],
  [
    'click -> balance visible (4x)',
    '126 ms',
    'click_to_panel_visible_ms',
    phone,
    ms,
    openOnly,
    '<= 63 ms',
    63,
  ],
  [
    'long tasks on load (4x), median count',
    '3',
    'long_tasks_load',
    phone,
    count,
    bothPages,
    'none added',
    0,
  ],
  ['total blocking time on load (4x)', '201 ms', 'tbt_ms_load', phone, ms, bothPages],
  [
    'long tasks on open (4x), median count',
    '',
    'long_tasks_click',
    phone,
    count,
    openOnly,
    'none',
    0,
  ],
  [
    'layout shift (CLS), whole run (1x)',
    '',
    'cls_total',
    desktop,
    count,
    { host: true, added: false },
    '0',
    0,
  ],
  [
    'heap after GC, panel open (1x)',
    '1,650 KB',
    'heap_used_kb_gc',
    desktop,
    kb,
    bothPages,
    '<= 410 KB added',
    410,
  ],
  ['DOM nodes, panel open', '280', 'dom_nodes_open', desktop, count, openOnly],
];
const rows = rowSpecs.map(([figure, peer, metric, result, format, columns, goal = '', limit]) => {
  const hostMetric = metric === 'dom_nodes_open' ? 'dom_nodes_load' : metric;
  const host = median(result, 'host', hostMetric);
  const value = (label) => median(result, label, metric);
  const judged = columns.added ? value('ours') - host : value('ours');
  return [
    figure,
    peer,
    format(value('ours')),
    columns.host || metric === 'dom_nodes_open' ? format(host) : '',
    columns.added ? format(value('ours') - host) : '',
    goal,
    limit === undefined ? '' : verdict(judged, limit),
    format(value('cdn')),
    columns.added ? format(value('cdn') - host) : '',
    format(value('cdn-csp')),
    columns.added ? format(value('cdn-csp') - host) : '',
  ];
});
rows.push([
  'brotli bytes of the launcher, panel opened',
  '106 KB',
  `${(bytes.total / 1000).toFixed(1)} KB`,
  '',
  '',
  '<= 75 KB',
  verdict(bytes.total / 1000, 75),
  `${(cdnBytes.total / 1000).toFixed(1)} KB`,
  '',
  `${(launcherBrotliBytes(firstRunResources('cdn-csp')).total / 1000).toFixed(1)} KB`,
  '',
]);

const header = [
  'figure',
  'peer',
  'ours',
  'host alone',
  'added',
  'goal',
  '',
  'CDN',
  'CDN added',
  'CDN+CSP',
  'CDN+CSP added',
];
const widths = header.map((_, column) =>
  Math.max(...[header, ...rows].map((row) => String(row[column]).length)),
);
const line = (row) => `| ${row.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
const failed = (result) => result.targets.reduce((sum, t) => sum + (t.errors?.length ?? 0), 0);
console.log(
  `\nmedians of ${desktopRuns} cold loads per page at 1x and ${phoneRuns} at 4x, interleaved;` +
    ` failed runs: ${failed(desktop)} at 1x, ${failed(phone)} at 4x.` +
    ` CPU is main-thread thread time (CDP); "added" is ours minus the page alone.`,
);
console.log(`launcher files fetched (brotli): ${bytes.files.join(', ')}`);
console.log(`from a CDN (brotli): ${cdnBytes.files.join(', ')}`);
console.log(
  'CDN: the tag from another origin on a page without a CSP (the core in a blob: worker);' +
    ' CDN+CSP: under a strict CSP that refuses it, a first visit (the core on the main thread).',
);
console.log("peer: issue 12's reference figures for the WPLoyalty launcher, not measured here.");
