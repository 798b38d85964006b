import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../lib/config';
import { namesOf } from '../../scripts/templates/subgraph';
import { SUBGRAPHS } from '../../subgraphs/catalogue';
import { copyTestProvince, openRaw, testToday, tokenFor } from '../support/graph';
import { freePort, killGroup, ROOT, waitUntilServing, type Child } from '../support/processes';

/**
 * Issue 17 item 5: adding a subgraph is a generated path. `npm run new-subgraph -- complaints` runs in a copy of this
 * checkout (its tracked files and a link to its node_modules); codegen, composition, the type check and the
 * scaffolded contract test pass there; `npm start` from the copy serves the new subgraph beside the product's four,
 * and its field answers through the gateway, joined to the registry's debtor.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}): string {
  try {
    // Not this run's vitest settings: the copy's own vitest (the scaffolded contract test) starts afresh.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
    return execFileSync(command, args, { cwd, stdio: 'pipe', timeout: 180_000, env: { ...inherited, ...env } }).toString('utf8');
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout?.toString() ?? ''}\n${e.stderr?.toString() ?? ''}`);
  }
}

/** The checkout as git knows it (tracked files, as they are in the working tree), with this checkout's node_modules. */
function copyCheckout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-new-subgraph-'));
  const files = run(ROOT, 'git', ['ls-files', '-z']).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(path.join(ROOT, file))) continue; // deleted in the working tree, not yet committed
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(dir, file));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

describe('npm run new-subgraph', () => {
  it("names every catalogued subgraph's URL setting from its name, and each is a setting", () => {
    for (const { name, urlSetting } of SUBGRAPHS) {
      expect(urlSetting).toBe(`${namesOf(name).constant}_URL`);
      expect(SETTING_NAMES).toContain(urlSetting);
    }
  });

  it('scaffolds a subgraph that composes, type-checks, passes its contract test and answers through the gateway', async () => {
    const repo = copyCheckout();
    cleanups.push(() => rmSync(repo, { recursive: true, force: true }));

    const printed = run(repo, 'npm', ['run', '--silent', 'new-subgraph', '--', 'complaints']);
    for (const file of [
      'subgraphs/complaints/schema.graphql',
      'subgraphs/complaints/sources/sqlite.ts',
      'test/contract/complaints.test.ts',
    ])
      expect(printed).toContain(file);
    expect(readFileSync(path.join(repo, 'subgraphs/catalogue.ts'), 'utf8')).toContain(
      "{ name: 'complaints', defaultPort: 4005, urlSetting: 'COMPLAINTS_URL' }",
    );
    // A second run refuses rather than overwrite.
    expect(() => run(repo, 'npm', ['run', '--silent', 'new-subgraph', '--', 'complaints'])).toThrow(/catalogued already/);

    run(repo, 'npm', ['run', '--silent', 'codegen']);
    expect(existsSync(path.join(repo, 'subgraphs/complaints/generated/resolvers-types.ts'))).toBe(true);
    run(repo, 'npm', ['run', '--silent', 'compose']);
    const supergraph = readFileSync(path.join(repo, 'schema/supergraph.graphql'), 'utf8');
    expect(supergraph).toMatch(/COMPLAINTS @join__graph\(name: "complaints", url: "http:\/\/localhost:4005\/graphql"\)/);
    run(repo, 'npm', ['run', '--silent', 'typecheck']);
    run(repo, 'npx', ['eslint', 'subgraphs/complaints', 'test/contract/complaints.test.ts', 'scripts', 'subgraphs/index.ts']);
    run(repo, 'npx', [
      'prettier',
      '--check',
      'subgraphs/complaints',
      'subgraphs/index.ts',
      'subgraphs/catalogue.ts',
      'codegen.ts',
      'lib/config.ts',
      'test/contract/complaints.test.ts',
    ]);
    // The scaffolded contract test, run by the copy's own vitest (it seeds its own test province).
    const contract = run(repo, 'npx', ['vitest', 'run', 'test/contract/complaints.test.ts'], { CI: '1' });
    expect(contract).toMatch(/2 passed/);

    // The graph from the copy, on a copy of the test province: complaints.db does not exist and is created.
    const data = copyTestProvince();
    cleanups.push(() => rmSync(data, { recursive: true, force: true }));
    expect(existsSync(path.join(data, 'complaints.db'))).toBe(false);
    const port = await freePort();
    const proc = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/start.ts'], {
      cwd: repo,
      env: { ...process.env, DATA_DIR: data, PORT: String(port), HOST: '127.0.0.1', AS_OF_DATE: testToday(), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const child: Child = {
      proc,
      stdout: () => stdout,
      stderr: () => stderr,
      exited: new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal }))),
    };
    cleanups.push(() => killGroup(child));
    const base = `http://127.0.0.1:${port}`;
    await waitUntilServing(child, `${base}/health/ready`, 90_000);
    const ready = (await (await fetch(`${base}/health/ready`)).json()) as { subgraphs: Record<string, string> };
    expect(ready.subgraphs).toMatchObject({ complaints: 'ready', 'case-registry': 'ready' });
    expect(stdout).toMatch(/subgraph complaints\s+http:\/\/127\.0\.0\.1:\d+\/graphql \(hosted here\)/);

    // Two entries recorded in the new system against a debtor the registry knows.
    const registry = openRaw('case-registry');
    const debtor = registry
      .prepare(`select p.id, p.name from persons p join case_parties c on c.person_id = p.id and c.role = 'DEBTOR' order by p.id limit 1`)
      .get() as { id: string; name: string };
    registry.close();
    const complaints = new Database(path.join(data, 'complaints.db'));
    const insert = complaints.prepare('insert into complaints_entries (id, debtor_id, recorded_at, summary) values (?, ?, ?, ?)');
    insert.run('C1', debtor.id, '2026-02-01', '申请人信访：长期未执行');
    insert.run('C2', debtor.id, '2026-05-10', '再次信访');
    complaints.close();

    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('川')}` },
      body: JSON.stringify({
        query: `query ($id: ID!) {
          debtor(id: $id) { id name complaintsEntries { id recordedAt summary } }
          complaintsEntries(debtorId: $id) { id debtor { name } }
        }`,
        variables: { id: debtor.id },
      }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown };
    expect(res.status).toBe(200);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(body.data).toEqual({
      debtor: {
        id: debtor.id,
        name: debtor.name,
        complaintsEntries: [
          { id: 'C2', recordedAt: '2026-05-10', summary: '再次信访' },
          { id: 'C1', recordedAt: '2026-02-01', summary: '申请人信访：长期未执行' },
        ],
      },
      complaintsEntries: [
        { id: 'C2', debtor: { name: debtor.name } },
        { id: 'C1', debtor: { name: debtor.name } },
      ],
    });
  }, 480_000);
});
