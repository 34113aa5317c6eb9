// Benchmark probe for tests/bench/web-perf.mjs: a classic script loaded first in <head> (an
// external file, so it runs under the strict CSP). It records, in performance.now() time:
// when the loader starts (its registration of <loyalty-launcher>), the first frame painted with
// the button, click/Escape to the panel painted, long tasks and layout shifts. The node script
// reads window.__bench; nothing here changes what the launcher does.
(() => {
  const bench = {
    marks: {},
    longTasks: [],
    longFrames: [],
    shifts: [],
    events: [],
    waiters: {},
  };
  window.__bench = bench;

  const mark = (name, at = performance.now()) => {
    if (name in bench.marks) return;
    bench.marks[name] = at;
    for (const resolve of bench.waiters[name] ?? []) resolve(at);
    delete bench.waiters[name];
  };
  /** Resolves with the mark's time once it exists (the node script awaits this, no polling). */
  bench.wait = (name) =>
    name in bench.marks
      ? Promise.resolve(bench.marks[name])
      : new Promise((resolve) => (bench.waiters[name] ??= []).push(resolve));

  // A task posted from a rAF callback runs once that frame's style, layout and paint are done.
  const afterNextPaint = (callback) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => callback(performance.now());
      channel.port2.postMessage(null);
    });

  const launcher = () => document.querySelector('loyalty-launcher');
  const shadow = (selector) => launcher()?.shadowRoot?.querySelector(selector) ?? null;
  const shown = (node) =>
    !!node && node.getBoundingClientRect().width > 0 && !node.closest('[hidden]');

  // The loader's first act is customElements.define('loyalty-launcher', ...): the start of its
  // script, give or take the few top-level declarations before it.
  const define = customElements.define;
  customElements.define = function defineAndMark(name, ...rest) {
    if (name === 'loyalty-launcher') {
      const started = performance.now();
      mark('loaderStart', started);
      const result = define.call(this, name, ...rest);
      const untilButton = (frames) =>
        afterNextPaint((at) => {
          const button = shadow('[part="launcher"]');
          const label = shadow('[part="label"]');
          if (shown(button) && label?.textContent) {
            bench.button = {
              label: label.textContent,
              width: button.getBoundingClientRect().width,
            };
            mark('buttonPainted', at);
          } else if (frames < 300) {
            untilButton(frames + 1);
          }
        });
      untilButton(0);
      return result;
    }
    return define.call(this, name, ...rest);
  };

  // The loader adds its element, then its script ends: this observer's callback runs at the
  // microtask checkpoint after the script, and a microtask queued from it runs after the
  // element's own first render (queued later, during the append).
  new MutationObserver((records, observer) => {
    const added = records.some((record) =>
      [...record.addedNodes].some((node) => node.nodeName === 'LOYALTY-LAUNCHER'),
    );
    if (added && 'loaderStart' in bench.marks) {
      observer.disconnect();
      queueMicrotask(() => mark('loaderSync'));
    }
  }).observe(document, { childList: true, subtree: true });

  window.addEventListener('load', () => afterNextPaint((at) => mark('loadPainted', at)));

  document.addEventListener(
    'click',
    (event) => {
      if (event.composedPath().includes(launcher())) mark('click', event.timeStamp);
    },
    true,
  );
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Escape') mark('escape', event.timeStamp);
    },
    true,
  );

  for (const name of ['ready', 'open', 'close', 'error']) {
    document.addEventListener(`loyalty:${name}`, (event) => {
      const at = performance.now();
      bench.events.push({ type: event.type, at, detail: event.detail });
      mark(name, at);
      if (name === 'open') {
        afterNextPaint((painted) => {
          const balance = shadow('[part="balance"]');
          bench.panel = {
            visible: shown(shadow('[part="panel"]')),
            balance: balance?.textContent ?? null,
            rewards: launcher().shadowRoot.querySelectorAll('[part="reward"]').length,
          };
          mark('panelPainted', painted);
        });
      }
      if (name === 'close') {
        afterNextPaint((painted) => {
          bench.closed = { panelHidden: !shown(shadow('[part="panel"]')) };
          mark('closePainted', painted);
        });
      }
    });
  }

  const rect = (r) =>
    `${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}x${Math.round(r.height)}`;
  const observe = (type, record) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(record)).observe({
        type,
        buffered: true,
      });
    } catch {
      bench[`no-${type}`] = true; // entry type unsupported by this browser
    }
  };
  observe('longtask', (entry) =>
    bench.longTasks.push({ start: entry.startTime, duration: entry.duration }),
  );
  // Long animation frames name the scripts that ran in them (long tasks do not).
  observe('long-animation-frame', (entry) =>
    bench.longFrames.push({
      start: entry.startTime,
      duration: entry.duration,
      scripts: entry.scripts.map((script) => ({
        source: script.sourceURL.replace(/^.*\//, '') || script.invoker,
        invoker: script.invoker,
        duration: Math.round(script.duration),
      })),
    }),
  );
  observe('layout-shift', (entry) =>
    bench.shifts.push({
      start: entry.startTime,
      value: entry.value,
      hadRecentInput: entry.hadRecentInput,
      // What moved, for the report: node (retargeted to the host when in a shadow root) and rects.
      sources: (entry.sources ?? []).map((source) => ({
        node: source.node?.nodeName?.toLowerCase() ?? null,
        from: rect(source.previousRect),
        to: rect(source.currentRect),
      })),
    }),
  );
})();
