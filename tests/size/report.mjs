// Prints raw / gzip / brotli sizes of what a storefront downloads, and checks the budgets.
//
//   node tests/size/report.mjs            # the web bundle (build/web) and the wasm size ladder
//
// (a) initial: what a storefront downloads before the shopper interacts (loader + its CSS).
// (b) total:   everything the open panel needs: loader, panel code, styles, one locale,
//              the core's worker, wasm glue and wasm. When English is bundled into the panel, the largest other
//              catalog is added too: what a shopper in that locale downloads on top.
// Each file is compressed on its own, as a server would send it. 1 KB = 1000 bytes.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = process.env.LOYALTY_WEB_DIR ?? path.join(root, 'build/web');
const wasmDir = process.env.LOYALTY_WASM_DIR ?? path.join(root, 'build/wasm/src/wasm');
const stepsDir = path.join(wasmDir, 'size-steps');

const budgets = {
  initial: { goal: 8_000, limit: 12_000 },
  // The limit was 100 KB until the launcher gained 9 catalogs (the one counted is now ar's,
  // 2.7 KB), the error, redeem and share work, the small-phone layout and the referred friend's
  // greeting and coupon (issue 10): 107.1 KB. Issue 11 allows its rules 6 KB more of wasm
  // (72.1 KB brotli before it, 77.1 KB with its first features) and its launcher texts (caps,
  // pending points, a tier's own expiry in 13 catalogs) about 1 KB: the limit was 114 KB.
  // Its time zones (zone offsets in the context, calendar math across daylight saving, the
  // launcher's Intl offsets) and order lines on the backend's documents took the total to
  // 114.6 KB: the limit is 116 KB. Issue 12 takes the total to 75 KB (nlohmann's parser out of
  // the browser's module); until then the limit stops any further growth. The core's own
  // decimal reader (no strtod and its soft-float long double), no printf behind Embind's type
  // names and no glue for builtin types the binding never passes took the total from 111.3 to
  // 103.4 KB. The core's Web Worker (its file, 0.7 KB, and the panel's asynchronous calls) took
  // it to 105.0 KB, the price of no wasm compilation on the main thread. Inline hints over
  // em++ -Oz's -fno-inline-functions, error paths built for size and fewer instantiations took
  // the wasm from 69.9 to 62.5 KB and the total to 97.8 KB: the limit is 99 KB.
  total: { goal: 60_000, limit: 99_000 },
};

function compressedSizes(file) {
  const bytes = fs.readFileSync(file);
  const text = !file.endsWith('.wasm');
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_LGWIN]: zlib.constants.BROTLI_MAX_WINDOW_BITS,
        [zlib.constants.BROTLI_PARAM_MODE]: text
          ? zlib.constants.BROTLI_MODE_TEXT
          : zlib.constants.BROTLI_MODE_GENERIC,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

function sum(rows) {
  return rows.reduce(
    (total, row) => ({
      raw: total.raw + row.raw,
      gzip: total.gzip + row.gzip,
      brotli: total.brotli + row.brotli,
    }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const signedKb = (bytes) => `${bytes > 0 ? '+' : bytes < 0 ? '-' : ' '}${kb(Math.abs(bytes))}`;

function printTable(title, rows) {
  console.log(`\n${title}`);
  console.log(
    `  ${'file'.padEnd(40)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`,
  );
  for (const row of rows) {
    console.log(
      `  ${row.name.padEnd(40)} ${kb(row.raw).padStart(10)} ${kb(row.gzip).padStart(10)} ${kb(row.brotli).padStart(10)}`,
    );
  }
  const total = sum(rows);
  console.log(
    `  ${'total'.padEnd(40)} ${kb(total.raw).padStart(10)} ${kb(total.gzip).padStart(10)} ${kb(total.brotli).padStart(10)}`,
  );
  return total;
}

function measure(dir, names) {
  return names.map((name) => ({ name, ...compressedSizes(path.join(dir, name)) }));
}

// The wasm size ladder: each step adds flags to the one before (src/wasm/CMakeLists.txt).
function printLadder() {
  if (!fs.existsSync(stepsDir)) {
    console.log(
      `\n(no size ladder: build it with cmake --build --preset wasm --target loyalty_wasm_size_steps)`,
    );
    return;
  }
  const steps = fs
    .readdirSync(stepsDir)
    .filter((step) => fs.existsSync(path.join(stepsDir, step, 'loyalty-core.wasm')))
    .sort();
  console.log(
    '\nwasm size ladder (each step adds flags to the one above; change = brotli of glue + wasm vs the step above)',
  );
  console.log(
    `  ${'step'.padEnd(23)} ${'wasm raw'.padStart(10)} ${'wasm gz'.padStart(9)} ${'wasm br'.padStart(9)} ${'glue raw'.padStart(9)} ${'glue gz'.padStart(9)} ${'glue br'.padStart(9)} ${'both br'.padStart(9)} ${'change br'.padStart(10)}`,
  );
  let previous = null;
  for (const step of steps) {
    const wasm = compressedSizes(path.join(stepsDir, step, 'loyalty-core.wasm'));
    const glue = compressedSizes(path.join(stepsDir, step, 'loyalty-core.js'));
    const both = wasm.brotli + glue.brotli;
    const change = previous === null ? '' : signedKb(both - previous);
    console.log(
      `  ${step.padEnd(23)} ${kb(wasm.raw).padStart(10)} ${kb(wasm.gzip).padStart(9)} ${kb(wasm.brotli).padStart(9)} ${kb(glue.raw).padStart(9)} ${kb(glue.gzip).padStart(9)} ${kb(glue.brotli).padStart(9)} ${kb(both).padStart(9)} ${change.padStart(10)}`,
    );
    previous = both;
  }
}

/** Files ending in `suffix` in the given subfolders of `dir`, as relative paths. */
function listFiles(dir, suffix, folders) {
  return folders.flatMap((folder) => {
    const full = path.join(dir, folder);
    if (!fs.existsSync(full)) return [];
    return fs
      .readdirSync(full)
      .filter((file) => file.endsWith(suffix))
      .sort()
      .map((file) => path.join(folder, file));
  });
}

/**
 * Whether a bundle carries the file's content: most of a stylesheet's lines, or most of a
 * catalog's ASCII messages, appear in it (esbuild inlines them as string literals).
 */
function isInlined(file, bundleText) {
  const text = fs.readFileSync(file, 'utf8');
  let probes;
  if (file.endsWith('.json')) {
    probes = Object.values(JSON.parse(text))
      .filter((value) => typeof value === 'string' && /^[\x20-\x7e]{12,}$/.test(value))
      .map((value) => JSON.stringify(value).slice(1, -1));
  } else {
    probes = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length >= 12 && !line.startsWith('/*') && !line.startsWith('*'));
  }
  if (probes.length === 0) return false;
  const found = probes.filter((probe) => bundleText.includes(probe)).length;
  return found >= 0.8 * probes.length;
}

/** The export audit's other half: what the wasm imports from JS, named in the unminified glue. */
function printImports() {
  const glue = path.join(stepsDir, '5-trim-exports', 'loyalty-core.js');
  if (!fs.existsSync(glue)) return;
  const table = fs.readFileSync(glue, 'utf8').match(/var asmLibraryArg\s*=\s*\{([^}]*)\}/);
  if (!table) return;
  const names = table[1].split(',').map((entry) => entry.split(':')[1].trim().replace(/^_+/, ''));
  console.log(`\nwasm imports (${names.length}): ${names.sort().join(', ')}`);
}

function checkBudget(name, total) {
  const { goal, limit } = budgets[name];
  const verdict =
    total.brotli > limit
      ? 'OVER THE LIMIT'
      : total.brotli > goal
        ? 'over the goal'
        : 'within the goal';
  console.log(
    `${name}: ${kb(total.brotli)} brotli, goal ${kb(goal)}, limit ${kb(limit)}: ${verdict}`,
  );
  return total.brotli <= limit;
}

const webBuilt = fs.existsSync(path.join(webDir, 'loyalty-launcher.js'));
const webDelivered = fs.existsSync(path.join(root, 'web/build.mjs'));
let ok = true;

if (webBuilt) {
  const files = fs.readdirSync(webDir);
  const required = [
    'loyalty-launcher.js',
    'loyalty-panel.js',
    'loyalty-core-worker.js',
    'loyalty-core.js',
    'loyalty-core.wasm',
  ];
  const missing = required.filter((file) => !files.includes(file));
  const css = listFiles(webDir, '.css', ['', 'styles']);
  const locales = listFiles(webDir, '.json', ['locales']);
  const locale = locales.find((file) => file.endsWith('/en.json')) ?? locales[0];
  if (!locale) missing.push('locales/*.json');
  if (missing.length) {
    console.error(`${webDir} lacks: ${missing.join(', ')}`);
    process.exit(1);
  }

  // Styles and catalogs the bundles import are inlined by esbuild: they cost nothing extra,
  // so only files no bundle contains are counted as downloads of their own.
  const bundles = ['loyalty-launcher.js', 'loyalty-panel.js'].map((name) => ({
    name,
    text: fs.readFileSync(path.join(webDir, name), 'utf8'),
  }));
  const inlinedInto = (file) =>
    bundles.find((bundle) => isInlined(path.join(webDir, file), bundle.text))?.name;
  const separate = (file) => {
    const bundle = inlinedInto(file);
    if (bundle) console.log(`  (${file} is inlined in ${bundle}, not a download of its own)`);
    return !bundle;
  };
  console.log(`measuring ${path.relative(root, webDir) || webDir}`);
  const separateCss = css.filter(separate);
  const launcherCss = separateCss.filter((file) => path.basename(file).includes('launcher'));
  // One locale: English when a bundle carries it; a shopper in another locale also fetches
  // that catalog, so the largest other catalog stands in for the worst case.
  const largest = (files) =>
    files.reduce((a, b) =>
      fs.statSync(path.join(webDir, a)).size >= fs.statSync(path.join(webDir, b)).size ? a : b,
    );
  const otherLocales = locales.filter((file) => file !== locale);
  const separateLocale = separate(locale)
    ? [locale]
    : otherLocales.length
      ? [largest(otherLocales)]
      : [];

  const initial = printTable(
    '(a) initial: before the shopper interacts (loader and its CSS)',
    measure(webDir, ['loyalty-launcher.js', ...launcherCss]),
  );
  const total = printTable(
    "(b) total: loader, panel, styles, one locale, the core's worker, wasm glue and wasm",
    measure(webDir, [
      'loyalty-launcher.js',
      'loyalty-panel.js',
      ...separateCss,
      ...separateLocale,
      'loyalty-core-worker.js',
      'loyalty-core.js',
      'loyalty-core.wasm',
    ]),
  );
  printLadder();
  printImports();
  console.log();
  ok = checkBudget('initial', initial) && ok;
  ok = checkBudget('total', total) && ok;
} else {
  if (!fs.existsSync(path.join(wasmDir, 'loyalty-core.wasm'))) {
    console.error(`no wasm build in ${wasmDir}: run cmake --build --preset wasm first`);
    process.exit(1);
  }
  printTable(
    'wasm core only (the web bundle is not built)',
    measure(wasmDir, ['loyalty-core.js', 'loyalty-core.wasm']),
  );
  printLadder();
  printImports();
  if (webDelivered) {
    console.error(`\n${webDir} is missing: run node web/build.mjs first`);
    ok = false;
  } else {
    console.log('\nweb/build.mjs does not exist yet, so the launcher and panel are not measured.');
  }
}
process.exit(ok ? 0 : 1);
