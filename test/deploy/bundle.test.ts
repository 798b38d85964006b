import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../lib/config';
import { NODE_FLAGS, type CompiledScript } from '../../scripts/nodeFlags';
import { copyTestProvince, testToday, tokenFor } from '../support/graph';
import { freePort, killGroup, ROOT, type Child, waitUntilServing } from '../support/processes';

/**
 * Issue 17 item 10: `npm run bundle` builds an archive a court host installs without network access. The archive is
 * built, unpacked into an empty directory away from this checkout, and the graph is started from it with `node`
 * alone — no npm, no registry, no compiler — in production mode, and answers a walk.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('offline bundle', () => {
  it('unpacks into an empty directory and serves the graph with node alone, production dependencies only', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'court-graph-bundle-'));
    const host = mkdtempSync(path.join(os.tmpdir(), 'court-graph-host-'));
    const data = copyTestProvince();
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    cleanups.push(() => rmSync(host, { recursive: true, force: true }));
    cleanups.push(() => rmSync(data, { recursive: true, force: true }));

    execFileSync('bash', ['scripts/bundle.sh', '--out', out], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
    const archive = readdirSync(out).find((f) => f.endsWith('.tar.gz'))!;
    expect(archive).toMatch(/^court-enforcement-graph-[\d.]+-linux-x64-node\d+\.tar\.gz$/);
    // The checksum file verifies the archive as shipped.
    execFileSync('sha256sum', ['-c', `${archive}.sha256`], { cwd: out, stdio: 'pipe' });
    execFileSync('tar', ['xzf', path.join(out, archive), '-C', host]);

    // Production dependencies only: no test runner, linter or code generator; no tests; the native addon is built.
    const modules = new Set(readdirSync(path.join(host, 'node_modules')));
    for (const dev of ['vitest', 'eslint', 'prettier', 'typescript']) expect(modules.has(dev), dev).toBe(false);
    for (const runtime of ['@apollo/gateway', 'better-sqlite3', 'tsx', 'kysely'])
      expect(existsSync(path.join(host, 'node_modules', runtime)), runtime).toBe(true);
    expect(existsSync(path.join(host, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(existsSync(path.join(host, 'test'))).toBe(false);
    expect(readFileSync(path.join(host, 'BUNDLE'), 'utf8')).toContain(`node ${process.version}`);

    // Started as the systemd unit starts it: node on the compiled gateway, from the unpacked directory, PATH without npm.
    const port = await freePort();
    const proc = spawn(process.execPath, [...NODE_FLAGS['start.js'], 'dist/start.js'], {
      cwd: host,
      env: {
        PATH: '/nonexistent',
        NODE_ENV: 'production',
        AUTH_JWKS_FILE: path.join(data, 'keys', 'dev-client-jwks.json'),
        DATA_DIR: data,
        PORT: String(port),
        HOST: '127.0.0.1',
        AS_OF_DATE: testToday(),
        LOG_LEVEL: 'warn',
      },
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
    await waitUntilServing(child, `${base}/health/ready`, 60_000);
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('川')}` },
      body: JSON.stringify({ query: '{ courts(prefecture: "川01") { code name enforcementStaffCount } }' }),
    });
    const body = (await res.json()) as { data?: { courts: { code: string; enforcementStaffCount: number | null }[] }; errors?: unknown };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(body.data!.courts.length).toBeGreaterThan(10);
    expect(body.data!.courts.every((c) => c.enforcementStaffCount !== null)).toBe(true);
  }, 300_000);

  it('the systemd examples name only real settings, and every unit runs a script that exists', () => {
    const dir = path.join(ROOT, 'deploy', 'systemd');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.env.example'))) {
      const names = readFileSync(path.join(dir, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'))
        .map((l) => l.split('=')[0]!);
      expect(names.length, file).toBeGreaterThan(3);
      for (const name of names) expect(SETTING_NAMES, `${file}: ${name}`).toContain(name);
    }
    // Each unit runs compiled JavaScript that `npm run build` makes (issue 18), not TypeScript through tsx.
    execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/build.ts'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.service'))) {
      const exec = /^ExecStart=\/usr\/bin\/node ((?:--\S+ )*)(dist\/(\S+\.js))(?: (%i))?$/m.exec(
        readFileSync(path.join(dir, file), 'utf8'),
      );
      expect(exec, file).not.toBeNull();
      expect(existsSync(path.join(ROOT, exec![2]!)), `${file}: ${exec![2]}`).toBe(true);
      expect(exec![2] === 'dist/runSubgraph.js', file).toBe(exec![4] === '%i');
      // The production node flags (ADR 29), the same as bench:peers runs the processes with.
      expect(exec![1]!.trim().split(' ').filter(Boolean), file).toEqual(NODE_FLAGS[exec![3] as CompiledScript]);
    }
    // So do the package's production scripts.
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start:prod']).toBe(['node', ...NODE_FLAGS['start.js'], 'dist/start.js'].join(' '));
    expect(scripts['start:subgraph:prod']).toBe(['node', ...NODE_FLAGS['runSubgraph.js'], 'dist/runSubgraph.js'].join(' '));
  });
});
