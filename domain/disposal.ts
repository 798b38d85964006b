import { addMonths } from './dates';
import { refuse } from './errorCatalogue';
import { MAX_PERIOD_MONTHS, measureStatus, type MeasurePeriod, type PropertyKind } from './measures';

/**
 * The legal order of disposal (处置) and of measure renewal, as pure checks. Prices are integer fen.
 * Reference price (议价、询价、网络询价、委托评估) → first online auction, reserve ≥ 70% of the reference price →
 * after a failed first auction, a second auction cutting the reserve by at most 20%, or taking in payment at the
 * failed auction's reserve → after a failed second auction, sale (变卖) at no less than its reserve, taking in
 * payment at that reserve, or a new reference price that starts a new cycle of auctions. Every price limit is relative
 * to the current cycle: the reference price, first reserve and second reserve recorded since the latest reference price.
 *
 * A bank deposit is not appraised or auctioned: the court deducts (划拨) the frozen money to the applicant
 * (民事诉讼法: 查询、冻结、划拨 the debtor's deposits; 民诉法解释 Art. 485 gives a deposit's freeze one year). Its one step is DEDUCTION,
 * stating the amount deducted, which ends the disposal; a deposit takes no other step and no other kind takes it.
 */
export const DISPOSAL_LIMITS = { firstAuctionMinShareOfReference: 0.7, secondAuctionMaxCut: 0.2 } as const;

export type DisposalStage = 'REFERENCE_PRICE' | 'FIRST_AUCTION' | 'SECOND_AUCTION' | 'SALE' | 'TAKEN_IN_PAYMENT' | 'DEDUCTION';
/** Every stage a property can be in, `NONE` (not yet in disposal) first: the import's and the SDL's list. */
export const DISPOSAL_STAGES = [
  'NONE',
  'REFERENCE_PRICE',
  'FIRST_AUCTION',
  'SECOND_AUCTION',
  'SALE',
  'TAKEN_IN_PAYMENT',
  'DEDUCTION',
] as const;

/** The kinds of property disposed of by deduction (划拨) instead of reference price and auction. */
export const DEDUCTED_KINDS: readonly PropertyKind[] = ['BANK_DEPOSIT'];

/** Whether a property of this kind is deducted (划拨) rather than priced and auctioned. */
export function isDeducted(kind: PropertyKind | string): boolean {
  return (DEDUCTED_KINDS as readonly string[]).includes(kind);
}
export const REFERENCE_METHODS = ['NEGOTIATED', 'INQUIRY', 'ONLINE_INQUIRY', 'APPRAISAL'] as const;

export interface DisposalStepFact {
  stage: DisposalStage;
  price: number | null;
  occurredAt: string;
  succeeded: boolean;
}

/** A step as asked for; `NONE` is a stage a property is in, never a step, and is refused as out of order. */
export interface DisposalStepInput extends Omit<DisposalStepFact, 'stage'> {
  stage: DisposalStage | 'NONE';
  method: string | null;
}

/** True when the step ends the disposal: an auction that sold, a sale, or taking in payment. */
export function disposes(step: { stage: DisposalStage | 'NONE'; succeeded: boolean }): boolean {
  return step.succeeded && step.stage !== 'REFERENCE_PRICE' && step.stage !== 'NONE';
}

// The auction order, for every kind not deducted (a deposit's only step is DEDUCTION: checkDisposalStep).
const NEXT: Record<DisposalStage | 'NONE', DisposalStage[]> = {
  NONE: ['REFERENCE_PRICE'],
  REFERENCE_PRICE: ['FIRST_AUCTION'],
  FIRST_AUCTION: ['SECOND_AUCTION', 'TAKEN_IN_PAYMENT'],
  // After a failed second auction the court may obtain a new reference price and auction again (a new cycle).
  SECOND_AUCTION: ['SALE', 'TAKEN_IN_PAYMENT', 'REFERENCE_PRICE'],
  SALE: [],
  TAKEN_IN_PAYMENT: [],
  DEDUCTION: [],
};

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The steps of the current cycle: those since (and including) the latest reference price. */
export function currentCycle<T extends { stage: DisposalStage }>(history: readonly T[]): T[] {
  let start = history.length - 1;
  while (start >= 0 && history[start]!.stage !== 'REFERENCE_PRICE') start--;
  return start < 0 ? [...history] : history.slice(start);
}

/**
 * Whether a step fits the kind of property: a deposit takes DEDUCTION and nothing else, every other kind anything but
 * DEDUCTION (DEPOSIT_DEDUCTION). `field` is the stage's field path.
 */
export function checkStageForKind(kind: PropertyKind, stage: DisposalStage | 'NONE', field: string): void {
  if (stage === 'NONE') return;
  if (isDeducted(kind) && stage !== 'DEDUCTION')
    throw refuse.DEPOSIT_DEDUCTION(field, `a ${kind} is deducted (划拨), not priced or auctioned: its one step is DEDUCTION, not ${stage}`);
  if (!isDeducted(kind) && stage === 'DEDUCTION')
    throw refuse.DEPOSIT_DEDUCTION(field, `only a bank deposit is deducted (划拨); a ${kind} is priced and auctioned`);
}

/**
 * Checks the next disposal step against the history so far (oldest first) and the kind of the property. `at` prefixes
 * field paths.
 */
export function checkDisposalStep(
  history: readonly DisposalStepFact[],
  step: DisposalStepInput,
  today: string,
  at: string,
  kind: PropertyKind,
): void {
  const f = (name: string) => `${at}.${name}`;
  const last = history.at(-1) ?? null;
  if (history.some(disposes)) throw refuse.PROPERTY_ALREADY_DISPOSED(f('propertyId'), 'the property was already disposed of');
  checkStageForKind(kind, step.stage, f('stage'));
  const allowed = isDeducted(kind) ? (['DEDUCTION'] as DisposalStage[]) : NEXT[last?.stage ?? 'NONE'];
  if (step.stage === 'NONE' || !allowed.includes(step.stage)) {
    throw refuse.DISPOSAL_ORDER(
      f('stage'),
      `after ${last?.stage ?? 'no step'} the next step is ${allowed.join(' or ')}, not ${step.stage}`,
    );
  }
  if (step.occurredAt > today) throw refuse.DATE_IN_FUTURE(f('occurredAt'), `${step.occurredAt} is after today (${today})`);
  if (last && step.occurredAt < last.occurredAt) {
    throw refuse.DATE_BEFORE_PREVIOUS_STEP(f('occurredAt'), `the previous step (${last.stage}) was on ${last.occurredAt}`);
  }
  if (step.stage === 'REFERENCE_PRICE') {
    if (step.method === null || !(REFERENCE_METHODS as readonly string[]).includes(step.method)) {
      throw refuse.REFERENCE_METHOD(f('method'), `the reference price is set by ${REFERENCE_METHODS.join(', ')}`);
    }
  } else if (step.method !== null) {
    throw refuse.METHOD_NOT_APPLICABLE(f('method'), 'only the reference-price step names a method');
  }
  if (step.price === null || step.price <= 0) throw refuse.PRICE_REQUIRED(f('price'), 'every step states a price above zero');
  if (
    (step.stage === 'REFERENCE_PRICE' || step.stage === 'SALE' || step.stage === 'TAKEN_IN_PAYMENT' || step.stage === 'DEDUCTION') &&
    !step.succeeded
  ) {
    throw refuse.STEP_OUTCOME(f('succeeded'), `a ${step.stage} step is recorded once done; only auctions fail (流拍)`);
  }
  const previousPrice = last?.price ?? 0;
  const cycle = currentCycle(history);
  const priceOf = (stage: DisposalStage) => cycle.find((s) => s.stage === stage)?.price ?? 0;
  switch (step.stage) {
    case 'FIRST_AUCTION': {
      const floor = Math.ceil(priceOf('REFERENCE_PRICE') * DISPOSAL_LIMITS.firstAuctionMinShareOfReference);
      if (step.price < floor)
        throw refuse.FIRST_AUCTION_PRICE_FLOOR(
          f('price'),
          `the first auction's reserve is at least 70% of the current reference price: ${yuan(floor)} yuan`,
        );
      break;
    }
    case 'SECOND_AUCTION': {
      const firstReserve = priceOf('FIRST_AUCTION');
      const floor = Math.ceil(firstReserve * (1 - DISPOSAL_LIMITS.secondAuctionMaxCut));
      if (step.price > firstReserve || step.price < floor) {
        throw refuse.SECOND_AUCTION_PRICE_CUT(
          f('price'),
          `the second auction cuts this cycle's first reserve (${yuan(firstReserve)} yuan) by at most 20%: between ${yuan(floor)} and ${yuan(firstReserve)} yuan`,
        );
      }
      break;
    }
    case 'SALE': {
      const secondReserve = priceOf('SECOND_AUCTION');
      if (step.price < secondReserve)
        throw refuse.SALE_PRICE_FLOOR(
          f('price'),
          `a sale after a failed second auction is at no less than this cycle's second reserve, ${yuan(secondReserve)} yuan`,
        );
      break;
    }
    case 'TAKEN_IN_PAYMENT':
      if (step.price !== previousPrice)
        throw refuse.TAKEN_IN_PAYMENT_PRICE(
          f('price'),
          `taking in payment is at the failed auction's reserve, ${yuan(previousPrice)} yuan`,
        );
      break;
    case 'REFERENCE_PRICE':
    case 'DEDUCTION':
      break;
  }
}

export interface RenewableMeasure extends MeasurePeriod {
  propertyKind: PropertyKind;
}

/**
 * A renewal (续行) is recorded while the measure is in effect, on or before its expiry day, and sets a new expiry
 * later than the current one by at most the legal period for the kind of property.
 */
export function checkRenewal(m: RenewableMeasure, newExpiresAt: string, today: string, at: string): void {
  const f = (name: string) => `${at}.${name}`;
  const status = measureStatus(m, today);
  if (status === 'RELEASED') throw refuse.MEASURE_RELEASED(f('measureId'), `the measure was released on ${m.releasedAt}`);
  if (status === 'WAITING') throw refuse.MEASURE_WAITING(f('measureId'), 'a waiting seizure has no period to renew until it takes effect');
  if (status === 'LAPSED') {
    throw refuse.MEASURE_LAPSED(
      f('measureId'),
      `the measure expired on ${m.expiresAt} unrenewed and lost effect; a lapsed measure cannot be renewed, impose a new one`,
    );
  }
  const current = m.expiresAt!;
  if (newExpiresAt <= current) throw refuse.RENEWAL_NOT_LATER(f('expiresAt'), `a renewal sets an expiry after the current one, ${current}`);
  const months = MAX_PERIOD_MONTHS[m.propertyKind];
  const limit = addMonths(current, months);
  if (newExpiresAt > limit) {
    throw refuse.RENEWAL_PERIOD_LIMIT(
      f('expiresAt'),
      `a renewal on ${m.propertyKind} runs at most ${months} months: no later than ${limit}`,
    );
  }
}
