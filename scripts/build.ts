import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { NODE_BUNDLE } from './nodeBundle';

/*
 * `npm run build`: the production processes as compiled JavaScript (issue 18), so they start in well under a second
 * without tsx compiling TypeScript at every start: dist/start.js (the gateway, `npm start`'s process) and
 * dist/runSubgraph.js (one subgraph, `npm run start:subgraph`), run by `node dist/...` (deploy/systemd). Each is one
 * ES module bundle of the product's code and its packages (all but the native better-sqlite3, below).
 *
 * The product finds its files (the supergraph, each subgraph's schema.graphql, the explorer page) next to the source
 * file that reads them (`import.meta.url`). In a bundle that would be the bundle's own URL, so each such source file's
 * `import.meta.url` is replaced by its own file's URL, worked out from the bundle's place at run time: the checkout
 * ships as it is, the bundles beside it in dist/.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
// `--out DIR`: another directory than dist/, e.g. to compare two builds side by side.
const OUT = path.resolve(ROOT, values.out);

const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
      const contents = await readFile(file, 'utf8');
      if (file.includes(`${path.sep}node_modules${path.sep}`) || !contents.includes('import.meta.url')) return undefined;
      const fromOut = path.relative(OUT, file).split(path.sep).join('/');
      return {
        contents: contents
          // Under tsx the product's own imports of graphql load its ES module copy and Apollo's requires its CommonJS
          // copy, so the source reads Apollo's schemas with a `require`d graphql. Bundled, there is one copy: the
          // CommonJS one Apollo's code is bundled with.
          .replaceAll(`createRequire(import.meta.url)('graphql')`, `require('graphql')`)
          .replaceAll('import.meta.url', `new URL(${JSON.stringify(fromOut)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

/**
 * Packages Apollo Gateway loads at start for what the product never runs, left out of the bundle (issue 18: the
 * gateway compiles and evaluates every module it loads before its first answer). Each is replaced by a stub that fails
 * loudly if it is ever used:
 * - Apollo's own usage telemetry (`createDataCollectionMeterProvider` in @apollo/gateway's utilities/opentelemetry.js:
 *   cloud resource detectors, the OpenTelemetry metrics SDK and its OTLP exporter), which runs only without
 *   APOLLO_TELEMETRY_DISABLED, and the product always sets it (gateway/apollo.ts `disableApolloTelemetry`);
 * - make-fetch-happen (with cacache, socks, minipass-fetch…), RemoteGraphQLDataSource's default fetcher, which every
 *   data source of the product replaces with Node's own fetch (gateway/subgraphTransport.ts); the constructor still
 *   asks it for `defaults()`, so the stub answers that with a fetcher that refuses to run.
 */
const NEVER_RUN: Record<string, string> = {
  '@opentelemetry/sdk-metrics': 'Apollo usage telemetry',
  '@opentelemetry/resource-detector-alibaba-cloud': 'Apollo usage telemetry',
  '@opentelemetry/resource-detector-aws': 'Apollo usage telemetry',
  '@opentelemetry/resource-detector-gcp': 'Apollo usage telemetry',
  '@opentelemetry/resource-detector-azure': 'Apollo usage telemetry',
  '@opentelemetry/exporter-metrics-otlp-http': 'Apollo usage telemetry',
  'make-fetch-happen': "RemoteGraphQLDataSource's default fetcher",
};
const GATEWAY_FILE = /[\\/]@apollo[\\/]gateway[\\/]dist[\\/]/;

const neverRun: Plugin = {
  name: 'never-run-stubs',
  setup(b) {
    const filter = new RegExp(
      `^(${Object.keys(NEVER_RUN)
        .map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
        .join('|')})$`,
    );
    b.onResolve({ filter }, (args) => (GATEWAY_FILE.test(args.importer) ? { path: args.path, namespace: 'never-run' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'never-run' }, ({ path: name }) => {
      const why = JSON.stringify(`${name} is not bundled (${NEVER_RUN[name]}: the product never runs it; scripts/build.ts)`);
      return {
        loader: 'js',
        contents: `const fail = () => { throw new Error(${why}); };
module.exports = new Proxy({}, { get: (_, key) => key === 'defaults' ? () => fail : key === '__esModule' ? false : fail() });`,
      };
    });
  },
};

// Only the previous build's files go: `npm run bundle` writes its archives to dist/ too.
await mkdir(OUT, { recursive: true });
for (const file of await readdir(OUT)) if (/\.js(\.map)?$/.test(file)) await rm(path.join(OUT, file));
const started = performance.now();
await build({
  entryPoints: { start: path.join(ROOT, 'scripts/start.ts'), runSubgraph: path.join(ROOT, 'scripts/runSubgraph.ts') },
  ...NODE_BUNDLE,
  outdir: OUT,
  splitting: true,
  // The packages are bundled too: loading one file is faster than resolving and reading the hundreds of files of
  // node_modules the gateway's packages are (~30% of its start). better-sqlite3 is a native addon, found by its own
  // package at run time; pg-native is pg's optional native client, not installed.
  external: ['better-sqlite3', 'pg-native'],
  sourcemap: true,
  plugins: [sourceUrls, neverRun, ...NODE_BUNDLE.plugins],
});
console.log(
  `built ${path.relative(ROOT, OUT)}/start.js and ${path.relative(ROOT, OUT)}/runSubgraph.js in ${Math.round(performance.now() - started)} ms`,
);
