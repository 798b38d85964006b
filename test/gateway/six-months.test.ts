import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../domain/dates';
import { creditCodeCheckChar, orgCodeCheckChar } from '../../domain/identifiers';
import { importFile } from '../../importing/importFile';
import type { RunningGraph } from '../../scripts/graph';
import { copyTestProvince, postGraphQL, startGraphOn, testToday } from '../support/graph';

/**
 * Issue 14 item 7 end to end: "six months unexecuted" is 执行程序若干问题的解释 Art. 10's test, judged through the
 * gateway on debtors imported for it (docs/import.md). The property facts come from property-control (the measures of
 * each case's lineage, `Case.measures`, through @requires), the case facts from the registry.
 */

const today = testToday();
const sixMonthsAgo = addMonths(today, -6);

let dir: string;
let graph: RunningGraph;

const creditCode = (org8: string) => {
  const first17 = `91510104${org8}${orgCodeCheckChar(org8)}`;
  return `${first17}${creditCodeCheckChar(first17)}`;
};

interface Scenario {
  debtor: string;
  filedAt: string;
  /** Day a seal was imposed in the case; none: no property found. */
  sealedAt?: string;
  amountRecovered?: string;
  conduct?: { lastActionAt?: string };
  /** Periods Art. 13 leaves out (issue 15 item 1), imported as the registry's `excludedPeriod` rows. */
  periods?: { kind: string; startsAt: string; endsAt?: string }[];
}

const scenarios = {
  atFilingSixMonths: { debtor: creditCode('MA6CXM01'), filedAt: sixMonthsAgo, sealedAt: sixMonthsAgo },
  atFilingOneDayShort: { debtor: creditCode('MA6CXM02'), filedAt: addDays(sixMonthsAgo, 1), sealedAt: addDays(sixMonthsAgo, 1) },
  foundLaterPartlyRecovered: {
    debtor: creditCode('MA6CXM03'),
    filedAt: addMonths(today, -20),
    sealedAt: addMonths(today, -7),
    amountRecovered: '120000.00',
  },
  foundRecently: { debtor: creditCode('MA6CXM04'), filedAt: addMonths(today, -20), sealedAt: addMonths(today, -3) },
  noProperty: { debtor: creditCode('MA6CXM05'), filedAt: addMonths(today, -20) },
  conductNoMeasure: { debtor: creditCode('MA6CXM06'), filedAt: addMonths(today, -7), conduct: {} },
  conductWithMeasure: { debtor: creditCode('MA6CXM07'), filedAt: addMonths(today, -7), conduct: { lastActionAt: addMonths(today, -5) } },
  // Six months and 10 days since filing: a 20-day suspension inside leaves it short; a 10-day appraisal leaves it met.
  suspendedInside: {
    debtor: creditCode('MA6CXM08'),
    filedAt: addDays(sixMonthsAgo, -10),
    sealedAt: addDays(sixMonthsAgo, -10),
    periods: [{ kind: 'SUSPENSION', startsAt: addDays(sixMonthsAgo, 20), endsAt: addDays(sixMonthsAgo, 39) }],
  },
  appraisalInside: {
    debtor: creditCode('MA6CXM09'),
    filedAt: addDays(sixMonthsAgo, -10),
    sealedAt: addDays(sixMonthsAgo, -10),
    periods: [{ kind: 'APPRAISAL', startsAt: addDays(sixMonthsAgo, 20), endsAt: addDays(sixMonthsAgo, 29) }],
  },
} satisfies Record<string, Scenario>;

const numberOf = (s: Scenario, i: number) => `(${s.filedAt.slice(0, 4)})川0104执${770001 + i}号`;

beforeAll(async () => {
  dir = copyTestProvince();
  const entries = Object.values(scenarios) as Scenario[];
  const caseLines = entries.map((s, i) =>
    JSON.stringify({
      type: 'case',
      number: numberOf(s, i),
      status: 'EXECUTING',
      filedAt: s.filedAt,
      category: 'CIVIL',
      ...(s.conduct
        ? {
            obligation: 'CONDUCT',
            conductOrdered: '销毁侵权设备',
            ...(s.conduct.lastActionAt ? { lastActionAt: s.conduct.lastActionAt } : {}),
          }
        : { amountDue: '500000.00', amountRecovered: s.amountRecovered ?? '0.00', lastActionAt: addDays(today, -5) }),
      debtors: [{ name: `六个月测试公司${i}`, identifier: s.debtor, divisionCode: '510104' }],
    }),
  );
  const periodLines = entries.flatMap((s, i) =>
    (s.periods ?? []).map((p) => JSON.stringify({ type: 'excludedPeriod', caseNumber: numberOf(s, i), ...p })),
  );
  const casesFile = path.join(dir, 'six-months-cases.jsonl');
  writeFileSync(casesFile, `${[...caseLines, ...periodLines].join('\n')}\n`);
  expect((await importFile('case-registry', casesFile, dir, { today })).errors).toEqual([]);
  const propertyLines = entries.flatMap((s, i) =>
    s.sealedAt
      ? [
          JSON.stringify({
            type: 'property',
            id: `P-6M-${i}`,
            kind: 'REAL_ESTATE',
            description: '六个月测试房产',
            ownerName: `六个月测试公司${i}`,
            ownerId: s.debtor,
            divisionCode: '510104',
            estimatedValue: '900000.00',
            undisposedSince: s.sealedAt,
          }),
          JSON.stringify({
            type: 'measure',
            id: `M-6M-${i}`,
            propertyId: `P-6M-${i}`,
            kind: 'SEAL',
            courtCode: '川0104',
            caseNumber: numberOf(s, i),
            imposedAt: s.sealedAt,
            periodStartsAt: s.sealedAt,
            expiresAt: addMonths(s.sealedAt, 36),
            queuePosition: 1,
          }),
        ]
      : [],
  );
  const propertyFile = path.join(dir, 'six-months-property.jsonl');
  writeFileSync(propertyFile, `${propertyLines.join('\n')}\n`);
  expect((await importFile('property-control', propertyFile, dir, { today })).errors).toEqual([]);
  graph = await startGraphOn(dir);
});

afterAll(async () => {
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Verdict {
  met: boolean;
  threshold: string;
  evidence: { cases: { number: string }[]; properties: { id: string }[]; dates: string[]; detail: string };
}

async function longUnexecuted(s: Scenario): Promise<Verdict> {
  const { status, body } = await postGraphQL<{ debtor: { transferAssessment: { rules: (Verdict & { id: string })[] } } }>(
    graph.gateway.url,
    `query ($id: ID!) { debtor(id: $id) { transferAssessment { rules { id met threshold
      evidence { cases { number } properties { id } dates detail } } } } }`,
    { id: s.debtor },
  );
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data!.debtor.transferAssessment.rules.find((r) => r.id === 'LONG_UNEXECUTED')!;
}

const indexOf = (s: Scenario) => (Object.values(scenarios) as Scenario[]).indexOf(s);

describe('six months unexecuted, through the gateway (issue 14 item 7)', () => {
  it('Art. 10(1): property held since filing six months ago is met; one day short is not', async () => {
    const met = await longUnexecuted(scenarios.atFilingSixMonths);
    expect(met.met).toBe(true);
    expect(met.evidence.cases.map((c) => c.number)).toEqual([numberOf(scenarios.atFilingSixMonths, 0)]);
    expect(met.evidence.properties.map((p) => p.id)).toEqual(['P-6M-0']);
    expect(met.evidence.dates).toEqual([sixMonthsAgo]);
    expect(met.threshold).toContain('执行程序若干问题的解释 Art. 10(1)-(2)');
    expect(met.threshold).toContain('The recorded periods Art. 13 leaves out');
    const short = await longUnexecuted(scenarios.atFilingOneDayShort);
    expect(short.met).toBe(false);
  });

  it('Art. 10(2): property found during execution counts from its discovery, and partial recovery does not end it', async () => {
    const found = await longUnexecuted(scenarios.foundLaterPartlyRecovered);
    const i = indexOf(scenarios.foundLaterPartlyRecovered);
    expect(found.met).toBe(true);
    expect(found.evidence.properties.map((p) => p.id)).toEqual([`P-6M-${i}`]);
    expect(found.evidence.dates).toEqual([scenarios.foundLaterPartlyRecovered.sealedAt]);
    expect(found.evidence.detail).toContain(`under control since ${scenarios.foundLaterPartlyRecovered.sealedAt}, not executed`);
    // Found three months ago: the six months since its discovery have not run, however old the case.
    expect((await longUnexecuted(scenarios.foundRecently)).met).toBe(false);
  });

  it('a case with no property found does not meet it, though filed 20 months ago with nothing recovered', async () => {
    const r = await longUnexecuted(scenarios.noProperty);
    expect(r.met).toBe(false);
    expect(r.evidence.cases).toEqual([]);
  });

  it('Art. 10(3): a conduct obligation with no enforcement measure in six months is met; with one it is not', async () => {
    const none = await longUnexecuted(scenarios.conductNoMeasure);
    expect(none.met).toBe(true);
    expect(none.evidence.detail).toContain('conduct ordered, no enforcement action since filing');
    expect((await longUnexecuted(scenarios.conductWithMeasure)).met).toBe(false);
  });

  it("Art. 13 (issue 15 item 1): the registry's recorded periods read back on the case, and the days inside the six months are not counted", async () => {
    const s = scenarios.suspendedInside;
    const { body } = await postGraphQL<{ case: { excludedPeriods: unknown[] } }>(
      graph.gateway.url,
      `query ($n: String!) { case(number: $n) { excludedPeriods { kind startsAt endsAt days basis } } }`,
      { n: numberOf(s, indexOf(s)) },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.case.excludedPeriods).toEqual([
      { kind: 'SUSPENSION', startsAt: s.periods[0]!.startsAt, endsAt: s.periods[0]!.endsAt, days: 20, basis: null },
    ]);
    const short = await longUnexecuted(s);
    expect(short.met).toBe(false);
    expect(short.evidence.detail).toContain(
      `not yet six months once Art. 13's periods are left out: ${numberOf(s, indexOf(s))}: P-6M-${indexOf(s)}'s six months from ${s.filedAt} run out on`,
    );
    expect(short.evidence.detail).toContain(
      `(20 days not counted, Art. 13: SUSPENSION ${s.periods[0]!.startsAt}–${s.periods[0]!.endsAt}, 20 days)`,
    );
    const a = scenarios.appraisalInside;
    const met = await longUnexecuted(a);
    expect(met.met).toBe(true);
    expect(met.evidence.cases.map((c) => c.number)).toEqual([numberOf(a, indexOf(a))]);
    expect(met.evidence.detail).toContain(
      `(10 days not counted, Art. 13: APPRAISAL ${a.periods[0]!.startsAt}–${a.periods[0]!.endsAt}, 10 days)`,
    );
  });
});
