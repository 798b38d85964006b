import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUBGRAPHS } from '../subgraphs/catalogue';
import { NAME_PATTERN, namesOf, subgraphFiles, type SubgraphNames } from './templates/subgraph';

/**
 * `npm run new-subgraph -- <name>`: scaffolds a subgraph of the product's shape (scripts/templates/subgraph.ts) and
 * registers it where the product lists its subgraphs: the catalogue (subgraphs/catalogue.ts, with the next free port),
 * its opener (subgraphs/index.ts), its URL setting (lib/config.ts) and its codegen entry (codegen.ts). Each of these
 * files carries a `new-subgraph:` marker line the new entry goes above. Then run `npm run codegen && npm run compose`
 * (docs/new-subgraph.md).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Inserts `text` before the marker line of `file`; fails naming the file when the marker is gone. */
function insertAboveMarker(file: string, marker: string, text: string): void {
  const full = path.join(ROOT, file);
  const source = readFileSync(full, 'utf8');
  const lines = source.split('\n');
  const at = lines.findIndex((l) => l.includes(`new-subgraph: ${marker}`));
  if (at < 0) throw new Error(`${file}: no "new-subgraph: ${marker}" line to add the new subgraph above`);
  lines.splice(at, 0, ...text.replace(/\n$/, '').split('\n'));
  writeFileSync(full, lines.join('\n'));
}

export function registrations(n: SubgraphNames, port: number): { file: string; marker: string; text: string }[] {
  return [
    {
      file: 'subgraphs/catalogue.ts',
      marker: 'entries above',
      text: `  { name: '${n.name}', defaultPort: ${port}, urlSetting: '${n.constant}_URL' },`,
    },
    { file: 'lib/config.ts', marker: 'URL settings above', text: `  ${n.constant}_URL: replicaList,` },
    { file: 'subgraphs/index.ts', marker: 'imports above', text: `import { ${n.camel}FromFile } from './${n.name}/server';` },
    { file: 'subgraphs/index.ts', marker: 'openers above', text: `  '${n.name}': ${n.camel}FromFile,` },
    {
      file: 'codegen.ts',
      marker: 'entries above',
      text: `    'subgraphs/${n.name}/generated/resolvers-types.ts': {
      schema: 'subgraphs/${n.name}/schema.graphql',
      plugins,
      config: {
        ...common,
        contextType: '../context#${n.pascal}Context',
        mappers: {
          Debtor: '../sources/records#DebtorRef',
          ${n.entryType}: '../sources/records#EntryRecord',
        },
      },
    },`,
    },
  ];
}

export function newSubgraph(name: string): string[] {
  if (!NAME_PATTERN.test(name)) throw new Error(`"${name}" is not a subgraph name: lower-case words joined by "-", e.g. complaints`);
  if (SUBGRAPHS.some((s) => s.name === name)) throw new Error(`"${name}" is catalogued already (subgraphs/catalogue.ts)`);
  const n = namesOf(name);
  const files = subgraphFiles(n);
  for (const file of Object.keys(files))
    if (existsSync(path.join(ROOT, file))) throw new Error(`${file} exists already: not overwriting it`);
  const port = Math.max(...SUBGRAPHS.map((s) => s.defaultPort)) + 1;
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
    writeFileSync(path.join(ROOT, file), text);
  }
  const edits = registrations(n, port);
  for (const { file, marker, text } of edits) insertAboveMarker(file, marker, text);
  const touched = [...Object.keys(files), ...new Set(edits.map((e) => e.file))];
  // The house format, so the new files pass `npm run format:check` as written.
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'prettier'), ['--write', '--log-level', 'warn', ...touched], { cwd: ROOT });
  return touched;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: npm run new-subgraph -- <name>   (e.g. complaints)');
    process.exit(2);
  }
  try {
    const touched = newSubgraph(name);
    for (const file of touched) console.log(`  ${file}`);
    console.log(`\nnext: npm run codegen && npm run compose && npm run typecheck, then npm start (docs/new-subgraph.md)`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  }
}
