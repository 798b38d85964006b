import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { dataOf, execute, type ClientOptions } from '../../examples/front-end/src/client';
import { DebtorWalkDocument, FirstCandidatesDocument, RenewMeasureDocument } from '../../examples/front-end/generated/graphql';
import { copyTestProvince, startGraphOn, testToday, tokenFor } from '../support/graph';
import { ROOT } from '../support/processes';

/*
 * Issue 17 item 2: typed operations for front-end teams. The operations of examples/front-end, typed by the client
 * preset (examples/front-end/codegen.ts, generated/), run through the example's own client module against a real
 * graph over HTTP, and every answer is checked against the databases. The graph runs on a private copy of the test
 * province because one operation is a write.
 */

let dir: string;
let graph: RunningGraph;
let client: ClientOptions;
let registry: Database.Database;
let property: Database.Database;

beforeAll(async () => {
  dir = copyTestProvince();
  graph = await startGraphOn(dir);
  client = { url: graph.gateway.url, token: await tokenFor('川') };
  registry = new Database(path.join(dir, 'case-registry.db'), { readonly: true });
  property = new Database(path.join(dir, 'property-control.db'), { readonly: true });
});

afterAll(async () => {
  registry?.close();
  property?.close();
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('issue 17 item 2: the typed client runs the front-end’s operations', () => {
  it('the README’s debtor walk (DebtorWalkDocument) returns the debtor’s records', async () => {
    const { id } = property
      .prepare(
        `select p.owner_id id from properties p join measures m on m.property_id = p.id where p.owner_id is not null group by p.owner_id order by count(distinct m.court_code) desc, p.owner_id limit 1`,
      )
      .get() as { id: string };
    const result = await execute(client, DebtorWalkDocument, { id });
    expect(result.status).toBe(200);
    const debtor = dataOf(result).debtor!;
    const person = registry.prepare('select name from persons where id = ?').get(id) as { name: string };
    expect(debtor.id).toBe(id);
    expect(debtor.name).toBe(person.name);

    const cases = registry
      .prepare(
        `select c.number, c.court_code court from case_parties cp join cases c on c.number = cp.case_number where cp.person_id = ? and cp.role = 'DEBTOR' order by c.number`,
      )
      .all(id) as { number: string; court: string }[];
    expect(cases.length).toBeGreaterThan(1);
    expect(debtor.cases.map((c) => ({ number: c.number, court: c.court.code })).sort((a, b) => a.number.localeCompare(b.number))).toEqual(
      cases,
    );
    // Money travels as a decimal string, as the codegen maps it.
    for (const c of debtor.cases) expect(c.amountRecovered).toMatch(/^-?\d+(\.\d{1,2})?$/);

    const properties = (property.prepare('select id from properties where owner_id = ? order by id').all(id) as { id: string }[]).map(
      (r) => r.id,
    );
    expect(debtor.properties!.map((p) => p.id).sort()).toEqual(properties);
    const measures = property
      .prepare('select count(*) n from measures where property_id in (select id from properties where owner_id = ?)')
      .get(id) as {
      n: number;
    };
    expect(debtor.properties!.flatMap((p) => p.measures)).toHaveLength(measures.n);
    expect(debtor.transferAssessment.rules.length).toBeGreaterThan(0);
  });

  it('transferCandidates(first: 20) (FirstCandidatesDocument) returns a page of real debtors', async () => {
    const page = dataOf(await execute(client, FirstCandidatesDocument)).transferCandidates;
    expect(page.nodes.length).toBeGreaterThan(0);
    expect(page.nodes.length).toBeLessThanOrEqual(20);
    if (page.pageInfo.hasNextPage) expect(page.nodes).toHaveLength(20);
    expect(page.assessedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Set(page.nodes.map((n) => n.debtor.id)).size).toBe(page.nodes.length);
    const name = registry.prepare('select name from persons where id = ?');
    for (const n of page.nodes) {
      expect(n.rulesMet.length).toBeGreaterThan(0);
      expect(n.debtor.name).toBe((name.get(n.debtor.id) as { name: string }).name);
    }
  });

  it('the RenewMeasure mutation (RenewMeasureDocument) renews a measure in the property database', async () => {
    const m = property
      .prepare(
        `select id, expires_at, renewals from measures where released_at is null and waiting = 0 and expires_at >= ? order by id limit 1`,
      )
      .get(testToday()) as { id: string; expires_at: string; renewals: number };
    const next = new Date(`${m.expires_at}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 30);
    const expiresAt = next.toISOString().slice(0, 10);
    const input = { measureId: m.id, expiresAt, idempotencyKey: `typed-client-${m.id}` };

    const first = dataOf(await execute(client, RenewMeasureDocument, { input })).renewMeasure;
    expect(first).toEqual({ replayed: false, measure: { id: m.id, status: expect.any(String), expiresAt, renewals: m.renewals + 1 } });
    const row = property.prepare('select expires_at, renewals from measures where id = ?').get(m.id) as {
      expires_at: string;
      renewals: number;
    };
    expect(row).toEqual({ expires_at: expiresAt, renewals: m.renewals + 1 });

    const replay = dataOf(await execute(client, RenewMeasureDocument, { input })).renewMeasure;
    expect(replay.replayed).toBe(true);
    expect(replay.measure.renewals).toBe(m.renewals + 1);
  });

  it('a refusal comes back typed as errors with the catalogue’s code, not as data', async () => {
    const result = await execute(client, RenewMeasureDocument, {
      input: { measureId: 'no-such-measure', expiresAt: '2099-01-01', idempotencyKey: 'typed-client-missing' },
    });
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(result.errors![0]!.extensions?.code).toEqual(expect.any(String));
    expect(() => dataOf(result)).toThrow(/GraphQL request failed/);
  });
});

describe('issue 17 item 2: the generated types are real (tsc on a copy of examples/front-end)', () => {
  const TSC = path.join(ROOT, 'node_modules', 'typescript-native', 'bin', 'tsc');
  let tmp: string;

  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'court-graph-typed-'));
    cpSync(path.join(ROOT, 'examples', 'front-end', 'src'), path.join(tmp, 'src'), { recursive: true });
    cpSync(path.join(ROOT, 'examples', 'front-end', 'generated'), path.join(tmp, 'generated'), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
    writeFileSync(
      path.join(tmp, 'tsconfig.json'),
      JSON.stringify({
        extends: path.join(ROOT, 'tsconfig.json'),
        compilerOptions: { noEmit: true },
        include: ['src', 'generated', 'probe.ts'],
      }),
    );
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** tsc's exit status and output on the copy with `probe.ts` holding `body`. */
  function typecheck(body: string): { ok: boolean; output: string } {
    writeFileSync(
      path.join(tmp, 'probe.ts'),
      `import { execute } from './src/client';\nimport { DebtorWalkDocument, RenewMeasureDocument } from './generated/graphql';\n` +
        `const client = { url: 'http://127.0.0.1:4000/graphql', token: 't' };\nexport async function probe() {\n${body}\n}\n`,
    );
    try {
      return { ok: true, output: execFileSync(process.execPath, [TSC, '-p', tmp], { encoding: 'utf8' }) };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
    }
  }

  it('a probe using only selected fields type-checks', () => {
    const r = typecheck(
      `const r = await execute(client, DebtorWalkDocument, { id: 'P1' });\nconst n: string | undefined = r.data?.debtor?.cases[0]?.number;\nconst m: string = r.data!.debtor!.cases[0]!.amountRecovered;\nreturn [n, m];`,
    );
    expect(r.output).toBe('');
    expect(r.ok).toBe(true);
  });

  it('a field the operation did not select (or the schema lacks) fails tsc', () => {
    const r = typecheck(
      `const r = await execute(client, DebtorWalkDocument, { id: 'P1' });\nreturn r.data?.debtor?.cases[0]?.courtroomNumber;`,
    );
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/TS2339.*courtroomNumber/);
  });

  it('wrong or missing variables fail tsc', () => {
    // (ID's input type is `string | number` in codegen, as GraphQL's ID coerces both; a boolean is neither.)
    const wrongType = typecheck(`return execute(client, DebtorWalkDocument, { id: true });`);
    expect(wrongType.ok).toBe(false);
    expect(wrongType.output).toMatch(/TS2322/);
    const missing = typecheck(`return execute(client, RenewMeasureDocument);`);
    expect(missing.ok).toBe(false);
    expect(missing.output).toMatch(/TS2554|TS2345/);
  });
});
