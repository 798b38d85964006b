import { sql, type Insertable, type Kysely } from 'kysely';
import { dialectOf, keyIn, openPostgres } from '../../../lib/database';
import { migrateSqliteDatabase } from '../../../lib/migrations';
import { DEFAULT_BUSY_TIMEOUT_MS, openSqlite, type OpenOptions } from '../../../lib/sqlite';
import { WriteTransactions } from '../../../lib/writeTransaction';
import { type AssessmentIndexRow, type AssessmentMetaRow, type CandidateSnapshot, type CoordinationDatabase } from './ddl';
import { COORDINATION_MIGRATIONS } from './migrations';
import type { AssessmentIndexStore, CandidateFilter, ChangePositions } from './source';
import type { IndexedCandidate } from './ddl';

/** Rows per INSERT of the index's writes: a few thousand bound values, far below either dialect's limit. */
const ROWS_PER_INSERT = 500;

/** Coordination's read models in their own SQLite file (created empty when missing). */
export function openCoordinationSqlite(file: string, opts: OpenOptions = {}): AssessmentIndexStore {
  const { db } = opts.postgres
    ? { db: openPostgres<CoordinationDatabase>(opts.postgres, opts).db }
    : openSqlite<CoordinationDatabase>(file, {
        ...opts,
        create: true,
        migrate: (r) => {
          migrateSqliteDatabase(r, COORDINATION_MIGRATIONS);
          opts.migrate?.(r);
        },
      });
  // Writes are typed Kysely statements, one transaction each, on the reads' own instance (lib/writeTransaction).
  const writes = new WriteTransactions(db, opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  type Tx = Kysely<CoordinationDatabase>;
  const setMeta = (tx: Tx, entries: Partial<Record<AssessmentMetaRow['key'], string>>) =>
    tx
      .insertInto('assessment_meta')
      .values(Object.entries(entries).map(([key, value]) => ({ key: key as AssessmentMetaRow['key'], value: value! })))
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  /** Index rows in INSERTs of ROWS_PER_INSERT rows (6 columns each), an upsert on the debtor when `upsert`. */
  const insertCandidates = async (tx: Tx, candidates: Iterable<Insertable<AssessmentIndexRow>>, upsert: boolean) => {
    const flush = async (chunk: Insertable<AssessmentIndexRow>[]) => {
      if (chunk.length === 0) return;
      let q = tx.insertInto('assessment_index').values(chunk);
      if (upsert)
        q = q.onConflict((oc) =>
          oc.column('debtor_id').doUpdateSet((eb) => ({
            urgency: eb.ref('excluded.urgency'),
            rule_mask: eb.ref('excluded.rule_mask'),
            prefectures: eb.ref('excluded.prefectures'),
            recommended_mode: eb.ref('excluded.recommended_mode'),
            snapshot: eb.ref('excluded.snapshot'),
          })),
        );
      await q.execute();
    };
    let chunk: Insertable<AssessmentIndexRow>[] = [];
    for (const r of candidates) {
      chunk.push(r);
      if (chunk.length === ROWS_PER_INSERT) {
        await flush(chunk);
        chunk = [];
      }
    }
    await flush(chunk);
  };
  const indexRow = (r: IndexedCandidate): Insertable<AssessmentIndexRow> => ({
    debtor_id: r.debtor_id,
    urgency: r.urgency,
    rule_mask: r.rule_mask,
    prefectures: r.prefectures,
    recommended_mode: r.recommended_mode,
    snapshot: JSON.stringify(r.snapshot),
  });
  /** The index rows a filter admits: the one filter of a page and of its count. */
  const filtered = (filter: CandidateFilter) => {
    let q = db.selectFrom('assessment_index').selectAll();
    if (filter.ruleBit !== null) q = q.where(sql<boolean>`(rule_mask & ${filter.ruleBit}) != 0`);
    if (filter.prefecture !== null) q = q.where('prefectures', 'like', `%|${filter.prefecture}|%`);
    return q;
  };
  return {
    async courtLoads() {
      const [rows, at] = await Promise.all([
        db.selectFrom('court_loads').selectAll().execute(),
        db.selectFrom('assessment_meta').select('value').where('key', '=', 'loads_at').executeTakeFirst(),
      ]);
      if (!at || rows.length === 0) return null;
      return {
        at: at.value,
        courts: rows.map((r) => ({
          code: r.code,
          level: r.level,
          prefecture: r.prefecture,
          divisionCode: r.division_code,
          openCaseCount: r.open_case_count,
          enforcementStaffCount: r.enforcement_staff_count,
        })),
      };
    },

    async replaceCourtLoads(loads) {
      await writes.run(async (tx) => {
        await tx.deleteFrom('court_loads').execute();
        for (let i = 0; i < loads.courts.length; i += ROWS_PER_INSERT) {
          await tx
            .insertInto('court_loads')
            .values(
              loads.courts.slice(i, i + ROWS_PER_INSERT).map((c) => ({
                code: c.code,
                level: c.level,
                prefecture: c.prefecture,
                division_code: c.divisionCode,
                open_case_count: c.openCaseCount,
                enforcement_staff_count: c.enforcementStaffCount,
              })),
            )
            .execute();
        }
        await setMeta(tx, { loads_at: loads.at });
      });
    },

    async meta() {
      const rows = await db.selectFrom('assessment_meta').selectAll().execute();
      const m = new Map(rows.map((r) => [r.key, r.value]));
      if (!m.has('assessed_on')) return null;
      return {
        assessedOn: m.get('assessed_on')!,
        configVersion: m.get('config_version')!,
        builtAt: m.get('built_at')!,
        debtorsScanned: Number(m.get('debtors_scanned')),
      };
    },

    async page(filter, first, after) {
      let q = filtered(filter);
      if (after) {
        q = q.where((eb) =>
          eb.or([eb('urgency', '<', after.urgency), eb.and([eb('urgency', '=', after.urgency), eb('debtor_id', '>', after.debtorId)])]),
        );
      }
      const rows = await q
        .orderBy('urgency', 'desc')
        .orderBy('debtor_id')
        .limit(first + 1)
        .execute();
      return {
        rows: rows.slice(0, first).map((r) => ({ ...r, snapshot: JSON.parse(r.snapshot) as CandidateSnapshot })),
        hasNextPage: rows.length > first,
      };
    },

    async count(filter) {
      const row = await filtered(filter)
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async replace(candidates, meta) {
      // One transaction, so a killed build leaves the previous index in place.
      await writes.run(async (tx) => {
        await tx.deleteFrom('assessment_index').execute();
        await insertCandidates(
          tx,
          (function* () {
            for (const r of candidates) yield indexRow(r);
          })(),
          false,
        );
        await setMeta(tx, {
          assessed_on: meta.assessedOn,
          config_version: meta.configVersion,
          built_at: meta.builtAt,
          debtors_scanned: String(meta.debtorsScanned),
          ...(meta.changesAfter ? { changes_after: JSON.stringify(meta.changesAfter) } : {}),
        });
      });
    },

    async changePositions() {
      const row = await db.selectFrom('assessment_meta').select('value').where('key', '=', 'changes_after').executeTakeFirst();
      return row ? (JSON.parse(row.value) as ChangePositions) : null;
    },

    async refresh(candidates, removed, changesAfter) {
      await writes.run(async (tx) => {
        if (removed.length)
          await tx
            .deleteFrom('assessment_index')
            .where((eb) => keyIn(dialectOf(tx), eb, 'debtor_id', removed))
            .execute();
        await insertCandidates(tx, candidates.map(indexRow), true);
        await setMeta(tx, { changes_after: JSON.stringify(changesAfter) });
      });
    },

    async ping() {
      await sql`select 1`.execute(db);
    },

    async close() {
      await db.destroy();
    },
  };
}
