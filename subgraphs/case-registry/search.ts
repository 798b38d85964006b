import { normaliseName } from '../../domain/names';
import type { CasePartyRecord, DebtorMatchRecord, MatchEvidenceRecord, PersonRecord } from './sources/records';

/**
 * Scores name-search results. Identified persons are debtors in their own right; party records without a
 * valid identifier are grouped by normalised name and kind and offered only as candidates, each with the
 * identified debtors it may belong to, a confidence and the evidence. Nothing is merged.
 */
export function scoreDebtorMatches(
  query: string,
  persons: readonly PersonRecord[],
  unidentified: readonly CasePartyRecord[],
  sameKeyPersons: ReadonlyMap<string, readonly PersonRecord[]>,
  first: number,
  /**
   * How evidence names an identified debtor: the resolver passes the viewer's view (the identifier, or its mask when
   * the viewer may not see that debtor), so evidence never names an identifier the match itself would mask.
   */
  shownId: (person: PersonRecord) => string = (p) => p.id,
): DebtorMatchRecord[] {
  const queryKey = normaliseName(query);
  const matches: DebtorMatchRecord[] = [];

  for (const p of persons) {
    const evidence: MatchEvidenceRecord[] = [
      {
        rule: 'IDENTIFIER',
        detail: `identified by validated ${p.kind === 'LEGAL_PERSON' ? 'unified social credit code' : 'resident ID number'}`,
      },
    ];
    const confidence = personConfidence(query, queryKey, p);
    if (p.name === query.trim()) evidence.push({ rule: 'NAME_EXACT', detail: `name 「${p.name}」 equals the query` });
    else if (p.name_key === queryKey)
      evidence.push({ rule: 'NAME_NORMALISED', detail: `name 「${p.name}」 equals the query once normalised to 「${queryKey}」` });
    else evidence.push({ rule: 'NAME_CONTAINS', detail: `normalised name 「${p.name_key}」 contains 「${queryKey}」` });
    matches.push({ person: p, name: p.name, kind: p.kind, candidate: false, confidence, evidence, caseNumbers: [], possibleDebtorIds: [] });
  }

  const groups = new Map<string, CasePartyRecord[]>();
  for (const r of unidentified) {
    const key = `${r.kind}|${r.name_key}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  for (const records of groups.values()) {
    const first = records[0]!;
    const possible = (sameKeyPersons.get(first.name_key) ?? []).filter((p) => p.kind === first.kind);
    const evidence: MatchEvidenceRecord[] = [];
    let confidence = candidateNameScore(queryKey, first.name_key);
    if (first.name_key === queryKey) {
      evidence.push({ rule: 'NAME_NORMALISED', detail: `recorded name 「${first.name}」 normalises to the query's 「${queryKey}」` });
    } else {
      evidence.push({
        rule: 'NAME_CONTAINS',
        detail: `recorded name 「${first.name}」 normalises to 「${first.name_key}」, which contains 「${queryKey}」`,
      });
    }
    const regions = new Set(records.map((r) => r.division_code?.slice(0, 4)).filter(Boolean));
    const sameRegion = possible.filter((p) => p.division_code && regions.has(p.division_code.slice(0, 4)));
    if (sameRegion.length > 0) {
      confidence += REGION_BONUS;
      evidence.push({
        rule: 'REGION',
        detail: `recorded in the same prefecture-level division (${[...regions].join(', ')}) as ${sameRegion.map(shownId).join(', ')}`,
      });
    }
    if (possible.length > 1) confidence -= 0.1; // several identified debtors share the name: the link is ambiguous
    matches.push({
      person: null,
      name: first.name,
      kind: first.kind,
      candidate: true,
      confidence: candidateConfidence(confidence),
      evidence,
      caseNumbers: [...new Set(records.map((r) => r.case_number))],
      possibleDebtorIds: possible.map((p) => p.id),
    });
  }

  return matches
    .map((m) => ({ ...m, confidence: round2(m.confidence) }))
    .sort((a, b) => b.confidence - a.confidence || Number(a.candidate) - Number(b.candidate) || a.name.localeCompare(b.name))
    .slice(0, first);
}

/**
 * The unidentified records whose candidate could be among the `first` matches scoreDebtorMatches returns, so that the
 * resolver looks up the same-key persons of those only. When the search found `first` persons, a candidate ranks
 * below all of them unless it scores more than the lowest of them (at an equal score a person comes first), and no
 * candidate scores more than its name score plus the region's bonus (the ambiguity only takes away). The others are
 * dropped here, as the sort would drop them: the answer is the same.
 */
export function candidatesThatMayRank(
  query: string,
  persons: readonly PersonRecord[],
  unidentified: readonly CasePartyRecord[],
  first: number,
): CasePartyRecord[] {
  if (persons.length < first) return [...unidentified];
  const queryKey = normaliseName(query);
  const lowest = Math.min(...persons.map((p) => round2(personConfidence(query, queryKey, p))));
  return unidentified.filter((r) => candidateConfidence(candidateNameScore(queryKey, r.name_key) + REGION_BONUS) > lowest);
}

const REGION_BONUS = 0.15;

function personConfidence(query: string, queryKey: string, p: PersonRecord): number {
  if (p.name === query.trim()) return 1;
  if (p.name_key === queryKey) return 0.95;
  return containsScore(queryKey, p.name_key, 0.5, 0.4);
}

function candidateNameScore(queryKey: string, nameKey: string): number {
  return nameKey === queryKey ? 0.6 : containsScore(queryKey, nameKey, 0.3, 0.3);
}

function candidateConfidence(score: number): number {
  return round2(Math.max(0.05, Math.min(0.85, score)));
}

function containsScore(queryKey: string, nameKey: string, base: number, span: number): number {
  return base + span * Math.min(1, queryKey.length / Math.max(1, nameKey.length));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
