import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCaseNumber } from '../../domain/caseNumber';
import { addMonths } from '../../domain/dates';
import { parseDebtorId } from '../../domain/identifiers';
import { checkDisposalStep, type DisposalStepFact } from '../../domain/disposal';
import { MAX_PERIOD_MONTHS, type PropertyKind } from '../../domain/measures';
import { SYSTEMS, databaseFile } from '../../lib/dataFiles';
import { generateProvince, isSeeded } from '../../seed/province';
import type { CasePartyRow, CaseRow, PersonRow } from '../../subgraphs/case-registry/sources/ddl';
import type { DisposalStepRow, MeasureRow, PropertyRow } from '../../subgraphs/property-control/sources/ddl';

const AS_OF = '2026-06-30';
const dirs: string[] = [];
const seedInto = async (cases: number, seed: number) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gen-test-'));
  dirs.push(dir);
  await generateProvince({ dataDir: dir, cases, seed, asOf: AS_OF });
  return dir;
};
const open = (dir: string, system: (typeof SYSTEMS)[number]) => new Database(databaseFile(dir, system), { readonly: true });

let dir: string;
let registry: Database.Database;
let property: Database.Database;
let personnel: Database.Database;

beforeAll(async () => {
  dir = await seedInto(6000, 11);
  registry = open(dir, 'case-registry');
  property = open(dir, 'property-control');
  personnel = open(dir, 'personnel');
});
afterAll(() => {
  for (const db of [registry, property, personnel]) db?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('generated province invariants', () => {
  it('writes all three systems and the requested number of cases', () => {
    expect(isSeeded(dir)).toBe(true);
    expect((registry.prepare('select count(*) n from cases').get() as { n: number }).n).toBe(6000);
    expect((registry.prepare('select count(*) n from courts').get() as { n: number }).n).toBe(211);
  });

  it('gives every identified party a valid identifier of its recorded kind', () => {
    const rows = registry.prepare('select id, kind from persons').all() as Pick<PersonRow, 'id' | 'kind'>[];
    expect(rows.length).toBeGreaterThan(1000);
    for (const r of rows) expect(parseDebtorId(r.id, 'id', new Date(`${AS_OF}T00:00:00Z`)).kind).toBe(r.kind);
  });

  it('numbers every case in the real format, its parts equal to its columns', () => {
    const rows = registry.prepare('select number, year, court_code, type_code, sequence, filed_at from cases').all() as Pick<
      CaseRow,
      'number' | 'year' | 'court_code' | 'type_code' | 'sequence' | 'filed_at'
    >[];
    for (const r of rows) {
      const parsed = parseCaseNumber(r.number, 'number', new Date(`${AS_OF}T00:00:00Z`));
      expect([parsed.number, parsed.year, parsed.courtCode, parsed.typeCode, parsed.sequence]).toEqual([
        r.number,
        r.year,
        r.court_code,
        r.type_code,
        r.sequence,
      ]);
      expect(r.filed_at.slice(0, 4)).toBe(String(r.year));
      expect(r.filed_at <= AS_OF).toBe(true);
    }
  });

  it('restarts sequences at 1 each year per court and type code, with no gaps', () => {
    const groups = registry
      .prepare(
        'select court_code, year, type_code, min(sequence) lo, max(sequence) hi, count(*) n from cases group by court_code, year, type_code',
      )
      .all() as { lo: number; hi: number; n: number }[];
    expect(groups.length).toBeGreaterThan(100);
    for (const g of groups) expect([g.lo, g.hi]).toEqual([1, g.n]);
    const years = registry.prepare(`select count(distinct year) y from cases where court_code = '川0105' and type_code = '执'`).get() as {
      y: number;
    };
    expect(years.y).toBeGreaterThan(1);
  });

  it('never gives a measure a period longer than the legal maximum for its asset kind', () => {
    const rows = property
      .prepare(
        'select m.imposed_at, m.period_starts_at, m.expires_at, m.waiting, p.kind from measures m join properties p on p.id = m.property_id',
      )
      .all() as (Pick<MeasureRow, 'imposed_at' | 'period_starts_at' | 'expires_at' | 'waiting'> & Pick<PropertyRow, 'kind'>)[];
    expect(rows.length).toBeGreaterThan(500);
    for (const m of rows) {
      if (m.waiting) {
        expect([m.period_starts_at, m.expires_at]).toEqual([null, null]);
        continue;
      }
      expect(m.period_starts_at! >= m.imposed_at).toBe(true);
      expect(m.expires_at! <= addMonths(m.period_starts_at!, MAX_PERIOD_MONTHS[m.kind])).toBe(true);
    }
    // The province has the cases the rules care about: some lapsed, some expiring within 30 days.
    const lapsed = property
      .prepare(`select count(*) n from measures where waiting = 0 and released_at is null and expires_at < ?`)
      .get(AS_OF) as { n: number };
    const expiring = property
      .prepare(`select count(*) n from measures where released_at is null and expires_at between ? and date(?, '+30 days')`)
      .get(AS_OF, AS_OF) as { n: number };
    expect(lapsed.n).toBeGreaterThan(0);
    expect(expiring.n).toBeGreaterThan(0);
  });

  it('records disposal steps in legal order within the price limits, a deposit deducted in one step (issue 15 item 10)', () => {
    const steps = property
      .prepare(
        `select s.property_id, s.seq, s.step, s.method, s.price, s.occurred_at, s.outcome, p.kind
           from disposal_steps s join properties p on p.id = s.property_id order by s.property_id, s.seq`,
      )
      .all() as (Pick<DisposalStepRow, 'property_id' | 'seq' | 'step' | 'method' | 'occurred_at' | 'outcome'> & {
      price: number;
      kind: PropertyKind;
    })[];
    expect(steps.length).toBeGreaterThan(50);
    const byProperty = new Map<string, typeof steps>();
    for (const s of steps) byProperty.set(s.property_id, [...(byProperty.get(s.property_id) ?? []), s]);
    let deducted = 0;
    for (const list of byProperty.values()) {
      // Each step is one the write path would accept after the ones before it (domain/disposal.ts).
      const history: DisposalStepFact[] = [];
      for (const s of list) {
        const step = { stage: s.step, method: s.method, price: s.price, occurredAt: s.occurred_at, succeeded: s.outcome === 'DONE' };
        expect(() => checkDisposalStep(history, step, AS_OF, s.property_id, s.kind)).not.toThrow();
        history.push(step);
      }
      if (list[0]!.kind === 'BANK_DEPOSIT') {
        expect(list.map((s) => [s.step, s.outcome])).toEqual([['DEDUCTION', 'DONE']]);
        deducted++;
      } else expect(list[0]!.step).toBe('REFERENCE_PRICE');
    }
    expect(deducted).toBeGreaterThan(50);
  });

  it('files reconsideration and supervision cases only above the basic level', () => {
    const n = registry
      .prepare(
        `select count(*) n from cases c join courts k on k.code = c.court_code where c.type_code in ('执复', '执监') and k.level = 'BASIC'`,
      )
      .get() as { n: number };
    const above = registry.prepare(`select count(*) n from cases where type_code in ('执复', '执监')`).get() as { n: number };
    expect(n.n).toBe(0);
    expect(above.n).toBeGreaterThan(0);
  });

  it('never starts a measure’s period after its release', () => {
    const bad = property
      .prepare(
        `select count(*) n from measures where released_at is not null and period_starts_at is not null and released_at < period_starts_at`,
      )
      .get() as { n: number };
    expect(bad.n).toBe(0);
  });

  it('moves transferred cases by lineage: closed as terminated at the sender, continued at the receiver', () => {
    const moved = registry
      .prepare(
        `select f.status, f.closure, f.closed_at, n.filed_at, n.lineage_root, f.lineage_root root, n.transferred_from, f.number, t.decided_at, n.court_code, t.receiving_court
                from transfer_cases tc join transfers t on t.id = tc.transfer_id join cases f on f.number = tc.from_case join cases n on n.number = tc.to_case`,
      )
      .all() as Record<string, string>[];
    expect(moved.length).toBeGreaterThan(10);
    for (const m of moved) {
      expect([m.status, m.closure, m.closed_at]).toEqual(['CLOSED', 'TERMINATED', m.decided_at]);
      expect([m.filed_at, m.lineage_root, m.transferred_from, m.court_code]).toEqual([m.decided_at, m.root, m.number, m.receiving_court]);
    }
  });

  it('closes only closed cases, and never recovers more than is due', () => {
    const bad = registry
      .prepare(
        `select count(*) n from cases where (status = 'CLOSED') != (closure is not null) or (closed_at is not null) != (status = 'CLOSED') or closed_at < filed_at or amount_recovered > amount_due`,
      )
      .get() as { n: number };
    expect(bad.n).toBe(0);
    const conduct = registry
      .prepare(`select count(*) n, sum(amount_due is not null) withAmount from cases where obligation = 'CONDUCT'`)
      .get() as { n: number; withAmount: number };
    expect(conduct.n).toBeGreaterThan(0);
    expect(conduct.withAmount).toBe(0);
  });

  it('has a heavy tail: a debtor with ten or more unclosed cases in several courts of two or three prefectures (issue 15 item 8)', () => {
    // Cases as filed (a transfer's continuation counts with the case it continues).
    const series = registry
      .prepare(
        `select p.person_id, count(*) n, count(distinct c.court_code) courts, count(distinct coalesce(k.prefecture, k.code)) prefectures
         from case_parties p join cases c on c.number = p.case_number join courts k on k.code = c.court_code
         where p.role = 'DEBTOR' and p.position = 0 and p.person_id is not null and c.status != 'CLOSED' and c.transferred_from is null
         group by p.person_id having count(*) >= 10 order by prefectures desc, n desc`,
      )
      .all() as { n: number; courts: number; prefectures: number }[];
    expect(series.length).toBeGreaterThan(0);
    // A real series concentrates: 138 cases in 11 courts of 3 prefectures, never dozens of courts all over the province.
    expect(series[0]!.prefectures).toBeGreaterThanOrEqual(2);
    for (const s of series) {
      expect(s.prefectures).toBeLessThanOrEqual(3);
      expect(s.courts).toBeGreaterThanOrEqual(2);
      expect(s.courts).toBeLessThanOrEqual(12);
    }
    const single = registry
      .prepare(
        `select count(*) n from (select person_id from case_parties where role = 'DEBTOR' and person_id is not null group by person_id having count(*) = 1)`,
      )
      .get() as { n: number };
    expect(single.n).toBeGreaterThan(500);
  });

  it('staffs every court, with leaders among the enforcement staff', () => {
    const courts = personnel
      .prepare(
        `select court_code, sum(enforcement) staff, sum(post in ('BUREAU_CHIEF','DEPUTY_BUREAU_CHIEF','TRIBUNAL_CHIEF')) leaders from officers group by court_code`,
      )
      .all() as { staff: number; leaders: number }[];
    // Every court but the three functional-area courts, which the generator leaves empty (docs/courts.md).
    expect(courts).toHaveLength(211 - 3);
    for (const c of courts) {
      expect(c.staff).toBeGreaterThan(3);
      expect(c.leaders).toBeGreaterThan(0);
    }
  });

  it('keeps unidentified debtor records as name variants, never with an identifier', () => {
    const rows = registry.prepare(`select name, name_key from case_parties where role = 'DEBTOR' and person_id is null`).all() as Pick<
      CasePartyRow,
      'name' | 'name_key'
    >[];
    expect(rows.length).toBeGreaterThan(20);
    const linkable = rows.filter(
      (r) => (registry.prepare('select 1 from persons where name_key = ?').get(r.name_key) as unknown) !== undefined,
    );
    expect(linkable.length).toBeGreaterThan(rows.length / 2);
  });
});

describe('determinism', () => {
  const digest = (d: string) => {
    const h = createHash('sha256');
    for (const system of SYSTEMS) {
      const db = open(d, system);
      const tables = // The schema steps' record says when they were applied, not what was generated.
        (
          db
            .prepare(
              // Ordinary tables: a full-text index (virtual, with its shadow tables) is derived from them.
              `select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%' and name != 'schema_migrations' order by name`,
            )
            .all() as {
            name: string;
          }[]
        ).map((t) => t.name);
      for (const t of tables) for (const row of db.prepare(`select * from ${t} order by 1, 2, 3`).iterate()) h.update(JSON.stringify(row));
      db.close();
    }
    return h.digest('hex');
  };

  it('produces identical databases from the same seed and different ones from another seed', async () => {
    const a = await seedInto(1500, 5);
    const b = await seedInto(1500, 5);
    const c = await seedInto(1500, 6);
    expect(digest(a)).toBe(digest(b));
    expect(digest(a)).not.toBe(digest(c));
  });
});
