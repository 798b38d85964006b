import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIVE_BINDING } from '../../scripts/valueExports';
import { ROOT } from '../support/processes';

/**
 * ADR 29: the build copies @apollo/federation-internals' re-exports as plain values instead of getters
 * (scripts/valueExports.ts, used by scripts/build.ts). That is only the same as a getter if no module of the package reassigns an export
 * after its top level ran. TypeScript's CommonJS output assigns an export at the top level (`exports.x = x;`, at column
 * 0) or in an enum's initialiser (`(E || (exports.E = E = {}))`); an assignment anywhere else (inside a function, an
 * indented line) would be a reassignment the copy misses. An upgrade of the package that adds one fails here.
 */
const DIST = path.join(ROOT, 'node_modules/@apollo/federation-internals/dist');

const jsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : [],
  );

describe('federation-internals exports, copied as values by the build', () => {
  it('no module of the package assigns an export except once, at its top level', () => {
    const files = jsFiles(DIST);
    expect(files.length).toBeGreaterThan(30);
    const late: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/\bexports\.(\w+)\s*=(?!=)/g)) {
            const atTop =
              line.startsWith('exports.') || new RegExp(`^\\}\\)\\(\\w+ \\|\\| \\(exports\\.${m[1]} = \\w+ = \\{\\}\\)\\);$`).test(line);
            if (!atTop) late.push(`${path.relative(DIST, file)}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    expect(late).toEqual([]);
  });

  it('the package index still re-exports through the helper the build rewrites', () => {
    const index = readFileSync(path.join(DIST, 'index.js'), 'utf8');
    expect(index).toContain(LIVE_BINDING);
  });
});
