import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../lib/dataFiles';
import { applicationIdOf, GENERATED_MARKER, GENERATOR_APPLICATION_ID, type GeneratedMarker } from '../../seed/dataDir';
import { planSubgraphs } from '../../scripts/graph';
import { seedDecision } from '../../scripts/ensureSeeded';
import { loadConfig } from '../../lib/config';
import { generateProvince } from '../../seed/province';
import { copyTestProvince, testToday } from '../support/graph';
import { freePort, killGroup, sleep, spawnTsx, waitUntilServing, type Child } from '../support/processes';

/**
 * Issue 13, item 1 (the seeder never overwrites real data), through the real entries (`npm start` = scripts/start.ts, `npm run seed`) in child
 * processes with the settings an operator gives them.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** The registry's records (what a re-seed would replace), hashed: serving the file may add the product's tables. */
function registryRecords(dir: string): string {
  const db = new Database(databaseFile(dir, 'case-registry'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('select * from cases order by number').all();
    expect(rows.length).toBeGreaterThan(0);
    return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  } finally {
    db.close();
  }
}
const databasesIn = (dir: string) => readdirSync(dir).filter((f) => /\.db(-wal|-shm)?$/.test(f));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the test province whose databases stand for a court's real systems: no marker, no generator's mark. */
function realSystems(remove: string[] = []): string {
  const dir = copyTestProvince();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.db'))) {
    const db = new Database(path.join(dir, f));
    db.pragma('application_id = 0');
    db.close();
  }
  for (const f of remove) rmSync(path.join(dir, f));
  return dir;
}

/** Runs a script to its end (at most `timeoutMs`); its exit and output. */
async function runToEnd(args: string[], env: Record<string, string>, timeoutMs = 30_000) {
  const child = spawnTsx(args, { LOG_LEVEL: 'warn', AS_OF_DATE: testToday(), ...env });
  cleanups.push(() => killGroup(child));
  const exit = await Promise.race([child.exited, sleep(timeoutMs).then(() => null)]);
  return { exit, out: `${child.stdout()}\n${child.stderr()}` };
}

async function startServing(env: Record<string, string>): Promise<{ child: Child; base: string }> {
  const port = await freePort();
  const child = spawnTsx(['scripts/start.ts'], {
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    AS_OF_DATE: testToday(),
    ...env,
  });
  cleanups.push(() => killGroup(child));
  const base = `http://127.0.0.1:${port}`;
  await waitUntilServing(child, `${base}/health/live`);
  return { child, base };
}

describe('issue 13 item 1: seeding never overwrites real data', () => {
  it('a real case-registry.db with personnel reached by URL: npm start checks no personnel file, seeds nothing, serves', async () => {
    const dir = realSystems(['personnel.db']);
    const before = registryRecords(dir);
    const { child } = await startServing({ DATA_DIR: dir, PERSONNEL_URL: 'http://127.0.0.1:9/graphql', SEED_CASES: '100' });
    await killGroup(child);
    expect(child.stdout()).not.toContain('seeding');
    expect(registryRecords(dir)).toBe(before);
    expect(existsSync(databaseFile(dir, 'personnel'))).toBe(false);
    expect(existsSync(path.join(dir, GENERATED_MARKER))).toBe(false);
  }, 30_000);

  it('a real case-registry.db, the other systems missing: npm start would refuse to seed, naming DATA_DIR (and seeding refuses too)', async () => {
    const dir = realSystems(['personnel.db', 'property-control.db', 'coordination.db']);
    const before = registryRecords(dir);
    const config = loadConfig({ DATA_DIR: dir });
    const decision = seedDecision(config, planSubgraphs(config));
    expect(decision).toMatchObject({ refuse: expect.stringContaining('DATA_DIR') });
    expect('refuse' in decision && decision.refuse).toContain('not seeding');
    expect('refuse' in decision && decision.refuse).toContain('case-registry.db');
    // The generator itself refuses the directory, whoever calls it.
    await expect(generateProvince({ dataDir: dir, cases: 100, seed: 1, asOf: testToday() })).rejects.toThrow(/not seeding/);
    expect(registryRecords(dir)).toBe(before);
    expect(databasesIn(dir)).toEqual(['case-registry.db']);
  });

  it('NODE_ENV=production never seeds, even an empty data directory', async () => {
    const keys = copyTestProvince();
    cleanups.push(() => rmSync(keys, { recursive: true, force: true }));
    const dir = tempDir('court-graph-empty-');
    const { exit, out } = await runToEnd(['scripts/start.ts'], {
      NODE_ENV: 'production',
      AUTH_JWKS_FILE: path.join(keys, 'keys', 'dev-client-jwks.json'),
      DATA_DIR: dir,
      PORT: '0',
      SEED_CASES: '100',
    });
    expect(exit, out).toEqual({ code: 2, signal: null });
    expect(out).toContain('production never seeds');
    expect(databasesIn(dir)).toEqual([]);
  }, 40_000);

  it('npm run seed onto real data refuses unless --force; npm start seeds a fresh directory with the marker and the mark', async () => {
    const dir = realSystems();
    const before = registryRecords(dir);
    const refused = await runToEnd(['scripts/seed.ts', '--cases', '100', '--data-dir', dir], {});
    expect(refused.exit, refused.out).toEqual({ code: 2, signal: null });
    expect(refused.out).toContain('not seeding');
    expect(refused.out).toContain('--force');
    expect(registryRecords(dir)).toBe(before);

    // --force is generateProvince's `force`: it overwrites, deliberately.
    await generateProvince({ dataDir: dir, cases: 100, seed: 5, asOf: testToday(), force: true });
    expect(registryRecords(dir)).not.toBe(before);

    // npm start on a fresh directory: its first run seeds, and records what it wrote.
    const fresh = path.join(tempDir('court-graph-fresh-'), 'data');
    const { child } = await startServing({ DATA_DIR: fresh, SEED_CASES: '100', SEED: '9' });
    await killGroup(child);
    const marker = JSON.parse(readFileSync(path.join(fresh, GENERATED_MARKER), 'utf8')) as GeneratedMarker;
    expect(marker).toMatchObject({
      seed: 9,
      cases: 100,
      asOf: testToday(),
      files: ['case-registry.db', 'property-control.db', 'personnel.db'],
    });
    for (const s of ['case-registry', 'property-control', 'personnel'] as const) {
      expect(applicationIdOf(databaseFile(fresh, s))).toBe(GENERATOR_APPLICATION_ID);
    }
  }, 60_000);
});
