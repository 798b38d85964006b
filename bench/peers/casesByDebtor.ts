import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { groupInOrder } from '../../lib/sqlite';
import { openCaseRegistrySqlite } from '../../subgraphs/case-registry/sources/sqlite';
import { wholeRowDistinct } from './casesByDebtorBefore';
import { caseHeavyDebtors } from './run';

/*
 * Issue 18: the case registry's cases-by-debtor statement before and after, side by side in one run, on one province
 * (bench/README.md). Before: the statement as it was until then, a DISTINCT over every column of the joined case rows
 * (kept here, built the same way, as the reference); after: the registry's own (casesByDebtor). For the heaviest
 * debtors it prints each statement's query plan, checks that both give the same rows in the same order for every
 * status filter, and times them interleaved, each prepared and run as the subgraph runs it (through Kysely).
 *
 * Usage: npx tsx bench/peers/casesByDebtor.ts --data DIR [--debtors 100] [--runs 15]
 */

const { values } = parseArgs({
  options: { data: { type: 'string' }, debtors: { type: 'string', default: '100' }, runs: { type: 'string', default: '15' } },
});
if (!values.data) {
  console.error('--data DIR: a generated province');
  process.exit(2);
}
const dataDir = path.resolve(values.data);
const file = path.join(dataDir, 'case-registry.db');
const ids = caseHeavyDebtors(dataDir, Number(values.debtors));
let logged: { sql: string; parameters: readonly unknown[] } | undefined;
const registry = openCaseRegistrySqlite(file, { readonly: true, onQuery: (sql, parameters) => (logged = { sql, parameters }) });
const raw = new Database(file, { readonly: true, fileMustExist: true });
try {
  const plan = (sql: string, parameters: readonly unknown[]) =>
    (raw.prepare(`explain query plan ${sql}`).all(...parameters) as { detail: string }[]).map((r) => r.detail).join(' | ');
  const old = wholeRowDistinct(registry, ids, null).compile();
  await registry.casesByDebtor(ids, null);
  console.log(`${ids.length} debtors in the most cases, ${path.basename(dataDir)}`);
  console.log(`before: ${plan(old.sql, old.parameters)}`);
  console.log(`after:  ${plan(logged!.sql, logged!.parameters)}`);

  for (const status of [null, 'UNCLOSED', 'FILED', 'EXECUTING', 'CLOSED', 'TERMINATED_THIS_ROUND'] as const) {
    const rows = await wholeRowDistinct(registry, ids, status).execute();
    const expected = groupInOrder(ids, rows, (r) => r.party_key!).map((list) => list.map(({ party_key: _, ...c }) => c));
    const actual = await registry.casesByDebtor(ids, status);
    const same = JSON.stringify(actual) === JSON.stringify(expected);
    console.log(`status ${String(status).padEnd(21)} ${rows.length} rows: ${same ? 'the same rows in the same order' : 'DIFFERENT'}`);
    if (!same) process.exitCode = 1;
  }

  const times = { before: [] as number[], after: [] as number[] };
  for (let i = 0; i < Number(values.runs); i++) {
    let t = performance.now();
    await wholeRowDistinct(registry, ids, null).execute();
    times.before.push(performance.now() - t);
    t = performance.now();
    await registry.casesByDebtor(ids, null);
    times.after.push(performance.now() - t);
  }
  for (const [k, a] of Object.entries(times)) {
    a.sort((x, y) => x - y);
    console.log(`${k.padEnd(6)}  median ${a[a.length >> 1]!.toFixed(1)} ms, min ${a[0]!.toFixed(1)} ms of ${a.length} interleaved runs`);
  }
} finally {
  raw.close();
  await registry.close();
}
