import { sql } from 'kysely';
import type Database from 'better-sqlite3';
import { dialectOf, keyIn, openPostgres, postgresWritesPending } from '../../../lib/database';
import { migrateSqliteDatabase } from '../../../lib/migrations';
import { openSqlite, SqliteStatements, type OpenOptions } from '../../../lib/sqlite';
import { type CandidateSnapshot, type CoordinationDatabase } from './ddl';
import { COORDINATION_MIGRATIONS } from './migrations';
import type { AssessmentIndexStore, ChangePositions } from './source';

/** Coordination's read models in their own SQLite file (created empty when missing). */
export function openCoordinationSqlite(file: string, opts: OpenOptions = {}): AssessmentIndexStore {
  // On PostgreSQL the read models are read there; the index's synchronous writes have no connection yet (lib/database.ts).
  const { db, raw } = opts.postgres
    ? { db: openPostgres<CoordinationDatabase>(opts.postgres, opts).db, raw: postgresWritesPending<Database.Database>() }
    : openSqlite<CoordinationDatabase>(file, {
        ...opts,
        create: true,
        migrate: (r) => {
          migrateSqliteDatabase(r, COORDINATION_MIGRATIONS);
          opts.migrate?.(r);
        },
      });
  // Writes are typed Kysely statements run synchronously on the raw handle (one transaction each).
  const statements = new SqliteStatements<CoordinationDatabase>(raw);
  const rows = {
    courtLoad: statements.writer('court_loads'),
    candidate: statements.writer('assessment_index'),
    upsertCandidate: statements.writer('assessment_index', { keys: ['debtor_id'] }),
    meta: statements.writer('assessment_meta', { keys: ['key'] }),
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

    replaceCourtLoads(loads) {
      statements.transaction(() => {
        statements.run(statements.db.deleteFrom('court_loads'));
        for (const c of loads.courts) {
          rows.courtLoad({
            code: c.code,
            level: c.level,
            prefecture: c.prefecture,
            division_code: c.divisionCode,
            open_case_count: c.openCaseCount,
            enforcement_staff_count: c.enforcementStaffCount,
          });
        }
        rows.meta({ key: 'loads_at', value: loads.at });
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
      let q = db.selectFrom('assessment_index').selectAll();
      if (filter.ruleBit !== null) q = q.where(sql<boolean>`(rule_mask & ${filter.ruleBit}) != 0`);
      if (filter.prefecture !== null) q = q.where('prefectures', 'like', `%|${filter.prefecture}|%`);
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

    replace(candidates, meta) {
      // Synchronous on the raw handle: one transaction, so a killed build leaves the previous index in place.
      statements.transaction(() => {
        statements.run(statements.db.deleteFrom('assessment_index'));
        for (const r of candidates) {
          rows.candidate({
            debtor_id: r.debtor_id,
            urgency: r.urgency,
            rule_mask: r.rule_mask,
            prefectures: r.prefectures,
            recommended_mode: r.recommended_mode,
            snapshot: JSON.stringify(r.snapshot),
          });
        }
        rows.meta({ key: 'assessed_on', value: meta.assessedOn });
        rows.meta({ key: 'config_version', value: meta.configVersion });
        rows.meta({ key: 'built_at', value: meta.builtAt });
        rows.meta({ key: 'debtors_scanned', value: String(meta.debtorsScanned) });
        if (meta.changesAfter) rows.meta({ key: 'changes_after', value: JSON.stringify(meta.changesAfter) });
      });
    },

    async changePositions() {
      const row = await db.selectFrom('assessment_meta').select('value').where('key', '=', 'changes_after').executeTakeFirst();
      return row ? (JSON.parse(row.value) as ChangePositions) : null;
    },

    refresh(candidates, removed, changesAfter) {
      statements.transaction(() => {
        if (removed.length)
          statements.run(
            statements.db.deleteFrom('assessment_index').where((eb) => keyIn(dialectOf(statements.db), eb, 'debtor_id', removed)),
          );
        for (const r of candidates) rows.upsertCandidate({ ...r, snapshot: JSON.stringify(r.snapshot) });
        rows.meta({ key: 'changes_after', value: JSON.stringify(changesAfter) });
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
