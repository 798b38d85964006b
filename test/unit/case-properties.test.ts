import { describe, expect, it } from 'vitest';
import { caseProperties, debtorFacts } from '../../subgraphs/coordination/sources/facts';
import type { CaseMeasureWire, DebtorRepresentation } from '../../subgraphs/coordination/sources/records';

/** Issue 14 item 7: the property facts of the six-month test, from the lineage measures property-control supplies. */

const measure = (id: string, propertyId: string, startsAt: string, over: Partial<CaseMeasureWire> = {}): CaseMeasureWire => ({
  id,
  status: 'IN_EFFECT',
  startsAt,
  propertyId,
  ...over,
});
/** The properties under the measures, undisposed since their first measure (`Case.measuredProperties`, ADR 21). */
const measured = (measures: CaseMeasureWire[]) =>
  [...new Set(measures.map((m) => m.propertyId))].map((id) => ({ id, undisposedSince: '2025-01-01' }));

describe('caseProperties', () => {
  it('keeps each property once, from the earliest start of its standing measures', () => {
    const measures = [
      measure('M2', 'P1', '2025-09-01', { status: 'WAITING' }),
      measure('M1', 'P1', '2025-03-01'),
      measure('M3', 'P2', '2025-01-01', { status: 'RELEASED' }),
      measure('M4', 'P3', '2025-02-01', { status: 'LAPSED' }),
    ];
    expect(caseProperties(measures, measured(measures))).toEqual([{ id: 'P1', controlledSince: '2025-03-01', disposed: false }]);
  });

  it('marks a property disposed once property-control no longer has it undisposed', () => {
    expect(caseProperties([measure('M1', 'P1', '2025-03-01')], [{ id: 'P1', undisposedSince: null }])).toEqual([
      { id: 'P1', controlledSince: '2025-03-01', disposed: true },
    ]);
    expect(caseProperties(undefined, undefined)).toEqual([]);
  });

  it('refuses to judge a standing measure whose property the gateway did not supply (ADR 21)', () => {
    expect(() => caseProperties([measure('M1', 'P1', '2025-03-01')], [])).toThrow("its property's facts were not supplied");
  });
});

describe('debtorFacts', () => {
  const NUMBER = '(2025)川0104执1号';
  const wireCase = () => ({
    number: NUMBER,
    filedAt: '2025-01-10',
    lastActionAt: null,
    amountDue: '1000.00',
    amountRecovered: '10.00',
    category: 'CIVIL',
    executingCourt: { code: '川0104' },
    excludedPeriods: [{ kind: 'SUSPENSION', startsAt: '2025-03-01', endsAt: null }],
    supervisionOrders: [],
  });
  /** Property-control's entry for one case on the debtor's flat `caseLineageMeasures` (ADR 21). */
  const lineage = (number: string, measures: CaseMeasureWire[]) => ({ case: { number }, measures, measuredProperties: measured(measures) });
  const rep = (measures: CaseMeasureWire[] | null): DebtorRepresentation => ({
    id: '11010519491231002X',
    divisionCode: '510104',
    unclosedCases: [],
    terminatedThisRoundCases: [{ ...wireCase(), closedAt: '2025-12-01' }],
    properties: [],
    caseCarriers: [],
    caseLineageMeasures: measures && [lineage(NUMBER, measures)],
    transferHistory: [],
    externalCases: [],
  });

  it('gives a 终本 case its closure date and its lineage properties', () => {
    const d = debtorFacts(rep([measure('M1', 'P1', '2025-02-01')]));
    expect(d.unclosedCases).toEqual([]);
    expect(d.terminatedThisRoundCases).toMatchObject([
      { number: '(2025)川0104执1号', terminatedThisRoundAt: '2025-12-01', amountRecovered: 1000, properties: [{ id: 'P1' }] },
    ]);
  });

  it("carries a case's Art. 13 periods, and refuses to judge when the registry did not supply them (issue 15 item 1)", () => {
    const d = debtorFacts(rep([]));
    expect(d.terminatedThisRoundCases![0]!.excludedPeriods).toEqual([{ kind: 'SUSPENSION', startsAt: '2025-03-01', endsAt: null }]);
    const { excludedPeriods: _, ...without } = rep([]).terminatedThisRoundCases![0]!;
    expect(() => debtorFacts({ ...rep([]), terminatedThisRoundCases: [without] })).toThrow(
      'the facts this assessment requires were not supplied',
    );
  });

  it('refuses to judge when property-control did not supply a case’s measures, rather than finding "no property"', () => {
    expect(() => debtorFacts(rep(null))).toThrow('the facts this assessment requires were not supplied');
  });

  it('refuses to judge a case whose lineage measures property-control did not list', () => {
    const other = { ...wireCase(), number: '(2025)川0104执2号' };
    expect(() => debtorFacts({ ...rep([]), unclosedCases: [other] })).toThrow('the facts this assessment requires were not supplied');
  });

  it('reads a case without an amount as ordering conduct, unless it is a review case, which orders nothing (issue 15 item 10)', () => {
    const noAmount = (number: string) => ({ ...wireCase(), number, amountDue: null, amountRecovered: '0.00' });
    const numbers = ['(2025)川0104执2号', '(2025)川0104执异3号'];
    const d = debtorFacts({
      ...rep([]),
      unclosedCases: numbers.map(noAmount),
      caseLineageMeasures: [lineage(NUMBER, []), ...numbers.map((n) => lineage(n, []))],
    });
    expect(d.unclosedCases.map((c) => [c.typeCode, c.ordersConduct])).toEqual([
      ['执', true],
      ['执异', false],
    ]);
  });
});
