import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/dates';
import { importFile } from '../../importing/importFile';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, startGraphOn, testToday } from '../support/graph';
import { DISPOSAL_STEP, type DisposalStepAnswer } from '../support/operations';

/**
 * Issue 15 item 10: a bank deposit is deducted (划拨), not appraised and auctioned. The import and recordDisposalStep
 * refuse a reference price or an auction on a deposit and a deduction on anything else (DEPOSIT_DEDUCTION); a deduction
 * disposes of the deposit and ends its freeze; the generated province records its deducted deposits so.
 */
let dir: string;
let graph: RunningGraph;
const today = () => testToday();
const CASE = '(2025)川0104执1号';

function writeLines(name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}
const property = (id: string, kind: string, over: Record<string, unknown> = {}) => ({
  type: 'property',
  id,
  kind,
  description: kind === 'BANK_DEPOSIT' ? '示例银行账户存款' : '成都市锦江区示例路10号',
  ownerName: '示例被执行人',
  ...over,
});
const measure = (id: string, propertyId: string, kind: string, months: number) => ({
  type: 'measure',
  id,
  propertyId,
  kind,
  courtCode: '川0104',
  caseNumber: CASE,
  imposedAt: addDays(today(), -60),
  periodStartsAt: addDays(today(), -60),
  expiresAt: addDays(today(), months * 30 - 60),
  queuePosition: 1,
});
const step = (propertyId: string, stage: string, over: Record<string, unknown> = {}) => ({
  type: 'disposalStep',
  propertyId,
  seq: 1,
  stage,
  price: '50000.00',
  occurredAt: addDays(today(), -30),
  ...over,
});

beforeAll(() => {
  dir = copyTestProvince();
});
afterAll(async () => {
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('import of deductions', () => {
  it('refuses an auction stage on a deposit and a deduction on real estate, in steps and in the stage, writing nothing', async () => {
    const report = await importFile(
      'property-control',
      writeLines('bad.jsonl', [
        property('I15-D-DEP', 'BANK_DEPOSIT'),
        property('I15-D-RE', 'REAL_ESTATE'),
        step('I15-D-DEP', 'REFERENCE_PRICE', { method: 'APPRAISAL' }),
        step('I15-D-RE', 'DEDUCTION'),
        property('I15-D-DEP2', 'BANK_DEPOSIT', { disposalStage: 'FIRST_AUCTION' }),
        property('I15-D-RE2', 'REAL_ESTATE', { disposalStage: 'DEDUCTION' }),
      ]),
      dir,
      { today: today() },
    );
    expect(report.written).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
      [3, 'stage', 'DEPOSIT_DEDUCTION'],
      [4, 'stage', 'DEPOSIT_DEDUCTION'],
      [5, 'disposalStage', 'DEPOSIT_DEDUCTION'],
      [6, 'disposalStage', 'DEPOSIT_DEDUCTION'],
    ]);
  });

  it('takes a deposit deducted in the past as its one step', async () => {
    const report = await importFile(
      'property-control',
      writeLines('good.jsonl', [
        property('I15-D-DEP', 'BANK_DEPOSIT'),
        property('I15-D-RE', 'REAL_ESTATE'),
        measure('I15-D-F', 'I15-D-DEP', 'FREEZE', 12),
        measure('I15-D-S', 'I15-D-RE', 'SEAL', 36),
        property('I15-D-OLD', 'BANK_DEPOSIT', { disposalStage: 'DEDUCTION' }),
        step('I15-D-OLD', 'DEDUCTION'),
      ]),
      dir,
      { today: today() },
    );
    expect(report.errors).toEqual([]);
  });
});

const input = (propertyId: string, stage: string, over: Record<string, unknown> = {}) => ({
  propertyId,
  stage,
  method: null,
  price: '42000.00',
  occurredAt: addDays(today(), -5),
  succeeded: true,
  idempotencyKey: `deduction-${randomUUID()}`,
  ...over,
});

describe('recordDisposalStep on deposits', () => {
  beforeAll(async () => {
    graph = await startGraphOn(dir);
  });
  const post = (i: Record<string, unknown>) =>
    postGraphQL<DisposalStepAnswer>(graph.gateway.url, DISPOSAL_STEP, { input: i }, { as: '川0104' });
  const steps = (id: string) => {
    const db = new Database(path.join(dir, 'property-control.db'), { readonly: true });
    const rows = db.prepare('select step from disposal_steps where property_id = ? order by seq').all(id);
    db.close();
    return rows;
  };

  it('refuses a reference price on a deposit and a deduction on real estate, naming the stage', async () => {
    for (const [id, stage, over] of [
      ['I15-D-DEP', 'REFERENCE_PRICE', { method: 'APPRAISAL' }],
      ['I15-D-DEP', 'FIRST_AUCTION', { succeeded: false }],
      ['I15-D-RE', 'DEDUCTION', {}],
    ] as const) {
      const { body } = await post(input(id, stage, over));
      expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.field, e.extensions?.rule])).toEqual([
        ['BAD_USER_INPUT', 'input.stage', 'DEPOSIT_DEDUCTION'],
      ]);
    }
    expect(steps('I15-D-DEP')).toEqual([]);
    expect(steps('I15-D-RE')).toEqual([]);
  });

  it('deducts a frozen deposit in one step: disposed of, its freeze released that day; a second deduction is refused', async () => {
    const { body } = await post(input('I15-D-DEP', 'DEDUCTION'));
    expect(body.errors).toBeUndefined();
    const p = body.data!.recordDisposalStep.property;
    expect(p.disposalStage).toBe('DEDUCTION');
    expect(p.undisposedSince).toBeNull();
    expect(p.disposalHistory).toEqual([
      { stage: 'DEDUCTION', method: null, price: '42000.00', occurredAt: addDays(today(), -5), succeeded: true },
    ]);
    expect(p.measures).toEqual([{ id: 'I15-D-F', status: 'RELEASED', releasedAt: addDays(today(), -5) }]);
    const again = await post(input('I15-D-DEP', 'DEDUCTION'));
    expect(again.body.errors?.map((e) => e.extensions?.rule)).toEqual(['PROPERTY_ALREADY_DISPOSED']);
  });

  it('shows a generated deducted deposit with its deduction as its only step', async () => {
    const db = new Database(path.join(dir, 'property-control.db'), { readonly: true });
    const row = db
      .prepare(
        `select p.id from properties p join disposal_steps s on s.property_id = p.id
          where p.kind = 'BANK_DEPOSIT' and s.step = 'DEDUCTION' and p.id like 'P%' order by p.id limit 1`,
      )
      .get() as { id: string };
    db.close();
    const { body } = await postGraphQL<{ property: { kind: string; disposalStage: string; disposalHistory: { stage: string }[] } }>(
      graph.gateway.url,
      `query ($id: ID!) { property(id: $id) { kind disposalStage disposalHistory { stage } } }`,
      { id: row.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.property).toEqual({ kind: 'BANK_DEPOSIT', disposalStage: 'DEDUCTION', disposalHistory: [{ stage: 'DEDUCTION' }] });
  });
});
