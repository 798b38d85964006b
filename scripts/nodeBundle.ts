import type { BuildOptions } from 'esbuild';
import { valueExports } from './valueExports';

/**
 * How the product's code is bundled for Node (scripts/build.ts; bench/resultShaping.ts bundles its measurement the same
 * way, so both shapings run there as in dist/start.js): one ES module for Node 20, its packages in it, with
 * federation-internals' re-exports copied as values (scripts/valueExports.ts, ADR 29).
 */
export const NODE_BUNDLE = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS packages call `require` for Node's own modules and for the externals.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [valueExports],
} as const satisfies BuildOptions;
