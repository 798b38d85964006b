import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { openCaseRegistrySqlite, type SqlCaseRegistry } from '../../subgraphs/case-registry/sources/sqlite';
import { DIALECTS, copyTestProvince, databasesFor, postGraphQL, startGraphOn, startTestGraph } from '../support/graph';

/**
 * debtorSearch's name index (issue 18, ADR 26): on a private copy of the test province, whose index the seeder built,
 * the index-backed search gives the persons the plain LIKE scan gives, in its order, for queries of one, two and more
 * characters; a person written after the index was built, and one renamed, are found under their new names through
 * the gateway.
 */

let dir: string;
let registry: Database.Database;
let source: SqlCaseRegistry;
let graph: RunningGraph;

const NEW_ID = 'NAME-SEARCH-NEW-1';
const NEW_NAME = '索引后写入鑫垚建材';

/** The statement debtorSearch ran before the index: every debtor whose key contains the text, exact first, shortest next. */
function reference(nameKey: string, limit: number): string[] {
  const pattern = `%${nameKey.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return (
    registry
      .prepare(
        `select id from persons where name_key like ? escape '\\'
           and exists (select 1 from case_parties d where d.person_id = persons.id and d.role = 'DEBTOR')
         order by name_key = ? desc, length(name_key), id limit ?`,
      )
      .all(pattern, nameKey, limit) as { id: string }[]
  ).map((r) => r.id);
}

beforeAll(async () => {
  dir = copyTestProvince();
  registry = new Database(path.join(dir, 'case-registry.db'));
  const indexed = registry.prepare(`select count(*) n from persons_name_search`).get() as { n: number };
  expect(indexed.n).toBeGreaterThan(0);
  // Written after the index was built: a new debtor, and an existing one renamed.
  registry
    .prepare(`insert into persons (id, kind, name, name_key, division_code, out_of_province) values (?, 'LEGAL_PERSON', ?, ?, '510104', 0)`)
    .run(NEW_ID, NEW_NAME, NEW_NAME);
  const someCase = registry.prepare(`select number from cases order by number limit 1`).get() as { number: string };
  registry
    .prepare(
      `insert into case_parties (case_number, role, position, person_id, name, name_key, kind, division_code)
       values (?, 'DEBTOR', 99, ?, ?, ?, 'LEGAL_PERSON', '510104')`,
    )
    .run(someCase.number, NEW_ID, NEW_NAME, NEW_NAME);
  source = openCaseRegistrySqlite(path.join(dir, 'case-registry.db'));
  graph = await startGraphOn(dir);
});

afterAll(async () => {
  await graph?.close();
  registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ids = async (q: string, limit: number) => (await source.searchByNameKey(q, limit)).persons.map((p) => p.id);

describe('debtorSearch through the name index answers as the LIKE scan', () => {
  it('two characters (建设: through the index vocabulary), in the same order, at several limits', async () => {
    for (const limit of [1, 20, 200]) {
      const want = reference('建设', limit);
      expect(want.length).toBeGreaterThan(0);
      expect(await ids('建设', limit)).toEqual(want);
    }
  });

  it('three characters and more (phrases of trigrams), and a key ending in the two characters searched', async () => {
    const sample = registry
      .prepare(
        `select name_key from persons where length(name_key) >= 4
           and exists (select 1 from case_parties d where d.person_id = persons.id and d.role = 'DEBTOR')
         order by id limit 5`,
      )
      .all() as { name_key: string }[];
    expect(sample.length).toBe(5);
    for (const { name_key } of sample) {
      const chars = [...name_key];
      for (const q of [chars.slice(0, 3).join(''), chars.slice(1, 4).join(''), name_key, chars.slice(-2).join('')]) {
        const want = reference(q, 50);
        expect(want.length, q).toBeGreaterThan(0);
        expect(await ids(q, 50), q).toEqual(want);
      }
    }
  });

  it('one character (LIKE without the index), and text no key holds', async () => {
    expect(await ids('建', 30)).toEqual(reference('建', 30));
    expect(await ids('不存在的名字', 30)).toEqual([]);
    expect(await ids('"\'%_', 30)).toEqual(reference('"\'%_', 30));
  });

  it('a person written after the index was built, and one renamed, are found by two and by three characters', async () => {
    for (const q of ['鑫垚', '垚建材', NEW_NAME]) expect(await ids(q, 20), q).toContain(NEW_ID);
    const renamed = registry
      .prepare(
        `select id, name_key from persons where id != ?
         and exists (select 1 from case_parties d where d.person_id = persons.id and d.role = 'DEBTOR') order by id limit 1`,
      )
      .get(NEW_ID) as {
      id: string;
      name_key: string;
    };
    registry.prepare(`update persons set name_key = ? where id = ?`).run('改名后淼焱商贸', renamed.id);
    expect(await ids('淼焱', 20)).toContain(renamed.id);
    expect(await ids('淼焱商贸', 20)).toContain(renamed.id);
    expect(await ids(renamed.name_key, 1000)).not.toContain(renamed.id);
    expect(await ids(renamed.name_key, 1000)).toEqual(reference(renamed.name_key, 1000));
  });

  it('through the gateway, the new debtor is a match for two characters of its name and for three', async () => {
    for (const q of ['鑫垚', '鑫垚建材']) {
      const r = await postGraphQL<{ debtorSearch: { name: string; debtor: { id: string } | null }[] }>(
        graph.gateway.url,
        'query ($n: String!) { debtorSearch(name: $n, first: 20) { name debtor { id } } }',
        { n: q },
      );
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.debtorSearch.map((m) => m.debtor?.id)).toContain(NEW_ID);
    }
  });
});

describe('debtorSearch on SQLite (the trigram FTS table) and on PostgreSQL (pg_trgm) gives the same answers', () => {
  const graphs: RunningGraph[] = [];
  beforeAll(async () => {
    for (const dialect of DIALECTS) graphs.push(await startTestGraph({ databases: databasesFor(dialect) }));
  });
  afterAll(async () => {
    for (const g of graphs) await g.close();
  });

  it.each(['建设', '建设工程', '成都', '四川'])('%s', async (q) => {
    const answers = [];
    for (const g of graphs) {
      const r = await postGraphQL<{ debtorSearch: { name: string; candidate: boolean; debtor: { id: string } | null }[] }>(
        g.gateway.url,
        'query ($n: String!) { debtorSearch(name: $n, first: 20) { name candidate confidence debtor { id } cases { number } } }',
        { n: q },
      );
      expect(r.body.errors).toBeUndefined();
      answers.push(r.body.data!);
    }
    expect(answers[0]!.debtorSearch.filter((m) => m.debtor).length).toBeGreaterThan(0);
    expect(answers[1]).toEqual(answers[0]);
  });
});
