import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/*
 * `npm run build`: the production processes as compiled JavaScript (issue 18), so they start in well under a second
 * without tsx compiling TypeScript at every start: dist/start.js (the gateway, `npm start`'s process) and
 * dist/runSubgraph.js (one subgraph, `npm run start:subgraph`), run by `node dist/...` (deploy/systemd). Each is one
 * ES module bundle of the product's own code; packages stay in node_modules, loaded as they are.
 *
 * The product finds its files (the supergraph, each subgraph's schema.graphql, the explorer page) next to the source
 * file that reads them (`import.meta.url`). In a bundle that would be the bundle's own URL, so each such source file's
 * `import.meta.url` is replaced by its own file's URL, worked out from the bundle's place at run time: the checkout
 * ships as it is, the bundles beside it in dist/.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist');

const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
      const contents = await readFile(file, 'utf8');
      if (file.includes(`${path.sep}node_modules${path.sep}`) || !contents.includes('import.meta.url')) return undefined;
      const fromOut = path.relative(OUT, file).split(path.sep).join('/');
      return {
        contents: contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromOut)}, import.meta.url).href`),
        loader: 'ts',
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
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [sourceUrls],
});
console.log(`built dist/start.js and dist/runSubgraph.js in ${Math.round(performance.now() - started)} ms`);
