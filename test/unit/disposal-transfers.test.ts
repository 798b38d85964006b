import { describe, expect, it } from 'vitest';
import {
  checkDisposalStep,
  currentCycle,
  checkRenewal,
  disposes,
  type DisposalStepFact,
  type DisposalStepInput,
  type RenewableMeasure,
} from '../../domain/disposal';
import type { ValidationError } from '../../domain/errors';
import type { PropertyKind } from '../../domain/measures';
import { COURTS_BY_CODE } from '../../domain/sichuan';
import {
  checkDecisionCases,
  checkDecisionInput,
  defaultDeadline,
  isAbove,
  MAX_CASES_PER_DECISION,
  lowestCommonSuperior,
  type DecisionCaseFacts,
  type DecisionInput,
} from '../../domain/transfers';
import type { TransferMode } from '../../domain/transferModes';
import { caught } from '../support/caught';

/** Issue #4: the pure legal checks of disposal, renewal and transfer decisions, at, below and above each limit. */

const TODAY = '2026-06-30';

function expectRule(fn: () => unknown, rule: string, field: string, code = 'BAD_USER_INPUT'): ValidationError {
  const err = caught(fn);
  expect({ rule: err.rule, field: err.field, code: err.code }).toEqual({ rule, field, code });
  expect(err.message.startsWith(`${field}: `)).toBe(true);
  return err;
}

// ---------------------------------------------------------------------------------------------------------------
// Disposal
// ---------------------------------------------------------------------------------------------------------------

const reference: DisposalStepFact = { stage: 'REFERENCE_PRICE', price: 100_000_000, occurredAt: '2026-06-01', succeeded: true };
const failedFirst: DisposalStepFact = { stage: 'FIRST_AUCTION', price: 70_000_000, occurredAt: '2026-06-10', succeeded: false };
const failedSecond: DisposalStepFact = { stage: 'SECOND_AUCTION', price: 56_000_000, occurredAt: '2026-06-20', succeeded: false };

function step(stage: DisposalStepInput['stage'], price: number | null, over: Partial<DisposalStepInput> = {}): DisposalStepInput {
  return {
    stage,
    price,
    occurredAt: TODAY,
    succeeded: stage !== 'FIRST_AUCTION' && stage !== 'SECOND_AUCTION',
    method: stage === 'REFERENCE_PRICE' ? 'APPRAISAL' : null,
    ...over,
  };
}

const check =
  (history: DisposalStepFact[], s: DisposalStepInput, at = 'input', kind: PropertyKind = 'REAL_ESTATE') =>
  () =>
    checkDisposalStep(history, s, TODAY, at, kind);

describe('checkDisposalStep: order', () => {
  it('starts with the reference price, set by one of the four methods', () => {
    for (const method of ['NEGOTIATED', 'INQUIRY', 'ONLINE_INQUIRY', 'APPRAISAL'])
      expect(check([], step('REFERENCE_PRICE', 1, { method }))).not.toThrow();
    expectRule(check([], step('REFERENCE_PRICE', 1, { method: null })), 'REFERENCE_METHOD', 'input.method');
    expectRule(check([], step('REFERENCE_PRICE', 1, { method: 'GUESS' })), 'REFERENCE_METHOD', 'input.method');
    for (const stage of ['NONE', 'FIRST_AUCTION', 'SECOND_AUCTION', 'SALE', 'TAKEN_IN_PAYMENT'] as const) {
      expectRule(check([], step(stage, 70_000_000)), 'DISPOSAL_ORDER', 'input.stage');
    }
  });

  it('allows only the first auction after the reference price', () => {
    expect(check([reference], step('FIRST_AUCTION', 70_000_000))).not.toThrow();
    for (const stage of ['REFERENCE_PRICE', 'SECOND_AUCTION', 'SALE', 'TAKEN_IN_PAYMENT', 'NONE'] as const) {
      expectRule(check([reference], step(stage, 70_000_000)), 'DISPOSAL_ORDER', 'input.stage');
    }
  });

  it('allows a second auction or taking in payment after a failed first auction, not a sale', () => {
    expect(check([reference, failedFirst], step('SECOND_AUCTION', 56_000_000))).not.toThrow();
    expect(check([reference, failedFirst], step('TAKEN_IN_PAYMENT', 70_000_000))).not.toThrow();
    expectRule(check([reference, failedFirst], step('SALE', 70_000_000)), 'DISPOSAL_ORDER', 'input.stage');
    expectRule(check([reference, failedFirst], step('FIRST_AUCTION', 70_000_000)), 'DISPOSAL_ORDER', 'input.stage');
  });

  it('allows a sale, taking in payment or a new reference price after a failed second auction, nothing else', () => {
    expect(check([reference, failedFirst, failedSecond], step('SALE', 56_000_000))).not.toThrow();
    expect(check([reference, failedFirst, failedSecond], step('TAKEN_IN_PAYMENT', 56_000_000))).not.toThrow();
    expect(check([reference, failedFirst, failedSecond], step('REFERENCE_PRICE', 40_000_000))).not.toThrow();
    for (const stage of ['FIRST_AUCTION', 'SECOND_AUCTION'] as const) {
      expectRule(check([reference, failedFirst, failedSecond], step(stage, 56_000_000)), 'DISPOSAL_ORDER', 'input.stage');
    }
  });

  it('refuses every step once a step sold the property', () => {
    const sold: DisposalStepFact = { ...failedFirst, succeeded: true };
    for (const s of [
      step('SECOND_AUCTION', 56_000_000),
      step('TAKEN_IN_PAYMENT', 70_000_000),
      step('SALE', 70_000_000),
      step('REFERENCE_PRICE', 1),
    ]) {
      expectRule(check([reference, sold], s), 'PROPERTY_ALREADY_DISPOSED', 'input.propertyId', 'CONFLICT');
    }
    const taken: DisposalStepFact = { stage: 'TAKEN_IN_PAYMENT', price: 70_000_000, occurredAt: '2026-06-20', succeeded: true };
    expectRule(
      check([reference, failedFirst, taken], step('SALE', 70_000_000)),
      'PROPERTY_ALREADY_DISPOSED',
      'input.propertyId',
      'CONFLICT',
    );
  });

  it('prefixes field paths with the position given', () => {
    expectRule(check([], step('SALE', 1), 'input.steps[2]'), 'DISPOSAL_ORDER', 'input.steps[2].stage');
  });
});

describe('checkDisposalStep: a bank deposit is deducted (划拨), not auctioned (issue 15 item 10)', () => {
  const deduction = (price: number | null, over: Partial<DisposalStepInput> = {}) => step('DEDUCTION', price, over);

  it('takes a deduction as a deposit’s first and only step, and disposes of it', () => {
    expect(check([], deduction(5_000_00), 'input', 'BANK_DEPOSIT')).not.toThrow();
    expect(disposes({ stage: 'DEDUCTION', succeeded: true })).toBe(true);
    const done: DisposalStepFact = { stage: 'DEDUCTION', price: 5_000_00, occurredAt: '2026-06-01', succeeded: true };
    expectRule(check([done], deduction(1_00), 'input', 'BANK_DEPOSIT'), 'PROPERTY_ALREADY_DISPOSED', 'input.propertyId', 'CONFLICT');
  });

  it('refuses a reference price, an auction, a sale or taking in payment on a deposit', () => {
    for (const stage of ['REFERENCE_PRICE', 'FIRST_AUCTION', 'SECOND_AUCTION', 'SALE', 'TAKEN_IN_PAYMENT'] as const)
      expectRule(check([], step(stage, 70_000_000), 'input', 'BANK_DEPOSIT'), 'DEPOSIT_DEDUCTION', 'input.stage');
  });

  it('refuses a deduction on every other kind of property, whatever stage it is in', () => {
    for (const kind of ['REAL_ESTATE', 'LAND_USE_RIGHT', 'VEHICLE', 'MOVABLE', 'EQUITY', 'RECEIVABLE', 'INTELLECTUAL_PROPERTY'] as const) {
      expectRule(check([], deduction(1_00), 'input', kind), 'DEPOSIT_DEDUCTION', 'input.stage');
      expectRule(check([reference, failedFirst], deduction(1_00), 'input', kind), 'DEPOSIT_DEDUCTION', 'input.stage');
    }
  });

  it('states the amount deducted above zero, records it done, names no method and is not dated after today', () => {
    expectRule(check([], deduction(null), 'input', 'BANK_DEPOSIT'), 'PRICE_REQUIRED', 'input.price');
    expectRule(check([], deduction(0), 'input', 'BANK_DEPOSIT'), 'PRICE_REQUIRED', 'input.price');
    expectRule(check([], deduction(1_00, { succeeded: false }), 'input', 'BANK_DEPOSIT'), 'STEP_OUTCOME', 'input.succeeded');
    expectRule(check([], deduction(1_00, { method: 'APPRAISAL' }), 'input', 'BANK_DEPOSIT'), 'METHOD_NOT_APPLICABLE', 'input.method');
    expectRule(check([], deduction(1_00, { occurredAt: '2026-07-01' }), 'input', 'BANK_DEPOSIT'), 'DATE_IN_FUTURE', 'input.occurredAt');
  });
});

describe('checkDisposalStep: a new cycle after a failed second auction (issue 14 item 12)', () => {
  // The first cycle: reference 1,000,000 yuan, reserves 700,000 and 560,000 yuan, both failed; a new appraisal at 400,000.
  const reappraised: DisposalStepFact = { stage: 'REFERENCE_PRICE', price: 40_000_000, occurredAt: '2026-06-22', succeeded: true };
  const cycle1 = [reference, failedFirst, failedSecond, reappraised];
  const failedFirst2: DisposalStepFact = { stage: 'FIRST_AUCTION', price: 28_000_000, occurredAt: '2026-06-25', succeeded: false };
  const failedSecond2: DisposalStepFact = { stage: 'SECOND_AUCTION', price: 22_400_000, occurredAt: '2026-06-28', succeeded: false };

  it('the new cycle starts over: only its first auction follows the new reference price', () => {
    expect(check(cycle1, step('FIRST_AUCTION', 28_000_000))).not.toThrow();
    for (const stage of ['REFERENCE_PRICE', 'SECOND_AUCTION', 'SALE', 'TAKEN_IN_PAYMENT'] as const) {
      expectRule(check(cycle1, step(stage, 28_000_000)), 'DISPOSAL_ORDER', 'input.stage');
    }
  });

  it("the first auction's reserve is at least 70% of the new reference price, not of the first cycle's", () => {
    expectRule(check(cycle1, step('FIRST_AUCTION', 27_999_999)), 'FIRST_AUCTION_PRICE_FLOOR', 'input.price');
    expect(check(cycle1, step('FIRST_AUCTION', 28_000_000))).not.toThrow();
  });

  it("the second auction cuts this cycle's first reserve by at most 20%", () => {
    const h = [...cycle1, failedFirst2];
    expectRule(check(h, step('SECOND_AUCTION', 22_399_999)), 'SECOND_AUCTION_PRICE_CUT', 'input.price');
    expect(check(h, step('SECOND_AUCTION', 22_400_000))).not.toThrow();
    expect(check(h, step('SECOND_AUCTION', 28_000_000))).not.toThrow();
    expectRule(check(h, step('SECOND_AUCTION', 28_000_001)), 'SECOND_AUCTION_PRICE_CUT', 'input.price');
  });

  it("a sale is at no less than this cycle's second reserve, though below the first cycle's", () => {
    const h = [...cycle1, failedFirst2, failedSecond2];
    expect(check(h, step('SALE', 22_400_000))).not.toThrow();
    expectRule(check(h, step('SALE', 22_399_999)), 'SALE_PRICE_FLOOR', 'input.price');
    expect(check(h, step('TAKEN_IN_PAYMENT', 22_400_000))).not.toThrow();
    expectRule(check(h, step('TAKEN_IN_PAYMENT', 56_000_000)), 'TAKEN_IN_PAYMENT_PRICE', 'input.price');
    expect(check(h, step('REFERENCE_PRICE', 20_000_000))).not.toThrow();
  });

  it('currentCycle is the steps since the latest reference price', () => {
    expect(currentCycle([...cycle1, failedFirst2])).toEqual([reappraised, failedFirst2]);
    expect(currentCycle([])).toEqual([]);
  });
});

describe('checkDisposalStep: dates, method, price and outcome', () => {
  it('takes a step dated today, not tomorrow', () => {
    expect(check([], step('REFERENCE_PRICE', 1, { occurredAt: TODAY }))).not.toThrow();
    expectRule(check([], step('REFERENCE_PRICE', 1, { occurredAt: '2026-07-01' })), 'DATE_IN_FUTURE', 'input.occurredAt');
  });

  it('takes a step on the day of the previous one, not the day before', () => {
    expect(check([reference], step('FIRST_AUCTION', 70_000_000, { occurredAt: '2026-06-01' }))).not.toThrow();
    expectRule(
      check([reference], step('FIRST_AUCTION', 70_000_000, { occurredAt: '2026-05-31' })),
      'DATE_BEFORE_PREVIOUS_STEP',
      'input.occurredAt',
    );
  });

  it('names a method only for the reference price', () => {
    expectRule(check([reference], step('FIRST_AUCTION', 70_000_000, { method: 'APPRAISAL' })), 'METHOD_NOT_APPLICABLE', 'input.method');
    expectRule(
      check([reference, failedFirst, failedSecond], step('SALE', 56_000_000, { method: 'NEGOTIATED' })),
      'METHOD_NOT_APPLICABLE',
      'input.method',
    );
  });

  it('needs a price above zero', () => {
    expect(check([], step('REFERENCE_PRICE', 1))).not.toThrow();
    expectRule(check([], step('REFERENCE_PRICE', 0)), 'PRICE_REQUIRED', 'input.price');
    expectRule(check([], step('REFERENCE_PRICE', -1)), 'PRICE_REQUIRED', 'input.price');
    expectRule(check([], step('REFERENCE_PRICE', null)), 'PRICE_REQUIRED', 'input.price');
  });

  it('records only auctions as failed', () => {
    expectRule(check([], step('REFERENCE_PRICE', 1, { succeeded: false })), 'STEP_OUTCOME', 'input.succeeded');
    expectRule(
      check([reference, failedFirst, failedSecond], step('SALE', 56_000_000, { succeeded: false })),
      'STEP_OUTCOME',
      'input.succeeded',
    );
    expectRule(
      check([reference, failedFirst], step('TAKEN_IN_PAYMENT', 70_000_000, { succeeded: false })),
      'STEP_OUTCOME',
      'input.succeeded',
    );
    expect(check([reference], step('FIRST_AUCTION', 70_000_000, { succeeded: true }))).not.toThrow();
    expect(check([reference], step('FIRST_AUCTION', 70_000_000, { succeeded: false }))).not.toThrow();
  });

  it('sets the first reserve at no less than 70% of the reference price', () => {
    expectRule(check([reference], step('FIRST_AUCTION', 69_999_999)), 'FIRST_AUCTION_PRICE_FLOOR', 'input.price');
    expect(check([reference], step('FIRST_AUCTION', 70_000_000))).not.toThrow();
    expect(check([reference], step('FIRST_AUCTION', 70_000_001))).not.toThrow();
    expect(check([reference], step('FIRST_AUCTION', 150_000_000))).not.toThrow();
    // 70% of 10.01 yuan is 7.007 yuan: the floor rounds up to the fen.
    const odd: DisposalStepFact = { ...reference, price: 1001 };
    const err = expectRule(check([odd], step('FIRST_AUCTION', 700)), 'FIRST_AUCTION_PRICE_FLOOR', 'input.price');
    expect(err.message).toContain('7.01');
    expect(check([odd], step('FIRST_AUCTION', 701))).not.toThrow();
  });

  it('cuts the second reserve by at most 20%, never raising it', () => {
    expectRule(check([reference, failedFirst], step('SECOND_AUCTION', 55_999_999)), 'SECOND_AUCTION_PRICE_CUT', 'input.price');
    expect(check([reference, failedFirst], step('SECOND_AUCTION', 56_000_000))).not.toThrow();
    expect(check([reference, failedFirst], step('SECOND_AUCTION', 56_000_001))).not.toThrow();
    expect(check([reference, failedFirst], step('SECOND_AUCTION', 70_000_000))).not.toThrow();
    expectRule(check([reference, failedFirst], step('SECOND_AUCTION', 70_000_001)), 'SECOND_AUCTION_PRICE_CUT', 'input.price');
    const odd: DisposalStepFact = { ...failedFirst, price: 701 };
    expectRule(check([reference, odd], step('SECOND_AUCTION', 560)), 'SECOND_AUCTION_PRICE_CUT', 'input.price');
    expect(check([reference, odd], step('SECOND_AUCTION', 561))).not.toThrow();
  });

  it('sells at no less than the second reserve', () => {
    const h = [reference, failedFirst, failedSecond];
    expectRule(check(h, step('SALE', 55_999_999)), 'SALE_PRICE_FLOOR', 'input.price');
    expect(check(h, step('SALE', 56_000_000))).not.toThrow();
    expect(check(h, step('SALE', 56_000_001))).not.toThrow();
  });

  it("takes in payment at exactly the failed auction's reserve", () => {
    for (const [h, reserve] of [
      [[reference, failedFirst], 70_000_000],
      [[reference, failedFirst, failedSecond], 56_000_000],
    ] as const) {
      expectRule(check([...h], step('TAKEN_IN_PAYMENT', reserve - 1)), 'TAKEN_IN_PAYMENT_PRICE', 'input.price');
      expect(check([...h], step('TAKEN_IN_PAYMENT', reserve))).not.toThrow();
      expectRule(check([...h], step('TAKEN_IN_PAYMENT', reserve + 1)), 'TAKEN_IN_PAYMENT_PRICE', 'input.price');
    }
  });
});

describe('disposes', () => {
  it('is true for a step that sold, false for the reference price, a failed auction and NONE', () => {
    expect(disposes({ stage: 'REFERENCE_PRICE', succeeded: true })).toBe(false);
    expect(disposes({ stage: 'NONE', succeeded: true })).toBe(false);
    expect(disposes({ stage: 'FIRST_AUCTION', succeeded: false })).toBe(false);
    expect(disposes({ stage: 'SECOND_AUCTION', succeeded: false })).toBe(false);
    expect(disposes({ stage: 'FIRST_AUCTION', succeeded: true })).toBe(true);
    expect(disposes({ stage: 'SECOND_AUCTION', succeeded: true })).toBe(true);
    expect(disposes({ stage: 'SALE', succeeded: true })).toBe(true);
    expect(disposes({ stage: 'TAKEN_IN_PAYMENT', succeeded: true })).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Renewal
// ---------------------------------------------------------------------------------------------------------------

const measure = (over: Partial<RenewableMeasure> = {}): RenewableMeasure => ({
  propertyKind: 'REAL_ESTATE',
  releasedAt: null,
  waiting: false,
  expiresAt: '2026-07-15',
  ...over,
});
const renew = (m: RenewableMeasure, to: string) => () => checkRenewal(m, to, TODAY, 'input');

describe('checkRenewal', () => {
  it.each([
    ['BANK_DEPOSIT', '2027-07-15'],
    ['VEHICLE', '2028-07-15'],
    ['MOVABLE', '2028-07-15'],
    ['REAL_ESTATE', '2029-07-15'],
    ['LAND_USE_RIGHT', '2029-07-15'],
    ['EQUITY', '2029-07-15'],
    ['RECEIVABLE', '2029-07-15'],
    ['INTELLECTUAL_PROPERTY', '2029-07-15'],
  ] as [PropertyKind, string][])('renews %s up to %s from 2026-07-15, not a day later', (kind, limit) => {
    const m = measure({ propertyKind: kind });
    expect(renew(m, limit)).not.toThrow();
    const [y, mo, d] = limit.split('-').map(Number) as [number, number, number];
    const dayAfter = new Date(Date.UTC(y, mo - 1, d + 1)).toISOString().slice(0, 10);
    const err = expectRule(renew(m, dayAfter), 'RENEWAL_PERIOD_LIMIT', 'input.expiresAt');
    expect(err.message).toContain(limit);
  });

  it('clamps the limit to the end of a shorter month', () => {
    const m = measure({ propertyKind: 'BANK_DEPOSIT', expiresAt: '2028-02-29' });
    expect(renew(m, '2029-02-28')).not.toThrow();
    expectRule(renew(m, '2029-03-01'), 'RENEWAL_PERIOD_LIMIT', 'input.expiresAt');
  });

  it('needs an expiry later than the current one', () => {
    expectRule(renew(measure(), '2026-07-14'), 'RENEWAL_NOT_LATER', 'input.expiresAt');
    expectRule(renew(measure(), '2026-07-15'), 'RENEWAL_NOT_LATER', 'input.expiresAt');
    expect(renew(measure(), '2026-07-16')).not.toThrow();
  });

  it('renews on the expiry day, not the day after (the measure has lapsed)', () => {
    expect(renew(measure({ expiresAt: TODAY }), '2027-06-30')).not.toThrow();
    const err = expectRule(renew(measure({ expiresAt: '2026-06-29' }), '2027-06-29'), 'MEASURE_LAPSED', 'input.measureId', 'CONFLICT');
    expect(err.message).toContain('cannot be renewed');
  });

  it('refuses a released measure, but not one whose release is still ahead', () => {
    expectRule(renew(measure({ releasedAt: TODAY }), '2027-07-15'), 'MEASURE_RELEASED', 'input.measureId', 'CONFLICT');
    expect(renew(measure({ releasedAt: '2026-07-01' }), '2027-07-15')).not.toThrow();
  });

  it('refuses a waiting seizure', () => {
    expectRule(renew(measure({ waiting: true, expiresAt: null }), '2027-07-15'), 'MEASURE_WAITING', 'input.measureId', 'CONFLICT');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Transfer decisions
// ---------------------------------------------------------------------------------------------------------------

describe('the court hierarchy', () => {
  it('knows the railway transport courts', () => {
    expect(COURTS_BY_CODE.get('川71')).toMatchObject({ level: 'INTERMEDIATE', parent: '川', special: true });
    expect(COURTS_BY_CODE.get('川7101')).toMatchObject({ level: 'BASIC', parent: '川71' });
    expect(COURTS_BY_CODE.get('川7102')).toMatchObject({ level: 'BASIC', parent: '川71' });
  });

  it.each([
    ['川', '川01', true],
    ['川', '川0104', true],
    ['川01', '川0104', true],
    ['川01', '川01', false],
    ['川', '川', false],
    ['川0104', '川01', false],
    ['川0104', '川0105', false],
    ['川03', '川0104', false],
    ['川71', '川7101', true],
    ['川71', '川7102', true],
    ['川', '川7101', true],
    ['川01', '川7101', false],
    ['川71', '川0104', false],
    ['川', '川99', false],
  ])('isAbove(%s, %s) is %s', (upper, lower, expected) => {
    expect(isAbove(upper, lower)).toBe(expected);
  });
});

describe('defaultDeadline', () => {
  it('is 3 months for a deadline order and 6 months otherwise', () => {
    expect(defaultDeadline('DEADLINE_ORDER', '2026-06-30')).toBe('2026-09-30');
    for (const mode of ['DIRECTED', 'ELEVATED', 'CENTRALIZED', 'COLLABORATIVE'] as TransferMode[])
      expect(defaultDeadline(mode, '2026-06-30')).toBe('2026-12-30');
  });

  it('ends on the last day of a shorter month', () => {
    expect(defaultDeadline('DEADLINE_ORDER', '2026-11-30')).toBe('2027-02-28');
    expect(defaultDeadline('DIRECTED', '2026-08-31')).toBe('2027-02-28');
    expect(defaultDeadline('DEADLINE_ORDER', '2027-11-30')).toBe('2028-02-29');
  });
});

const decision = (over: Partial<DecisionInput> = {}): DecisionInput => ({
  mode: 'DIRECTED',
  caseNumbers: ['(2025)川0104执1号'],
  receivingCourt: '川0105',
  decidingCourt: '川01',
  supervisor: 'OF000123',
  reasons: ['LONG_UNEXECUTED'],
  note: '',
  deadline: null,
  ...over,
});
const input =
  (over: Partial<DecisionInput> = {}, at = 'input') =>
  () =>
    checkDecisionInput(decision(over), TODAY, at);

describe('checkDecisionInput', () => {
  it('accepts a well-formed decision', () => {
    expect(input()).not.toThrow();
  });

  it('covers 1 to 200 cases, each named once', () => {
    expectRule(input({ caseNumbers: [] }), 'CASES_REQUIRED', 'input.caseNumbers');
    const many = (n: number) => Array.from({ length: n }, (_, i) => `(2025)川0104执${i + 1}号`);
    expect(MAX_CASES_PER_DECISION).toBe(200);
    expect(input({ caseNumbers: many(200) })).not.toThrow();
    expectRule(input({ caseNumbers: many(201) }), 'TOO_MANY_CASES', 'input.caseNumbers');
    expectRule(input({ caseNumbers: ['a', 'b', 'a'] }), 'DUPLICATE_CASE', 'input.caseNumbers[2]');
  });

  it('is decided by a high or intermediate court of the province', () => {
    for (const court of ['川', '川01', '川71']) expect(input({ decidingCourt: court, receivingCourt: '川0105' })).not.toThrow();
    expectRule(input({ decidingCourt: '川0104' }), 'DECIDING_COURT_LEVEL', 'input.decidingCourt');
    expectRule(input({ decidingCourt: '川7101' }), 'DECIDING_COURT_LEVEL', 'input.decidingCourt');
    expectRule(input({ decidingCourt: '川99' }), 'COURT_UNKNOWN', 'input.decidingCourt', 'NOT_FOUND');
  });

  it('names a receiving court unless the decision is a deadline order', () => {
    expect(input({ mode: 'DEADLINE_ORDER', receivingCourt: null })).not.toThrow();
    expectRule(input({ mode: 'DEADLINE_ORDER', receivingCourt: '川0105' }), 'NO_RECEIVING_COURT_FOR_MODE', 'input.receivingCourt');
    for (const mode of ['DIRECTED', 'ELEVATED', 'CENTRALIZED', 'COLLABORATIVE'] as TransferMode[]) {
      expectRule(input({ mode, receivingCourt: null }), 'RECEIVING_COURT_REQUIRED', 'input.receivingCourt');
    }
    expectRule(input({ receivingCourt: '川0199' }), 'COURT_UNKNOWN', 'input.receivingCourt', 'NOT_FOUND');
  });

  it('sends elevated cases to the deciding court itself', () => {
    expect(input({ mode: 'ELEVATED', receivingCourt: '川01', decidingCourt: '川01' })).not.toThrow();
    expect(input({ mode: 'ELEVATED', receivingCourt: '川71', decidingCourt: '川71' })).not.toThrow();
    expectRule(
      input({ mode: 'ELEVATED', receivingCourt: '川0105', decidingCourt: '川01' }),
      'ELEVATED_TO_DECIDING_COURT',
      'input.receivingCourt',
    );
    expectRule(
      input({ mode: 'ELEVATED', receivingCourt: '川', decidingCourt: '川01' }),
      'ELEVATED_TO_DECIDING_COURT',
      'input.receivingCourt',
    );
  });

  it('names a supervising officer by a well-formed id', () => {
    expectRule(input({ supervisor: null }), 'SUPERVISOR_REQUIRED', 'input.supervisor');
    expectRule(input({ supervisor: 'OF12345' }), 'OFFICER_ID_FORMAT', 'input.supervisor');
    expectRule(input({ supervisor: 'OF1234567' }), 'OFFICER_ID_FORMAT', 'input.supervisor');
    expectRule(input({ supervisor: 'of123456' }), 'OFFICER_ID_FORMAT', 'input.supervisor');
    expect(input({ supervisor: 'OF123456' })).not.toThrow();
  });

  it('rests on known rule ids, or on a reason in words', () => {
    expectRule(input({ reasons: ['LONG_UNEXECUTED', 'NO_SUCH_RULE'] }), 'UNKNOWN_RULE', 'input.reasons[1]');
    expectRule(input({ reasons: [], note: '   ' }), 'REASON_REQUIRED', 'input.reasons');
    expect(input({ reasons: [], note: '六个月未执行' })).not.toThrow();
    expect(
      input({ reasons: ['MANY_COURTS', 'CAPACITY', 'IDLE_PROPERTY', 'SPREAD', 'LONG_UNEXECUTED', 'PASSIVE_EXECUTION'] }),
    ).not.toThrow();
  });

  it('takes a note of at most 2000 characters', () => {
    expect(input({ note: 'x'.repeat(2000) })).not.toThrow();
    expectRule(input({ note: 'x'.repeat(2001) }), 'NOTE_TOO_LONG', 'input.note');
  });

  it('sets a deadline after the decision day', () => {
    expectRule(input({ deadline: '2026-06-29' }), 'DEADLINE_NOT_AFTER_DECISION', 'input.deadline');
    expectRule(input({ deadline: TODAY }), 'DEADLINE_NOT_AFTER_DECISION', 'input.deadline');
    expect(input({ deadline: '2026-07-01' })).not.toThrow();
  });

  it('prefixes field paths with the decision position', () => {
    expectRule(input({ decidingCourt: '川0104' }, 'input.decisions[3]'), 'DECIDING_COURT_LEVEL', 'input.decisions[3].decidingCourt');
  });
});

const kase = (number: string, executingCourt: string, over: Partial<DecisionCaseFacts> = {}): DecisionCaseFacts => ({
  number,
  executingCourt,
  status: 'EXECUTING',
  movedTo: null,
  debtorIds: ['D1'],
  typeCode: '执',
  category: 'CIVIL',
  ...over,
});
const cases = (over: Partial<DecisionInput>, records: (DecisionCaseFacts | null)[]) => () =>
  checkDecisionCases(
    decision({ caseNumbers: records.map((c, i) => c?.number ?? `(2025)川0104执${900 + i}号`), ...over }),
    records,
    'input',
  );

describe('checkDecisionCases: the cases', () => {
  it('refuses a case the registry does not have, naming its position', () => {
    const err = expectRule(cases({}, [kase('A', '川0104'), null]), 'CASE_NOT_FOUND', 'input.caseNumbers[1]', 'NOT_FOUND');
    expect(err.message).toContain('(2025)川0104执901号');
  });

  it('refuses a case already moved, even though it is closed, pointing to its continuation', () => {
    const err = expectRule(
      cases({}, [kase('A', '川0104', { status: 'CLOSED', movedTo: 'B' })]),
      'CASE_ALREADY_MOVED',
      'input.caseNumbers[0]',
      'CONFLICT',
    );
    expect(err.message).toContain('B');
  });

  it('refuses a closed case, and takes a filed one', () => {
    expectRule(
      cases({}, [kase('A', '川0104'), kase('B', '川0106', { status: 'CLOSED' })]),
      'CASE_CLOSED',
      'input.caseNumbers[1]',
      'CONFLICT',
    );
    expect(cases({}, [kase('A', '川0104', { status: 'FILED' })])).not.toThrow();
  });
});

describe('checkDecisionCases: authority', () => {
  it('lets a court decide only over courts below it, the receiving court included', () => {
    expect(cases({ decidingCourt: '川01' }, [kase('A', '川0104')])).not.toThrow();
    expect(cases({ decidingCourt: '川', receivingCourt: '川0105' }, [kase('A', '川0104')])).not.toThrow();
    const other = kase('B', '川0302');
    const err = expectRule(
      cases({ decidingCourt: '川01' }, [kase('A', '川0104'), other]),
      'DECIDING_COURT_NOT_ABOVE',
      'input.decidingCourt',
      'FORBIDDEN',
    );
    // It names the case the caller gave, not the court executing it, which may lie outside the caller's scope.
    expect(err.message).toContain(`the court executing ${other.number}`);
    expect(err.message).not.toContain('川0302');
    const receiving = expectRule(
      cases({ decidingCourt: '川01', receivingCourt: '川0302' }, [kase('A', '川0104')]),
      'DECIDING_COURT_NOT_ABOVE',
      'input.decidingCourt',
      'FORBIDDEN',
    );
    expect(receiving.message).toContain('the receiving court 川0302');
    // A court is not above itself: an intermediate court's own case goes to the high court.
    expectRule(
      cases({ decidingCourt: '川01', mode: 'DEADLINE_ORDER', receivingCourt: null }, [kase('A', '川01')]),
      'DECIDING_COURT_NOT_ABOVE',
      'input.decidingCourt',
      'FORBIDDEN',
    );
    expect(cases({ decidingCourt: '川', mode: 'DEADLINE_ORDER', receivingCourt: null }, [kase('A', '川01')])).not.toThrow();
  });

  it('places the railway courts under 川71 and the high court only', () => {
    expect(cases({ decidingCourt: '川71', receivingCourt: '川7102' }, [kase('A', '川7101')])()).toEqual([kase('A', '川7101')]);
    expectRule(
      cases({ decidingCourt: '川01', receivingCourt: '川7102' }, [kase('A', '川7101')]),
      'DECIDING_COURT_NOT_ABOVE',
      'input.decidingCourt',
      'FORBIDDEN',
    );
    expectRule(
      cases({ decidingCourt: '川71', receivingCourt: '川0105' }, [kase('A', '川7101')]),
      'DECIDING_COURT_NOT_ABOVE',
      'input.decidingCourt',
      'FORBIDDEN',
    );
    expectRule(
      cases({ decidingCourt: '川01', receivingCourt: '川0105' }, [kase('A', '川7101')]),
      'DECIDING_COURT_NOT_ABOVE',
      'input.decidingCourt',
      'FORBIDDEN',
    );
    // Across the two hierarchies only the high court decides; both are basic courts, so a directed move is allowed.
    expect(cases({ decidingCourt: '川', receivingCourt: '川0105' }, [kase('A', '川7101')])()).toEqual([kase('A', '川7101')]);
    expect(cases({ mode: 'ELEVATED', decidingCourt: '川71', receivingCourt: '川71' }, [kase('A', '川7102')])()).toEqual([
      kase('A', '川7102'),
    ]);
  });
});

describe('checkDecisionCases: each mode', () => {
  it('directs a case to another court below the deciding court, of any level (issue 14 item 4, 民诉法 Art. 237)', () => {
    const moving = cases({}, [kase('A', '川0104'), kase('B', '川0106')])();
    expect(moving.map((c) => c.number)).toEqual(['A', 'B']);
    expectRule(cases({}, [kase('A', '川0104'), kase('B', '川0105')]), 'SAME_COURT', 'input.caseNumbers[1]', 'CONFLICT');
    // Before issue 14 these two were refused as DIRECTED_SAME_LEVEL: the high court may designate an intermediate
    // court for a basic court's case, and a basic court for an intermediate court's.
    expect(cases({ decidingCourt: '川', receivingCourt: '川03' }, [kase('A', '川0104')])().map((c) => c.number)).toEqual(['A']);
    expect(cases({ decidingCourt: '川', receivingCourt: '川0105' }, [kase('A', '川01')])()).toHaveLength(1);
    expect(cases({ decidingCourt: '川', receivingCourt: '川03' }, [kase('A', '川01')])()).toHaveLength(1);
    // The receiving court stays below the deciding court: not the deciding court itself (that is ELEVATED) …
    expectRule(
      cases({ decidingCourt: '川01', receivingCourt: '川01' }, [kase('A', '川0104')]),
      'DIRECTED_BELOW_DECIDING_COURT',
      'input.receivingCourt',
    );
    // … nor a court outside it (an intermediate court cannot designate another prefecture's court or its peer).
    expectRule(
      cases({ decidingCourt: '川01', receivingCourt: '川03' }, [kase('A', '川0104')]),
      'DECIDING_COURT_NOT_ABOVE',
      'input.decidingCourt',
      'FORBIDDEN',
    );
    expectRule(
      cases({ decidingCourt: '川', receivingCourt: '川' }, [kase('A', '川01')]),
      'DIRECTED_BELOW_DECIDING_COURT',
      'input.receivingCourt',
    );
  });

  it('elevates cases to the deciding court', () => {
    expect(cases({ mode: 'ELEVATED', receivingCourt: '川01' }, [kase('A', '川0104'), kase('B', '川0105')])().map((c) => c.number)).toEqual([
      'A',
      'B',
    ]);
  });

  it('centralizes cases sharing an identified debtor, moving those not yet at the receiving court', () => {
    const ok = cases({ mode: 'CENTRALIZED', receivingCourt: '川0105' }, [
      kase('A', '川0104', { debtorIds: ['D1', 'D2'] }),
      kase('B', '川0105', { debtorIds: ['D2'] }),
      kase('C', '川0106', { debtorIds: ['D3', 'D2'] }),
    ]);
    expect(ok().map((c) => c.number)).toEqual(['A', 'C']);
    expectRule(
      cases({ mode: 'CENTRALIZED', receivingCourt: '川0105' }, [
        kase('A', '川0104', { debtorIds: ['D1', 'D2'] }),
        kase('B', '川0106', { debtorIds: ['D2'] }),
        kase('C', '川0107', { debtorIds: ['D1'] }),
      ]),
      'CENTRALIZED_ONE_DEBTOR',
      'input.caseNumbers',
    );
    expectRule(
      cases({ mode: 'CENTRALIZED', receivingCourt: '川0105' }, [kase('A', '川0104', { debtorIds: [] })]),
      'CENTRALIZED_ONE_DEBTOR',
      'input.caseNumbers',
    );
    expectRule(
      cases({ mode: 'CENTRALIZED', receivingCourt: '川0105' }, [kase('A', '川0105'), kase('B', '川0105')]),
      'NOTHING_TO_MOVE',
      'input.caseNumbers',
      'CONFLICT',
    );
  });

  it('coordinates cases of at least two courts, moving none', () => {
    // Before issue 14 the coordinator was 川0104, one of the basic courts; it is now the court above them (item 2).
    expect(cases({ mode: 'COLLABORATIVE', receivingCourt: '川01' }, [kase('A', '川0104'), kase('B', '川0106')])()).toEqual([]);
    expectRule(
      cases({ mode: 'COLLABORATIVE', receivingCourt: '川01' }, [kase('A', '川0106'), kase('B', '川0106')]),
      'COLLABORATIVE_SEVERAL_COURTS',
      'input.caseNumbers',
    );
  });

  it('coordinates from above every court involved (issue 14 item 2)', () => {
    const basics = [kase('A', '川0104'), kase('B', '川0106')];
    // A basic court coordinating its peers is refused; their intermediate court, or the high court, coordinates.
    const peer = expectRule(
      cases({ mode: 'COLLABORATIVE', receivingCourt: '川0104' }, basics),
      'COORDINATOR_NOT_ABOVE',
      'input.receivingCourt',
    );
    expect(peer.message).toContain('at least 川01');
    expect(cases({ mode: 'COLLABORATIVE', decidingCourt: '川', receivingCourt: '川01' }, basics)()).toEqual([]);
    expect(cases({ mode: 'COLLABORATIVE', decidingCourt: '川', receivingCourt: '川' }, basics)()).toEqual([]);
    // Different levels: a basic court and its intermediate court are coordinated by the high court, never by either.
    const levels = [kase('A', '川0104'), kase('B', '川01')];
    expectRule(
      cases({ mode: 'COLLABORATIVE', decidingCourt: '川', receivingCourt: '川0104' }, levels),
      'COORDINATOR_NOT_ABOVE',
      'input.receivingCourt',
    );
    const mid = expectRule(
      cases({ mode: 'COLLABORATIVE', decidingCourt: '川', receivingCourt: '川01' }, levels),
      'COORDINATOR_NOT_ABOVE',
      'input.receivingCourt',
    );
    expect(mid.message).toContain('at least 川');
    expect(cases({ mode: 'COLLABORATIVE', decidingCourt: '川', receivingCourt: '川' }, levels)()).toEqual([]);
    // Different prefectures: the high court; an intermediate court above only one of them is refused.
    const prefectures = [kase('A', '川0104'), kase('B', '川0302')];
    expectRule(
      cases({ mode: 'COLLABORATIVE', decidingCourt: '川', receivingCourt: '川01' }, prefectures),
      'COORDINATOR_NOT_ABOVE',
      'input.receivingCourt',
    );
    expect(cases({ mode: 'COLLABORATIVE', decidingCourt: '川', receivingCourt: '川' }, prefectures)()).toEqual([]);
  });

  it('names the lowest common superior of courts', () => {
    expect(lowestCommonSuperior(['川0104', '川0106'])).toBe('川01');
    expect(lowestCommonSuperior(['川0104', '川01'])).toBe('川');
    expect(lowestCommonSuperior(['川0104', '川0302'])).toBe('川');
    expect(lowestCommonSuperior(['川7101', '川7102'])).toBe('川71');
    expect(lowestCommonSuperior(['川7101', '川0104'])).toBe('川');
    expect(lowestCommonSuperior(['川0104'])).toBe('川01');
    expect(lowestCommonSuperior(['川'])).toBeNull();
    expect(lowestCommonSuperior([])).toBeNull();
  });

  it('never moves a review case, and decides on none (issue 14 item 3)', () => {
    for (const typeCode of ['执异', '执复', '执监', '执协']) {
      for (const mode of ['DIRECTED', 'CENTRALIZED', 'COLLABORATIVE'] as const) {
        const err = expectRule(
          cases({ mode, receivingCourt: mode === 'COLLABORATIVE' ? '川01' : '川0105' }, [
            kase('A', '川0104'),
            kase('B', '川0106', { typeCode }),
          ]),
          'NOT_AN_IMPLEMENTATION_CASE',
          'input.caseNumbers[1]',
        );
        expect(err.message).toContain(typeCode);
      }
    }
    // 执恢 and 执保 are implementation cases and move like 执.
    expect(
      cases({}, [kase('A', '川0104', { typeCode: '执恢' }), kase('B', '川0106', { typeCode: '执保' })])().map((c) => c.number),
    ).toEqual(['A', 'B']);
  });

  it('never moves a criminal restitution case, but lets a decision name it where it is (issue 14 item 3)', () => {
    const criminal = kase('C', '川0106', { category: 'CRIMINAL_RESTITUTION' });
    expectRule(cases({}, [kase('A', '川0104'), criminal]), 'CRIMINAL_RESTITUTION_STAYS', 'input.caseNumbers[1]', 'CONFLICT');
    expectRule(
      cases({ mode: 'CENTRALIZED', receivingCourt: '川0105' }, [kase('A', '川0104'), criminal]),
      'CRIMINAL_RESTITUTION_STAYS',
      'input.caseNumbers[1]',
      'CONFLICT',
    );
    expectRule(
      cases({ mode: 'ELEVATED', receivingCourt: '川01' }, [criminal]),
      'CRIMINAL_RESTITUTION_STAYS',
      'input.caseNumbers[0]',
      'CONFLICT',
    );
    // Centralizing the civil series at the criminal court records the criminal case without moving it.
    expect(cases({ mode: 'CENTRALIZED', receivingCourt: '川0106' }, [kase('A', '川0104'), criminal])().map((c) => c.number)).toEqual(['A']);
    // Collaboration and deadline orders move nothing, so they cover it.
    expect(cases({ mode: 'COLLABORATIVE', receivingCourt: '川01' }, [kase('A', '川0104'), criminal])()).toEqual([]);
    expect(cases({ mode: 'DEADLINE_ORDER', receivingCourt: null }, [criminal])()).toEqual([]);
  });

  it('moves nothing on a deadline order', () => {
    expect(cases({ mode: 'DEADLINE_ORDER', receivingCourt: null }, [kase('A', '川0104'), kase('B', '川0106')])()).toEqual([]);
  });

  it('prefixes field paths with the decision position', () => {
    const err = caught(() => checkDecisionCases(decision({ caseNumbers: ['A'] }), [kase('A', '川0302')], 'input.decisions[1]'));
    expect([err.field, err.rule, err.code]).toEqual(['input.decisions[1].decidingCourt', 'DECIDING_COURT_NOT_ABOVE', 'FORBIDDEN']);
  });
});
