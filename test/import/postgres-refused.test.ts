import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The importer writes SQLite files only in this version: a system whose store is on PostgreSQL is refused, exit status
 * 2 and nothing written, rather than loaded into a file its subgraph does not read (docs/import.md).
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'import-pg-refused-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run import with a system on PostgreSQL', () => {
  it.each([
    ['case-registry', 'CASE_REGISTRY_DATABASE_URL'],
    ['property-control', 'PROPERTY_CONTROL_DATABASE_URL'],
  ])('refuses %s when %s is set, writing nothing', (system, setting) => {
    const file = path.join(dir, `${system}.jsonl`);
    writeFileSync(file, '{"type":"officer"}\n');
    const data = path.join(dir, `data-${system}`);
    const run = spawnSync(
      path.resolve('node_modules/.bin/tsx'),
      ['scripts/import.ts', '--system', system, '--file', file, '--data-dir', data],
      {
        env: { ...process.env, [setting]: 'postgres://nobody@127.0.0.1:1/none' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${system} is on PostgreSQL (${setting} is set)`);
    expect(existsSync(data)).toBe(false);
  });

  it('still imports a system left on SQLite when another is on PostgreSQL', () => {
    const file = path.join(dir, 'personnel.jsonl');
    writeFileSync(file, '{"type":"officer","id":"OF900001","name":"王执行","courtCode":"川0104","post":"JUDGE","enforcement":true}\n');
    const data = path.join(dir, 'data-personnel');
    const run = spawnSync(
      path.resolve('node_modules/.bin/tsx'),
      ['scripts/import.ts', '--system', 'personnel', '--file', file, '--data-dir', data],
      {
        env: { ...process.env, CASE_REGISTRY_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', AS_OF_DATE: '2026-06-30' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.stderr).not.toContain('is on PostgreSQL');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 records imported into personnel');
    expect(existsSync(path.join(data, 'personnel.db'))).toBe(true);
  });
});
