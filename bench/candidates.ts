import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { COORDINATION_DB, databaseFile } from '../lib/dataFiles';
import { startGraph } from '../scripts/graph';
import { generateProvince, isSeeded } from '../seed/province';
import { mintDevToken } from '../scripts/token';
import { buildAssessmentIndex, openAssessmentStore } from '../jobs/assess';

/**
 * Issue #3: the first page of transferCandidates (20 debtors with crossCourt and transferAssessment) through the
 * gateway over 1,000,000 cases, median under 150 ms; compared in the same run with the floor, the same figures
 * read as direct SQL on the same databases (the index page, then the cross-court case aggregate for its debtors).
 *
 * Usage: npx tsx bench/candidates.ts [--cases N] [--runs R]   (data kept in bench/.data/<N> between runs)
 */
const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const cases = arg('cases', 1_000_000);
const runs = arg('runs', 30);
const asOf = '2026-11-28';
const dataDir = path.resolve('bench/.data', String(cases));

const log = (s: string) => console.log(s);
log(`node ${process.version}, ${os.cpus().length} cores; ${cases} cases in ${dataDir}`);

if (!isSeeded(dataDir)) {
  const s = await generateProvince({ dataDir, cases, seed: 1, asOf });
  log(`seeded in ${(s.elapsedMs / 1000).toFixed(1)} s`);
}
const graph = await startGraph({ PORT: 0, HOST: '127.0.0.1', dataDir, AS_OF_DATE: asOf });
try {
  if (!existsSync(databaseFile(dataDir, COORDINATION_DB)) || !(await hasIndex())) {
    const index = openAssessmentStore(dataDir);
    const t = performance.now();
    const r = await buildAssessmentIndex({ gatewayUrl: graph.gateway.url, token: await graph.security.serviceToken(), index, today: asOf });
    await index.close();
    log(`assessment index: ${r.candidates} candidates of ${r.debtorsScanned} debtors in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  // The analyst is the high court, with a development token as a front-end would send.
  const token = await mintDevToken(
    { dataDir, AUTH_ISSUER: graph.security.client.issuer, AUTH_AUDIENCE: graph.security.client.audience },
    { court: '川', role: 'high' },
  );
  // The page as an analyst's list shows it: each candidate's figures and recommendation from the index.
  const QUERY = `{ transferCandidates(first: 20) { assessedOn nodes { urgency rulesMet recommendedMode explanation debtor { id name }
      summary { unclosedCaseCount courtCount prefectureCount outstandingAmount oldestUnclosedFiledAt idlePropertyCount idleSince sharedSeizureCount expiringMeasureCount }
      receivingCourts { court { code name } score factors { name weight value } } } } }`;
  // The same page with every candidate's live figures and full assessment recomputed from current facts.
  const LIVE_QUERY = `{ transferCandidates(first: 20) { nodes { urgency rulesMet debtor { id name
      crossCourt { unclosedCaseCount courtCount prefectureCount outstandingAmount oldestUnclosedFiledAt idlePropertyCount idleSince sharedSeizureCount expiringMeasureCount }
      transferAssessment { recommendedMode explanation rules { id met observed } receivingCourts { score } } } } } }`;
  const gatewayRun = async (query = QUERY) => {
    const t = performance.now();
    const res = await fetch(graph.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { errors?: unknown; data?: { transferCandidates: { nodes: { debtor: { id: string } }[] } } };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return { ms: performance.now() - t, ids: body.data!.transferCandidates.nodes.map((n) => n.debtor.id) };
  };

  const coordination = new Database(databaseFile(dataDir, COORDINATION_DB), { readonly: true });
  const registry = new Database(databaseFile(dataDir, 'case-registry'), { readonly: true });
  const page = coordination.prepare('select debtor_id from assessment_index order by urgency desc, debtor_id limit 20');
  const aggregate = registry.prepare(`
    select d.person_id, count(*), count(distinct c.executing_court), count(distinct coalesce(k.prefecture, k.code)),
           sum(coalesce(c.amount_due - c.amount_recovered, 0)), min(c.filed_at)
    from (select distinct person_id, case_number from case_parties where person_id in (select value from json_each(?)) and role = 'DEBTOR') d
    join cases c on c.number = d.case_number and c.status != 'CLOSED' join courts k on k.code = c.executing_court
    group by d.person_id`);
  const floorRun = () => {
    const t = performance.now();
    const ids = (page.all() as { debtor_id: string }[]).map((r) => r.debtor_id);
    aggregate.all(JSON.stringify(ids));
    return performance.now() - t;
  };

  // Warm-up: query planning, statement preparation, page cache. After a long index build the client's pooled
  // connection may have been closed by the server's keep-alive time-out; one retry opens a fresh one.
  await gatewayRun().catch(() => gatewayRun());
  await gatewayRun(LIVE_QUERY);
  floorRun();
  const gw: number[] = [];
  const live: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    gw.push((await gatewayRun()).ms);
    live.push((await gatewayRun(LIVE_QUERY)).ms);
    floor.push(floorRun());
  }
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: s[Math.floor(s.length / 2)]!, p90: s[Math.floor(s.length * 0.9)]! };
  };
  const g = stat(gw);
  const l = stat(live);
  const f = stat(floor);
  log(`runs: ${runs}, interleaved`);
  log(
    `gateway  transferCandidates(first: 20), summaries + assessments from the index: median ${g.median.toFixed(1)} ms, p90 ${g.p90.toFixed(1)} ms`,
  );
  log(
    `gateway  same page, live crossCourt + transferAssessment per candidate:         median ${l.median.toFixed(1)} ms, p90 ${l.p90.toFixed(1)} ms`,
  );
  log(
    `floor    index page + cross-court case aggregate, direct SQL:                   median ${f.median.toFixed(2)} ms, p90 ${f.p90.toFixed(2)} ms`,
  );
  log(`ratio    gateway (index) / floor (median): ${(g.median / f.median).toFixed(1)}x`);
  coordination.close();
  registry.close();

  async function hasIndex(): Promise<boolean> {
    const db = new Database(databaseFile(dataDir, COORDINATION_DB), { readonly: true });
    try {
      return (db.prepare(`select count(*) n from assessment_meta where key = 'assessed_on'`).get() as { n: number }).n > 0;
    } catch {
      return false;
    } finally {
      db.close();
    }
  }
} finally {
  await graph.close();
}
