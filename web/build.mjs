// Bundles and minifies web/ into build/web/ (never into the source tree) and prints sizes.
// Usage: node web/build.mjs [--out build/web] [--core build/wasm/src/wasm]
import { build, transform } from 'esbuild';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const webDir = dirname(fileURLToPath(import.meta.url));
const repo = resolve(webDir, '..');
const argValue = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? resolve(process.argv[index + 1]) : fallback;
};
const finalDir = argValue('--out', join(repo, 'build/web'));
// Built beside the target, then moved in file by file (rename is atomic), so a server that
// serves the target meanwhile never sees a half-written or missing file.
const outDir = `${finalDir}.tmp-${process.pid}`;
const coreDir = argValue('--core', join(repo, 'build/wasm/src/wasm'));

// The element loads its panel with import('./panel/index.js') and its diagnostics with
// import('./diagnostics/index.js'); in the bundles those are the separately built
// loyalty-panel.js and loyalty-diagnostics.js next to it.
const SIBLINGS = { panel: './loyalty-panel.js', diagnostics: './loyalty-diagnostics.js' };
const lazyModulesAsSiblings = {
  name: 'lazy-modules-as-siblings',
  setup(builder) {
    builder.onResolve({ filter: /\/(panel|diagnostics)\/index\.js$/ }, (args) =>
      args.kind === 'dynamic-import'
        ? { path: SIBLINGS[/(panel|diagnostics)\/index\.js$/.exec(args.path)[1]], external: true }
        : undefined,
    );
  },
};

// `loyalty:launcher-texts`: the texts the button shows before (or without) the panel, taken
// from every catalog in web/locales/ so that each has them in its own language.
// `loyalty:catalog-names`: just the catalogs' names, for the panel (it fetches the texts).
const LAUNCHER_KEYS = ['launcher.label', 'launcher.unavailable', 'error.retry'];
const readCatalogs = () =>
  readdirSync(join(webDir, 'locales'))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => [
      file.replace(/\.json$/, ''),
      JSON.parse(readFileSync(join(webDir, 'locales', file), 'utf8')),
    ]);
const launcherTexts = {
  name: 'launcher-texts',
  setup(builder) {
    builder.onResolve({ filter: /^loyalty:(launcher-texts|catalog-names)$/ }, (args) => ({
      path: args.path.slice('loyalty:'.length),
      namespace: 'loyalty-catalogs',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'loyalty-catalogs' }, (args) => {
      const catalogs = readCatalogs();
      const contents =
        args.path === 'catalog-names'
          ? catalogs.map(([name]) => name)
          : Object.fromEntries(
              catalogs.map(([name, catalog]) => [
                name,
                Object.fromEntries(
                  LAUNCHER_KEYS.filter((key) => typeof catalog[key] === 'string').map((key) => [
                    key,
                    catalog[key],
                  ]),
                ),
              ]),
            );
      // Watch mode rebuilds when a catalog changes, as it did before the two were merged.
      const watchFiles = catalogs.map(([name]) => join(webDir, 'locales', `${name}.json`));
      return { contents: JSON.stringify(contents), loader: 'json', watchFiles };
    });
  },
};

// CSS is minified, then imported as text (constructed stylesheets need no style-src exception).
const minifiedCss = {
  name: 'minified-css',
  setup(builder) {
    builder.onLoad({ filter: /\.css$/ }, async (args) => {
      const { code } = await transform(readFileSync(args.path, 'utf8'), {
        loader: 'css',
        minify: true,
      });
      return { contents: code.trim(), loader: 'text' };
    });
  },
};

// --names keeps identifiers unminified, so a CPU profile (tests/bench/cold-trace.mjs) names
// the functions; what ships is fully minified.
const keepNames = process.argv.includes('--names');
const common = {
  bundle: true,
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: !keepNames,
  target: 'es2022',
  legalComments: 'none',
  loader: { '.json': 'json' },
  plugins: [lazyModulesAsSiblings, launcherTexts, minifiedCss],
  logLevel: 'warning',
};

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));

const filesUnder = (dir, prefix = '') =>
  readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );

function publish() {
  const fresh = filesUnder(outDir);
  for (const file of fresh) {
    mkdirSync(dirname(join(finalDir, file)), { recursive: true });
    renameSync(join(outDir, file), join(finalDir, file));
  }
  for (const file of filesUnder(finalDir)) {
    if (!fresh.includes(file)) rmSync(join(finalDir, file));
  }
  rmSync(outDir, { recursive: true, force: true });
}

await Promise.all([
  build({
    ...common,
    entryPoints: [join(webDir, 'src/loader.js')],
    format: 'iife',
    // A classic script has no import.meta: the loader sets LoyaltyLauncher.baseUrl instead.
    define: { 'import.meta.url': 'undefined' },
    outfile: join(outDir, 'loyalty-launcher.js'),
    // The element uses i18n.js's locale helpers only; its catalog loader (import.meta.url) is
    // tree-shaken out of this classic script.
    logOverride: { 'empty-import-meta': 'silent' },
  }),
  build({
    ...common,
    entryPoints: {
      'loyalty-panel': join(webDir, 'src/panel/index.js'),
      'loyalty-diagnostics': join(webDir, 'src/diagnostics/index.js'),
      'loyalty-core-worker': join(webDir, 'src/core-worker.js'),
    },
    format: 'esm',
    outdir: outDir,
  }),
  build({
    ...common,
    entryPoints: {
      index: join(webDir, 'src/index.js'),
      'loyalty-launcher-define': join(webDir, 'src/loyalty-launcher-define.js'),
    },
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    outdir: outDir,
  }),
]);

// Plain files for pages that link the CSS or fetch a catalog (the panel fetches locales/).
mkdirSync(join(outDir, 'styles'), { recursive: true });
for (const file of readdirSync(join(webDir, 'styles'))) {
  const css = readFileSync(join(webDir, 'styles', file), 'utf8');
  const { code } = await transform(css, { loader: 'css', minify: true });
  writeFileSync(join(outDir, 'styles', file), code);
}
mkdirSync(join(outDir, 'locales'), { recursive: true });
for (const file of readdirSync(join(webDir, 'locales'))) {
  const catalog = JSON.parse(readFileSync(join(webDir, 'locales', file), 'utf8'));
  writeFileSync(join(outDir, 'locales', file), JSON.stringify(catalog));
}
copyFileSync(join(webDir, 'index.d.ts'), join(outDir, 'index.d.ts'));

let coreCopied = false;
if (
  existsSync(join(coreDir, 'loyalty-core.js')) &&
  existsSync(join(coreDir, 'loyalty-core.wasm'))
) {
  for (const file of ['loyalty-core.js', 'loyalty-core.wasm']) {
    copyFileSync(join(coreDir, file), join(outDir, file));
  }
  coreCopied = true;
}

mkdirSync(finalDir, { recursive: true });
publish();

const sizes = (file) => {
  const bytes = readFileSync(join(finalDir, file));
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotli.length,
  };
};
const report = ['loyalty-launcher.js', 'loyalty-panel.js', 'loyalty-diagnostics.js'];
if (coreCopied) report.push('loyalty-core.js', 'loyalty-core.wasm');
console.log(
  `web build -> ${finalDir}${coreCopied ? '' : ' (no wasm core found in ' + coreDir + ')'}`,
);
for (const { file, raw, gzip, brotli } of report.map(sizes)) {
  console.log(
    `  ${file.padEnd(22)} raw ${String(raw).padStart(7)}  gzip ${String(gzip).padStart(6)}  brotli ${String(brotli).padStart(6)}`,
  );
}
