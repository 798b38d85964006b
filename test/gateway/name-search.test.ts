import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { openCaseRegistrySqlite, type SqlCaseRegistry } from '../../subgraphs/case-registry/sources/sqlite';
import { DIALECTS, copyTestProvince, databasesFor, postGraphQL, startGraphOn, startTestGraph } from '../support/graph';

/**
 * debtorSearch's name index (issue 18, ADR 26: the gram tables, read in the answer's order): on a private copy of the
 * test province, whose gram tables the seeder built, the search gives the persons and the unidentified debtor parties
 * the plain LIKE scans give, in their order, at several `first`, for queries of one, two and more characters; rows
 * written after the build (a new debtor, a renamed one, a deleted one, unidentified parties added, renamed and
 * identified) are found as LIKE finds them, and the tables the triggers kept equal the grams computed afresh.
 */

let dir: string;
let registry: Database.Database;
let source: SqlCaseRegistry;
let graph: RunningGraph;

const NEW_ID = 'NAME-SEARCH-NEW-1';
const NEW_NAME = '索引后写入鑫垚建材';
const LIMITS = [1, 2, 20, 200];

const pattern = (nameKey: string) => `%${nameKey.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The statement debtorSearch ran before the index: every debtor whose key contains the text, exact first, shortest next. */
function reference(nameKey: string, limit: number): string[] {
  return (
    registry
      .prepare(
        `select id from persons where name_key like ? escape '\\'
           and exists (select 1 from case_parties d where d.person_id = persons.id and d.role = 'DEBTOR')
         order by name_key = ? desc, length(name_key), id limit ?`,
      )
      .all(pattern(nameKey), nameKey, limit) as { id: string }[]
  ).map((r) => r.id);
}

/** The unidentified debtor parties' statement before the index (its order, made total by the position). */
function referenceUnidentified(nameKey: string, limit: number): string[] {
  return (
    registry
      .prepare(
        `select case_number || '/' || position k from case_parties where person_id is null and role = 'DEBTOR'
           and name_key like ? escape '\\' order by name_key, case_number, position limit ?`,
      )
      .all(pattern(nameKey), limit) as { k: string }[]
  ).map((r) => r.k);
}

async function expectSameAsLike(q: string, limits = LIMITS) {
  for (const limit of limits) {
    const got = await source.searchByNameKey(q, limit);
    expect(
      got.persons.map((p) => p.id),
      `${q} first ${limit}`,
    ).toEqual(reference(q, limit));
    expect(
      got.unidentified.map((r) => `${r.case_number}/${r.position}`),
      `${q} unidentified, first ${limit}`,
    ).toEqual(referenceUnidentified(q, limit * 10));
  }
}

/** The grams of every key computed here (LIKE's folding: ASCII lower case), against what the tables hold. */
function expectGramTablesUpToDate() {
  const gramsOf = (key: string) => {
    const chars = [...key.replace(/[A-Z]/g, (c) => c.toLowerCase())];
    return new Set(chars.map((c, i) => c + (chars[i + 1] ?? '')));
  };
  const want: string[] = [];
  for (const p of registry.prepare(`select id, name_key from persons`).all() as { id: string; name_key: string }[])
    for (const g of gramsOf(p.name_key)) want.push(`${g}|${[...p.name_key].length}|${p.id}`);
  const have = (registry.prepare(`select gram, key_length, person_id from person_name_grams`).raw().all() as unknown[][]).map((r) =>
    r.join('|'),
  );
  expect(have.sort()).toEqual(want.sort());
  const wantParties: string[] = [];
  for (const d of registry
    .prepare(`select name_key, case_number, position from case_parties where person_id is null and role = 'DEBTOR'`)
    .all() as { name_key: string; case_number: string; position: number }[])
    for (const g of gramsOf(d.name_key)) wantParties.push(`${g}|${d.name_key}|${d.case_number}|${d.position}`);
  const haveParties = (
    registry.prepare(`select gram, name_key, case_number, position from party_name_grams`).raw().all() as unknown[][]
  ).map((r) => r.join('|'));
  expect(haveParties.sort()).toEqual(wantParties.sort());
}

beforeAll(async () => {
  dir = copyTestProvince();
  registry = new Database(path.join(dir, 'case-registry.db'));
  for (const table of ['person_name_grams', 'party_name_grams'])
    expect((registry.prepare(`select count(*) n from ${table}`).get() as { n: number }).n, table).toBeGreaterThan(0);
  source = openCaseRegistrySqlite(path.join(dir, 'case-registry.db'));
  graph = await startGraphOn(dir);
});

afterAll(async () => {
  await graph?.close();
  registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ids = async (q: string, limit: number) => (await source.searchByNameKey(q, limit)).persons.map((p) => p.id);

describe('debtorSearch through the gram tables answers as the LIKE scans', () => {
  it('the seeder built the tables as the grams of every key', () => {
    expectGramTablesUpToDate();
  });

  it('two characters, in the same order, at several limits (persons and unidentified parties)', async () => {
    for (const q of ['建设', '成都', '四川', '公司']) await expectSameAsLike(q);
    expect(reference('四川', 200).length).toBe(200); // more matches than the largest limit: the cut is tested
    expect(referenceUnidentified('四川', 200).length).toBeGreaterThan(20);
  });

  it('three characters and more, a whole key, and a key ending in the two characters searched', async () => {
    const sample = registry
      .prepare(
        `select name_key from persons where length(name_key) >= 4
           and exists (select 1 from case_parties d where d.person_id = persons.id and d.role = 'DEBTOR')
         order by id limit 5`,
      )
      .all() as { name_key: string }[];
    expect(sample.length).toBe(5);
    const parties = registry
      .prepare(
        `select name_key from case_parties where person_id is null and role = 'DEBTOR' and length(name_key) >= 4 order by case_number limit 3`,
      )
      .all() as { name_key: string }[];
    expect(parties.length).toBe(3);
    for (const { name_key } of [...sample, ...parties]) {
      const chars = [...name_key];
      for (const q of [chars.slice(0, 3).join(''), chars.slice(1, 4).join(''), name_key, chars.slice(-2).join('')]) {
        expect(reference(q, 50).length + referenceUnidentified(q, 50).length, q).toBeGreaterThan(0);
        await expectSameAsLike(q, [1, 50]);
      }
    }
  });

  it('a rare text whose first two characters are common: read through its rarest gram, the same answers', async () => {
    const keys = (
      registry
        .prepare(
          `select name_key from persons where name_key like '四川%' and length(name_key) >= 5
             and exists (select 1 from case_parties d where d.person_id = persons.id and d.role = 'DEBTOR')
           order by id limit 3`,
        )
        .all() as { name_key: string }[]
    ).map((r) => r.name_key);
    expect(keys.length).toBe(3);
    const count = registry.prepare(`select count(*) n from person_name_grams where gram = ?`);
    for (const key of keys) {
      const chars = [...key];
      const grams = chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
      const counts = grams.map((g) => (count.get(g) as { n: number }).n);
      // The first gram is not the rarest: the statement reads another one.
      expect(Math.min(...counts), key).toBeLessThan(counts[0]!);
      await expectSameAsLike(key, [1, 20]);
      await expectSameAsLike(chars.slice(0, 4).join(''), [1, 20]);
    }
  });

  it('one character (every gram starting with it), upper-case ASCII (LIKE folds it), and text no key holds', async () => {
    for (const q of ['建', '川', '司']) await expectSameAsLike(q, [1, 30]);
    expect(reference('川', 30).length).toBe(30);
    for (const q of ['不存在的名字', '"\'%_', '%', 'A', 'Ab']) await expectSameAsLike(q, [30]);
  });

  it('rows written after the build: a new debtor, a renamed and a deleted one, unidentified parties added, renamed and identified', async () => {
    registry
      .prepare(
        `insert into persons (id, kind, name, name_key, division_code, out_of_province) values (?, 'LEGAL_PERSON', ?, ?, '510104', 0)`,
      )
      .run(NEW_ID, NEW_NAME, NEW_NAME);
    const cases = registry.prepare(`select number from cases order by number limit 3`).all() as { number: string }[];
    const party = registry.prepare(
      `insert into case_parties (case_number, role, position, person_id, name, name_key, kind, division_code)
       values (?, 'DEBTOR', ?, ?, ?, ?, 'LEGAL_PERSON', '510104')`,
    );
    party.run(cases[0]!.number, 99, NEW_ID, NEW_NAME, NEW_NAME);
    for (const q of ['鑫垚', '垚建材', NEW_NAME]) expect(await ids(q, 20), q).toContain(NEW_ID);
    expect(await ids('材', 100_000)).toContain(NEW_ID); // one character: through every gram starting with it

    const [renamed, deleted] = registry
      .prepare(
        `select id, name_key from persons where id != ?
         and exists (select 1 from case_parties d where d.person_id = persons.id and d.role = 'DEBTOR') order by id limit 2`,
      )
      .all(NEW_ID) as { id: string; name_key: string }[];
    registry.prepare(`update persons set name_key = ? where id = ?`).run('改名后淼焱商贸', renamed!.id);
    expect(await ids('淼焱', 20)).toContain(renamed!.id);
    expect(await ids('淼焱商贸', 20)).toContain(renamed!.id);
    expect(await ids(renamed!.name_key, 1000)).not.toContain(renamed!.id);
    await expectSameAsLike(renamed!.name_key, [1000]);
    registry.prepare(`delete from persons where id = ?`).run(deleted!.id);
    expect(await ids(deleted!.name_key, 1000)).not.toContain(deleted!.id);

    // Unidentified debtor parties: one identified (it becomes a person's party), one added, one added then renamed.
    const identified = registry
      .prepare(
        `select case_number, position, name_key from case_parties where person_id is null and role = 'DEBTOR' order by case_number limit 1`,
      )
      .get() as { case_number: string; position: number; name_key: string };
    party.run(cases[1]!.number, 98, null, '无证号焱垚建材厂', '无证号焱垚建材厂');
    party.run(cases[2]!.number, 98, null, '无证号旧名', '无证号旧名');
    registry
      .prepare(`update case_parties set name_key = ? where case_number = ? and position = 98`)
      .run('无证号新名焱垚', cases[2]!.number);
    registry
      .prepare(`update case_parties set person_id = ? where case_number = ? and role = 'DEBTOR' and position = ?`)
      .run(NEW_ID, identified.case_number, identified.position);
    const found = (await source.searchByNameKey('焱垚', 20)).unidentified.map((r) => `${r.case_number}/${r.position}`);
    expect(found).toContain(`${cases[1]!.number}/98`);
    expect(found).toContain(`${cases[2]!.number}/98`);
    expect((await source.searchByNameKey('旧名', 20)).unidentified).toEqual([]);
    for (const q of ['焱垚', '无证号', identified.name_key]) await expectSameAsLike(q, [20]);
    expect(
      (await source.searchByNameKey(identified.name_key, 1000)).unidentified.map((r) => `${r.case_number}/${r.position}`),
    ).not.toContain(`${identified.case_number}/${identified.position}`);

    expectGramTablesUpToDate();
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

describe('debtorSearch on SQLite and on PostgreSQL (the gram tables both, filled by migrate-data through the triggers) gives the same answers', () => {
  const graphs: RunningGraph[] = [];
  beforeAll(async () => {
    for (const dialect of DIALECTS) graphs.push(await startTestGraph({ databases: databasesFor(dialect) }));
  });
  afterAll(async () => {
    for (const g of graphs) await g.close();
  });

  it.each(['建设', '建设工程', '成都', '四川'].flatMap((q) => [1, 20, 100].map((first) => [q, first] as const)))(
    '%s, first %i',
    async (q, first) => {
      const answers = [];
      for (const g of graphs) {
        const r = await postGraphQL<{ debtorSearch: { name: string; candidate: boolean; debtor: { id: string } | null }[] }>(
          g.gateway.url,
          'query ($n: String!, $first: Int) { debtorSearch(name: $n, first: $first) { name candidate confidence debtor { id } cases { number } } }',
          { n: q, first },
        );
        expect(r.body.errors).toBeUndefined();
        answers.push(r.body.data!);
      }
      expect(answers[0]!.debtorSearch.filter((m) => m.debtor).length).toBeGreaterThan(0);
      expect(answers[1]).toEqual(answers[0]);
    },
  );
});
