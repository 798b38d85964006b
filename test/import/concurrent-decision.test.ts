import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import type { RunningGraph } from '../../scripts/graph';
import { DIALECTS, postGraphQL, startGraphOn, testToday } from '../support/graph';
import { provinceTarget, type ImportTarget } from './targets';

/**
 * `npm run import` while the graph decides a transfer into the court the file imports into. The file's case numbers
 * come from the court's own registry; a decision opens the receiving court's next case number. Before, the import
 * checked its rows first and wrote them later: a decision committed in between took a number the file also carried
 * (the largest stored sequence + 1), and the import's upsert then overwrote the decision's case, its lineage and
 * parties, without a word. Now the import holds the system's write lock from its checks to its commit (SQLite's
 * write transaction; on PostgreSQL a SHARE ROW EXCLUSIVE lock on the tables it writes), so a decision either waits
 * for the import and numbers after it, or, past the store's lock wait, is refused SOURCE_BUSY with nothing written and
 * numbers after the file when sent again. Never a case lost.
 */
const TODAY = testToday();
const YEAR = Number(TODAY.slice(0, 4));
const COURT = '川0104';
const ROWS = 20_000;

const creditCode = (n: number) => {
  const org = `MB${String(n).padStart(6, '0')}`;
  const body = `91510104${org}${orgCodeCheckChar(org)}`;
  return body + creditCodeCheckChar(body);
};

const DECIDE = `mutation ($input: DecideTransferInput!) {
  decideTransfer(input: $input) { replayed transfer { id cases { from { number } to { number } } } } }`;

interface DecideReply {
  decideTransfer: { replayed: boolean; transfer: { id: string; cases: { from: { number: string }; to: { number: string } | null }[] } };
}

describe.each(DIALECTS)('an import and a transfer decision into the same court at once, on %s', (dialect) => {
  let t: ImportTarget;
  let graph: RunningGraph;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-import-race-'));
    t = await provinceTarget(dialect);
    graph = await startGraphOn(t.dir, { databases: t.databases });
  });
  afterAll(async () => {
    await graph?.close();
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never gives the decision a number the file carries, and never lets the import overwrite the decision’s case', async () => {
    const registry = t.records('case-registry');
    const { top } = (await registry.get<{ top: number }>(
      `select coalesce(max(sequence), 0) as top from cases where court_code = ? and year = ? and type_code = '执'`,
      COURT,
      YEAR,
    ))!;
    // The file carries the court's next ROWS numbers, as its registry gave them out.
    const numbers = Array.from({ length: ROWS }, (_, i) => `(${YEAR})${COURT}执${top + 1 + i}号`);
    const file = path.join(dir, 'cases.jsonl');
    writeFileSync(
      file,
      numbers
        .map((number, i) =>
          JSON.stringify({
            type: 'case',
            number,
            status: 'EXECUTING',
            filedAt: `${YEAR}-01-05`,
            category: 'COMMERCIAL',
            amountDue: '1000.00',
            debtors: [{ name: `并发公司${i}`, identifier: creditCode(i), divisionCode: '510104' }],
            applicants: [{ name: '某银行', kind: 'LEGAL_PERSON' }],
          }),
        )
        .join('\n') + '\n',
    );
    // A movable case of another basic court of 川01, to be directed to the importing court.
    const moved = (await registry.get<{ number: string }>(
      `select c.number from cases c join courts k on k.code = c.executing_court
       where k.prefecture = '川01' and k.level = 'BASIC' and c.executing_court != ? and c.status = 'EXECUTING' and c.type_code = '执'
         and c.category != 'CRIMINAL_RESTITUTION' and c.filed_at < ?
         and not exists (select 1 from cases n where n.transferred_from = c.number)
       order by c.number limit 1`,
      COURT,
      TODAY,
    ))!.number;
    const supervisor = (await t
      .records('personnel')
      .get<{ id: string }>(`select id from officers where court_code = '川01' order by id limit 1`))!.id;
    const idempotencyKey = `race-${randomUUID()}`;
    const decide = () =>
      postGraphQL<DecideReply>(
        graph.gateway.url,
        DECIDE,
        {
          input: {
            mode: 'DIRECTED',
            caseNumbers: [moved],
            receivingCourt: COURT,
            decidingCourt: '川01',
            supervisor,
            reasons: ['LONG_UNEXECUTED'],
            note: '导入期间的决定',
            idempotencyKey,
          },
        },
        { as: '川01' },
      );

    // The import in a process of its own, as an operator runs it; the decision sent once it is checking its rows.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/import.ts', '--system', 'case-registry', '--file', file, '--data-dir', t.dir],
      {
        env: { ...process.env, AS_OF_DATE: TODAY, ...t.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let decision: ReturnType<typeof decide> | null = null;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!decision && /validate/.test(stderr)) decision = decide();
    });
    expect(await exited, stderr).toBe(0);
    expect(decision).not.toBeNull();
    const { status, body } = await decision!;
    expect(status).toBe(200);

    // The file whole: every number it carries, as it carries it.
    const imported = await registry.all<{ number: string; transferred_from: string | null; name: string }>(
      `select c.number, c.transferred_from, p.name from cases c join case_parties p on p.case_number = c.number and p.role = 'DEBTOR'
       where c.court_code = ? and c.year = ? and c.type_code = '执' and c.sequence between ? and ? order by c.sequence`,
      COURT,
      YEAR,
      top + 1,
      top + ROWS,
    );
    expect(imported.length).toBe(ROWS);
    expect(imported.filter((r, i) => r.number !== numbers[i] || r.name !== `并发公司${i}` || r.transferred_from !== null)).toEqual([]);

    let reply = body;
    if (reply.errors) {
      // Past the store's lock wait: refused, nothing of it written, and safe to send again once the import is done.
      expect(reply.errors[0]!.extensions).toMatchObject({ code: 'SOURCE_BUSY' });
      expect(await registry.all('select number from cases where transferred_from = ?', moved)).toEqual([]);
      expect((await registry.get<{ status: string }>('select status from cases where number = ?', moved))!.status).toBe('EXECUTING');
      const again = await decide();
      expect(again.status).toBe(200);
      reply = again.body;
    }
    // Numbered after the file, and its case is still the one it opened.
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.decideTransfer.replayed).toBe(false);
    const opened = reply.data!.decideTransfer.transfer.cases[0]!.to!.number;
    expect(opened).toBe(`(${YEAR})${COURT}执${top + ROWS + 1}号`);
    expect(await registry.get('select number, transferred_from, executing_court from cases where number = ?', opened)).toEqual({
      number: opened,
      transferred_from: moved,
      executing_court: COURT,
    });
  }, 240_000);
});
