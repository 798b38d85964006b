import { sql } from 'kysely';
import { openSqlite, type OpenOptions } from '../../../lib/sqlite';
import { COORDINATION_TABLES, type CandidateSnapshot, type CoordinationDatabase } from './ddl';
import type { AssessmentIndexStore } from './source';

/** Coordination's read models in their own SQLite file (created empty when missing). */
export function openCoordinationSqlite(file: string, opts: OpenOptions = {}): AssessmentIndexStore {
  const { db, raw } = openSqlite<CoordinationDatabase>(file, { ...opts, ddl: COORDINATION_TABLES });
  // The index is derived data: an index of an older layout is dropped, to be rebuilt by the next pass.
  const columns = (raw.prepare('pragma table_info(assessment_index)').all() as { name: string }[]).map((c) => c.name);
  if (!columns.includes('snapshot')) {
    raw.exec("drop table assessment_index; delete from assessment_meta where key = 'assessed_on';");
    raw.exec(COORDINATION_TABLES);
  }
  return {
    async courtLoads() {
      const [rows, at] = await Promise.all([
        db.selectFrom('court_loads').selectAll().execute(),
        db.selectFrom('assessment_meta').select('value').where('key', '=', 'loads_at').executeTakeFirst(),
      ]);
      if (!at || rows.length === 0) return null;
      return {
        at: at.value,
        courts: rows.map((r) => ({ code: r.code, level: r.level, prefecture: r.prefecture, divisionCode: r.division_code, openCaseCount: r.open_case_count, enforcementStaffCount: r.enforcement_staff_count })),
      };
    },

    replaceCourtLoads(loads) {
      const insert = raw.prepare('insert into court_loads values (?, ?, ?, ?, ?, ?)');
      raw.transaction(() => {
        raw.exec('delete from court_loads');
        for (const c of loads.courts) insert.run(c.code, c.level, c.prefecture, c.divisionCode, c.openCaseCount, c.enforcementStaffCount);
        raw.prepare('insert or replace into assessment_meta values (?, ?)').run('loads_at', loads.at);
      })();
    },

    async meta() {
      const rows = await db.selectFrom('assessment_meta').selectAll().execute();
      const m = new Map(rows.map((r) => [r.key, r.value]));
      if (!m.has('assessed_on')) return null;
      return { assessedOn: m.get('assessed_on')!, configVersion: m.get('config_version')!, builtAt: m.get('built_at')!, debtorsScanned: Number(m.get('debtors_scanned')) };
    },

    async page(filter, first, after) {
      let q = db.selectFrom('assessment_index').selectAll();
      if (filter.ruleBit !== null) q = q.where(sql<boolean>`(rule_mask & ${filter.ruleBit}) != 0`);
      if (filter.prefecture !== null) q = q.where('prefectures', 'like', `%|${filter.prefecture}|%`);
      if (after) {
        q = q.where((eb) => eb.or([eb('urgency', '<', after.urgency), eb.and([eb('urgency', '=', after.urgency), eb('debtor_id', '>', after.debtorId)])]));
      }
      const rows = await q.orderBy('urgency', 'desc').orderBy('debtor_id').limit(first + 1).execute();
      return {
        rows: rows.slice(0, first).map((r) => ({ ...r, snapshot: JSON.parse(r.snapshot) as CandidateSnapshot })),
        hasNextPage: rows.length > first,
      };
    },

    replace(rows, meta) {
      // Synchronous on the raw handle: one transaction, so a killed build leaves the previous index in place.
      const insert = raw.prepare('insert into assessment_index values (?, ?, ?, ?, ?, ?)');
      const setMeta = raw.prepare('insert or replace into assessment_meta values (?, ?)');
      raw.transaction(() => {
        raw.exec('delete from assessment_index');
        for (const r of rows) insert.run(r.debtor_id, r.urgency, r.rule_mask, r.prefectures, r.recommended_mode, JSON.stringify(r.snapshot));
        setMeta.run('assessed_on', meta.assessedOn);
        setMeta.run('config_version', meta.configVersion);
        setMeta.run('built_at', meta.builtAt);
        setMeta.run('debtors_scanned', String(meta.debtorsScanned));
      })();
    },

    async ping() {
      await sql`select 1`.execute(db);
    },

    async close() {
      await db.destroy();
    },
  };
}
