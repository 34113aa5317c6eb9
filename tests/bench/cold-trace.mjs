// Where the launcher's main-thread time goes on a cold load and its first open: one fresh
// Chromium (as cold-load.mjs starts for each run), a Chrome trace of the storefront with the
// one-tag embed, the click on the button, and a summary of the renderer main thread: every task
// longer than --min-ms with what it spent its own time on (script by file, style, layout, parse,
// compile, garbage collection). A lead for cold-load.mjs's figures, not a figure of its own:
// tracing itself costs time.
//
//   node tests/bench/cold-trace.mjs [--cpu-throttle 4] [--variant loader|cdn|cdn-csp|none] [--min-ms 16]
//                                   [--runs 1] [--out trace.json]
//
// With --runs N the summaries are means over N runs; the task list is the first run's. Build
// with `node web/build.mjs --names` first for readable function names.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '../browser/helpers.mjs';
import { startBenchServer } from './web-perf/pages.mjs';

const { chromium } = createRequire(import.meta.url)('playwright-core');

const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const throttle = Number(argument('--cpu-throttle', 4));
const variant = argument('--variant', 'loader');
const minMs = Number(argument('--min-ms', 16));
const outFile = argument('--out', '');
const runs = Number(argument('--runs', 1));

const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'blink.user_timing',
];

/** One traced cold load and click; the trace's events and the main thread's CPU profile. */
async function traceOnce(origin) {
  const profile = mkdtempSync(join(tmpdir(), 'cold-trace-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    // The flags the cold-load harness starts Chromium with, so the trace is of the page it measures.
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  try {
    // loyalty:ready: the first view is drawn (panel code, core and documents loaded).
    await context.addInitScript(() =>
      document.addEventListener('loyalty:ready', () => (window.__loyaltyReady = true)),
    );
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
    const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
    if (throttle !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    // A sampling profile beside the trace: the trace names tasks, the profile the functions
    // (promise continuations show in the trace only as RunMicrotasks).
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await cdp.send('Tracing.start', {
      traceConfig: { includedCategories: CATEGORIES },
      transferMode: 'ReportEvents',
    });
    await page.goto(`${origin}/bench/page.html?variant=${variant}`, { waitUntil: 'load' });
    if (variant !== 'none') {
      const button = page.locator('loyalty-launcher [part~=launcher]');
      await button.waitFor({ state: 'visible' });
      // Idle-time loading (panel, core, documents, the closed panel's drawing) finishes first.
      await page.waitForFunction(() => window.__loyaltyReady === true, null, { timeout: 30000 });
      await page.waitForTimeout(1000);
      const box = await button.boundingBox();
      await page.evaluate(() => performance.mark('trace:click'));
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page
        .locator('loyalty-launcher [part~=balance]')
        .waitFor({ state: 'visible', timeout: 30000 });
      await page.waitForTimeout(1000);
    } else {
      await page.waitForTimeout(3000);
    }
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.send('Tracing.end');
    await complete;
    return { events, profile };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The page renderer's main thread: the CrRendererMain that ran the storefront's document. */
function mainThread(events) {
  const mains = events.filter(
    (event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain',
  );
  const counts = mains.map(({ pid, tid }) => ({
    pid,
    tid,
    tasks: events.filter((event) => event.pid === pid && event.tid === tid && event.dur).length,
  }));
  return counts.sort((a, b) => b.tasks - a.tasks)[0];
}

/** What an event is, for the summary: its name, and the script file where there is one. */
function label(event) {
  const data = event.args?.data ?? event.args?.beginData ?? {};
  const url = data.url ?? data.scriptName ?? data.fileName ?? '';
  const file = url ? url.slice(url.lastIndexOf('/') + 1).replace(/\?.*$/, '') : '';
  const detail = event.name === 'EventDispatch' || event.name === 'FunctionCall' ? data.type : '';
  return [event.name, file, detail].filter(Boolean).join(' ');
}

/** Each complete event on the thread with its own time (its duration less its children's). */
function withSelfTime(events) {
  const sorted = events
    .filter((event) => event.ph === 'X' && typeof event.dur === 'number')
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const stack = [];
  for (const event of sorted) {
    event.self = event.dur;
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= event.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) {
      parent.self -= event.dur;
      event.task = parent.task;
    } else {
      event.task = event;
    }
    stack.push(event);
  }
  return sorted;
}

/** The profile's own time per function (file:line name), split at the click. */
function profileByFunction(cpuProfile, clickTs) {
  const nodes = new Map(cpuProfile.nodes.map((node) => [node.id, node]));
  const totals = { load: new Map(), open: new Map() };
  let time = cpuProfile.startTime;
  cpuProfile.samples.forEach((id, index) => {
    time += cpuProfile.timeDeltas[index] ?? 0;
    const { callFrame } = nodes.get(id);
    const file = callFrame.url.slice(callFrame.url.lastIndexOf('/') + 1);
    const name = file
      ? `${file}:${callFrame.lineNumber + 1} ${callFrame.functionName || '(anonymous)'}`
      : callFrame.functionName;
    if (name === '(idle)') return;
    const phase = clickTs && time >= clickTs ? totals.open : totals.load;
    phase.set(name, (phase.get(name) ?? 0) + (cpuProfile.timeDeltas[index + 1] ?? 0));
  });
  return totals;
}

/** One run's figures: its long-enough tasks, and own time by item and by function per phase. */
function summarize(events, profile) {
  const main = mainThread(events);
  const onMain = withSelfTime(events.filter((e) => e.pid === main.pid && e.tid === main.tid));
  const navigation = events.find((e) => e.name === 'navigationStart' && e.pid === main.pid);
  const click = events.find((e) => e.name === 'trace:click' && e.pid === main.pid);
  const origin = navigation?.ts ?? onMain[0].ts;
  const tasks = onMain.filter((event) => event.task === event);
  const phaseOf = (task) => (click && task.ts >= click.ts ? 'open' : 'load');
  const ownTime = (inside) => {
    const byLabel = new Map();
    for (const event of inside) {
      byLabel.set(label(event), (byLabel.get(label(event)) ?? 0) + event.self);
    }
    return byLabel;
  };
  const listed = tasks
    .filter((task) => task.dur / 1000 >= minMs)
    .map((task) => ({
      phase: phaseOf(task),
      at: (task.ts - origin) / 1000,
      ms: task.dur / 1000,
      items: ownTime(onMain.filter((event) => event.task === task && event !== task)),
    }));
  const phases = {};
  const functions = profileByFunction(profile, click?.ts);
  for (const phase of ['load', 'open']) {
    phases[phase] = {
      taskMs: tasks.filter((t) => phaseOf(t) === phase).reduce((sum, t) => sum + t.dur, 0) / 1000,
      items: ownTime(onMain.filter((event) => phaseOf(event.task) === phase)),
      functions: functions[phase],
    };
  }
  return { listed, phases };
}

const top = (map, count, runs) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `  ${(us / 1000 / runs).toFixed(1).padStart(7)} ms  ${name}`)
    .join('\n');
const addInto = (sum, map) => {
  for (const [name, value] of map) sum.set(name, (sum.get(name) ?? 0) + value);
};

const server = await startBenchServer();
const summaries = [];
try {
  for (let run = 0; run < runs; run += 1) {
    const { events, profile } = await traceOnce(server.origin);
    if (outFile && run === 0) writeFileSync(outFile, JSON.stringify({ traceEvents: events }));
    summaries.push(summarize(events, profile));
  }
} finally {
  await server.close();
}

console.log(
  `cold-trace: ${variant} page, ${throttle}x CPU, ${runs} cold run(s). The first run's tasks of` +
    ` ${minMs} ms or more on the renderer main thread (wall time), with their largest own-time items:`,
);
for (const task of summaries[0].listed) {
  console.log(
    `\n[${task.phase}] at ${task.at.toFixed(1)} ms: ${task.ms.toFixed(1)} ms` +
      `${task.ms >= 50 ? ' LONG' : ''}\n${top(task.items, 6, 1)}`,
  );
}
for (const phase of ['load', 'open']) {
  const items = new Map();
  const functions = new Map();
  let taskMs = 0;
  for (const summary of summaries) {
    addInto(items, summary.phases[phase].items);
    addInto(functions, summary.phases[phase].functions);
    taskMs += summary.phases[phase].taskMs;
  }
  console.log(
    `\n${phase}: ${(taskMs / runs).toFixed(1)} ms in tasks (mean of ${runs}); own time by item:` +
      `\n${top(items, 15, runs)}\n${phase}: sampled own time by function:\n${top(functions, 25, runs)}`,
  );
}
