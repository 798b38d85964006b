/**
 * The files `npm run new-subgraph -- <name>` writes (scripts/newSubgraph.ts), as functions of the subgraph's names. The
 * shape is every subgraph's (STYLE.md habit 1): schema.graphql, server.ts builds, index.ts listens, context.ts holds
 * the request's loaders, one resolver file per type, sources/ with the interface (the seam an existing system is
 * wrapped behind) and its SQLite adapter. The new subgraph adds a list of entries to the registry's `Debtor` by its
 * key, and one root field; docs/new-subgraph.md says what to change next.
 */
export interface SubgraphNames {
  /** kebab-case, as catalogued: `complaints`, `enforcement-notes`. */
  name: string;
  /** `Complaints`: the prefix of its TypeScript names. */
  pascal: string;
  /** `complaints`: the prefix of its GraphQL field names. */
  camel: string;
  /** `COMPLAINTS`: its URL setting is `COMPLAINTS_URL`. */
  constant: string;
  /** `complaints_entries`: its table. */
  table: string;
  /** `ComplaintsEntry`: the GraphQL type of one entry. */
  entryType: string;
  /** `complaintsEntries`: the field on `Debtor` and the root field. */
  entriesField: string;
}

export const NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;

export function namesOf(name: string): SubgraphNames {
  const words = name.split('-');
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  const camel = pascal[0]!.toLowerCase() + pascal.slice(1);
  return {
    name,
    pascal,
    camel,
    constant: words.map((w) => w.toUpperCase()).join('_'),
    table: `${words.join('_')}_entries`,
    entryType: `${pascal}Entry`,
    entriesField: `${camel}Entries`,
  };
}

export function subgraphFiles(n: SubgraphNames): Record<string, string> {
  const dir = `subgraphs/${n.name}`;
  return {
    [`${dir}/schema.graphql`]: schema(n),
    [`${dir}/server.ts`]: server(n),
    [`${dir}/index.ts`]: index(n),
    [`${dir}/context.ts`]: context(n),
    [`${dir}/resolvers/index.ts`]: resolversIndex(n),
    [`${dir}/resolvers/Debtor.ts`]: debtorResolver(n),
    [`${dir}/resolvers/Query.ts`]: queryResolver(n),
    [`${dir}/resolvers/${n.entryType}.ts`]: entryResolver(n),
    [`${dir}/sources/records.ts`]: records(n),
    [`${dir}/sources/source.ts`]: source(n),
    [`${dir}/sources/sqlite.ts`]: sqlite(n),
    [`test/contract/${n.name}.test.ts`]: contractTest(n),
  };
}

const schema = (n: SubgraphNames) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize"])

type Query {
  "The ${n.name} system's entries recorded against a debtor, newest first; empty when it has none."
  ${n.entriesField}(
    "Unified social credit code or resident ID number of the debtor."
    debtorId: ID!
  ): [${n.entryType}!]! @listSize(assumedSize: 20)
}

"""
One entry the ${n.name} system records against a debtor.
"""
type ${n.entryType} {
  "The entry's identifier in the ${n.name} system."
  id: ID!
  "The debtor the entry is recorded against."
  debtor: Debtor!
  "When the entry was recorded (YYYY-MM-DD)."
  recordedAt: String!
  "What the entry records, as the system holds it."
  summary: String!
}

"""
The ${n.name} subgraph adds its entries to the registry's debtors, joined by the debtor's key.
"""
type Debtor @key(fields: "id") {
  "Unified social credit code or resident ID number, upper-case."
  id: ID!
  "The ${n.name} system's entries recorded against this debtor, newest first."
  ${n.entriesField}: [${n.entryType}!]! @listSize(assumedSize: 20)
}
`;

const server = (n: SubgraphNames) => `import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { SubgraphModule, SubgraphOptions } from '../../lib/subgraphServer';
import { create${n.pascal}Context, type ${n.pascal}Context } from './context';
import { resolvers } from './resolvers';
import type { ${n.pascal}Source } from './sources/source';
import { open${n.pascal}Sqlite } from './sources/sqlite';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** Builds the ${n.name} subgraph over a source adapter: the SQLite one below, or one wrapping the existing system. */
export function ${n.camel}Subgraph(source: ${n.pascal}Source): SubgraphModule<${n.pascal}Context> {
  return {
    name: '${n.name}',
    typeDefs,
    resolvers,
    createContext: (viewer) => create${n.pascal}Context(source, viewer),
    ping: () => source.ping(),
    close: () => source.close(),
  };
}

/** The embedded deployment: the system's SQLite file in the data directory, created with its table when new. */
export function ${n.camel}FromFile(file: string, opts: SubgraphOptions = {}): SubgraphModule<${n.pascal}Context> {
  return ${n.camel}Subgraph(open${n.pascal}Sqlite(file, opts));
}
`;

const index = (n: SubgraphNames) => `import { runSubgraphProcess } from '../../lib/runSubgraph';
import { runnableSubgraph } from '../index';

// Runs this subgraph alone (production: one process per subgraph). Settings: PORT, HOST, DATA_DIR, SUBGRAPH_RUNTIME.
await runSubgraphProcess(runnableSubgraph('${n.name}'));
`;

const context = (n: SubgraphNames) => `import type { Viewer } from '../../lib/auth';
import { requestBatches } from '../../lib/requestBatches';
import type { EntryRecord } from './sources/records';
import type { ${n.pascal}Source } from './sources/source';

/** Request-scoped state: the viewer the gateway vouched for and fresh loaders, never shared between requests. */
export interface ${n.pascal}Context {
  source: ${n.pascal}Source;
  viewer: Viewer;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(source: ${n.pascal}Source) {
  // One request's loaders dispatch together (lib/requestBatches.ts): one statement per level on both dialects.
  const batches = requestBatches();
  return {
    entriesByDebtor: batches.loader<string, EntryRecord[]>((debtorIds) => source.entriesByDebtor(debtorIds)),
  };
}

export function create${n.pascal}Context(source: ${n.pascal}Source, viewer: Viewer): ${n.pascal}Context {
  return { source, viewer, loaders: createLoaders(source) };
}
`;

const resolversIndex = (n: SubgraphNames) => `import { boundedQueryArguments } from '../../../lib/textArguments';
import type { Resolvers } from '../generated/resolvers-types';
import { Debtor } from './Debtor';
import { ${n.entryType} } from './${n.entryType}';
import { Query } from './Query';

export const resolvers: Resolvers = {
  Query: boundedQueryArguments(Query),
  Debtor,
  ${n.entryType},
};
`;

const entryResolver = (n: SubgraphNames) => `import type { ${n.entryType}Resolvers } from '../generated/resolvers-types';

/** The row's columns as the schema names them; the debtor by its key, for the gateway to join. */
export const ${n.entryType}: ${n.entryType}Resolvers = {
  debtor: (entry) => ({ id: entry.debtor_id }),
  recordedAt: (entry) => entry.recorded_at,
};
`;

const debtorResolver = (n: SubgraphNames) => `import type { DebtorResolvers } from '../generated/resolvers-types';

export const Debtor: DebtorResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  ${n.entriesField}: (debtor, _, ctx) => ctx.loaders.entriesByDebtor.load(debtor.id),
};
`;

const queryResolver = (n: SubgraphNames) => `import { parseDebtorId } from '../../../domain/identifiers';
import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  // The identifier is checked as the registry checks it: a malformed one is refused naming the field and the rule.
  ${n.entriesField}: (_, { debtorId }, ctx) => ctx.loaders.entriesByDebtor.load(parseDebtorId(debtorId, 'debtorId').id),
};
`;

const records = (n: SubgraphNames) => `/** The ${n.name} system's row, as its SQLite adapter stores it (sqlite.ts owns the DDL). */
export interface EntryRow {
  id: string;
  debtor_id: string;
  recorded_at: string;
  summary: string;
}

export type ${n.pascal}Database = {
  ${n.table}: EntryRow;
};

/** What the source returns and the resolvers receive as parents (the codegen mapper of \`${n.entryType}\`). */
export type EntryRecord = EntryRow;

/** A debtor known here by its key only; the registry owns the debtor. */
export interface DebtorRef {
  id: string;
}
`;

const source = (n: SubgraphNames) => `import type { EntryRecord } from './records';

/**
 * The narrow interface over the ${n.name} system: the seam. Wrapping an existing system means writing one more
 * implementation of it (docs/new-subgraph.md). Batch methods answer in key order, one statement (or one upstream
 * call) per batch, whatever the number of keys.
 */
export interface ${n.pascal}Source {
  /** Each debtor's entries, newest first; an empty list for a debtor with none. */
  entriesByDebtor(debtorIds: readonly string[]): Promise<EntryRecord[][]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
`;

const sqlite = (n: SubgraphNames) => `import { sql, type Kysely } from 'kysely';
import { dialectOf, keyIn, type Dialect } from '../../../lib/database';
import { groupInOrder, openSqlite, type OpenOptions } from '../../../lib/sqlite';
import type { ${n.pascal}Database } from './records';
import type { ${n.pascal}Source } from './source';

/** The system's table, created on first open (a new data directory has no file for it yet). */
export const ${n.constant}_TABLES = \`
CREATE TABLE IF NOT EXISTS ${n.table} (
  id TEXT PRIMARY KEY,
  debtor_id TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  summary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${n.table}_debtor ON ${n.table} (debtor_id, recorded_at);
\`;

/** The ${n.name} system over its SQLite file, through Kysely. */
export function open${n.pascal}Sqlite(file: string, opts: OpenOptions = {}): ${n.pascal}Source {
  return new Sql${n.pascal}(openSqlite<${n.pascal}Database>(file, { ...opts, ddl: ${n.constant}_TABLES }).db);
}

export class Sql${n.pascal} implements ${n.pascal}Source {
  private readonly dialect: Dialect;

  constructor(private readonly db: Kysely<${n.pascal}Database>) {
    this.dialect = dialectOf(db);
  }

  async entriesByDebtor(debtorIds: readonly string[]) {
    // One statement for the whole batch: the keys travel as one parameter (lib/database.ts keyIn).
    const rows = await this.db
      .selectFrom('${n.table}')
      .selectAll()
      .where((eb) => keyIn(this.dialect, eb, 'debtor_id', debtorIds))
      .orderBy('debtor_id')
      .orderBy('recorded_at', 'desc')
      .orderBy('id')
      .execute();
    return groupInOrder(debtorIds, rows, (r) => r.debtor_id);
  }

  async ping() {
    await sql\`select 1\`.execute(this.db);
  }

  async close() {
    await this.db.destroy();
  }
}
`;

const contractTest = (n: SubgraphNames) => `import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BaseContext } from '@apollo/server';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devKeyFiles, PROVINCE_VIEWER, readJwks, readPrivateKey, SubgraphTokenSigner } from '../../lib/auth';
import { SUBGRAPH_RUNTIMES } from '../../lib/config';
import type { RunningServer, SubgraphModule } from '../../lib/subgraphServer';
import { serveSubgraphOn } from '../../lib/subgraphRuntime';
import { ${n.camel}FromFile } from '../../subgraphs/${n.name}/server';
import { testDataDir } from '../support/graph';

/**
 * The ${n.name} subgraph's contract, as the gateway calls it: \`_entities\` for \`Debtor\` over real HTTP with the
 * gateway's token, on both runtimes, over a database of the test's own (created with its table on first open).
 */
const dir = mkdtempSync(path.join(os.tmpdir(), '${n.name}-contract-'));
const file = path.join(dir, '${n.name}.db');
const served: { module: SubgraphModule<BaseContext>; server: RunningServer }[] = [];
let signer: SubgraphTokenSigner;

beforeAll(async () => {
  const keys = devKeyFiles(testDataDir());
  const { key, kid } = await readPrivateKey(keys.gatewayPrivate);
  signer = new SubgraphTokenSigner(key, kid);
  for (const runtime of SUBGRAPH_RUNTIMES) {
    const module = ${n.camel}FromFile(file);
    served.push({ module, server: await serveSubgraphOn(runtime, module, { port: 0, host: '127.0.0.1', gatewayKeys: readJwks(keys.gatewayJwks) }) });
  }
  const db = new Database(file);
  const insert = db.prepare('insert into ${n.table} (id, debtor_id, recorded_at, summary) values (?, ?, ?, ?)');
  insert.run('E1', '11010519491231002X', '2026-01-05', 'first');
  insert.run('E2', '11010519491231002X', '2026-03-01', 'second');
  insert.run('E3', '91510100MA61R8XK4X', '2026-02-01', 'another debtor');
  db.close();
});

afterAll(async () => {
  for (const { module, server } of served) {
    await server.close();
    await module.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: \`Bearer \${await signer.tokenFor(PROVINCE_VIEWER, '${n.name}')}\` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, json: (await res.json()) as { data?: any; errors?: any[] } };
}

describe('${n.name} _entities', () => {
  it('resolves Debtor by id with its entries, newest first, on every runtime alike', async () => {
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Debtor { id ${n.entriesField} { id recordedAt summary } } } }';
    const r = [
      { __typename: 'Debtor', id: '11010519491231002X' },
      { __typename: 'Debtor', id: '91510100MA61R8XK40' },
    ];
    const answers = await Promise.all(served.map(({ server }) => post(server.url, query, { r })));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({
        data: {
          _entities: [
            {
              id: '11010519491231002X',
              ${n.entriesField}: [
                { id: 'E2', recordedAt: '2026-03-01', summary: 'second' },
                { id: 'E1', recordedAt: '2026-01-05', summary: 'first' },
              ],
            },
            { id: '91510100MA61R8XK40', ${n.entriesField}: [] },
          ],
        },
      });
    }
  });

  it('refuses a malformed debtor identifier, naming the field', async () => {
    const answer = await post(served[0]!.server.url, 'query ($id: ID!) { ${n.entriesField}(debtorId: $id) { id } }', { id: 'not-an-id' });
    expect(answer.json.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'debtorId' });
  });
});
`;
