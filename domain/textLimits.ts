import { refuse } from './errorCatalogue';

/**
 * The documented maximum length (in characters) of every free-text input of the registry and property-control
 * schemas, checked at the boundary before the text reaches a rule or a statement (a 30,000-character name made
 * SQLite's LIKE fail with "pattern too complex"). The SDL descriptions and the README state the same numbers.
 * Notes keep their own rule, NOTE_TOO_LONG (2000 characters); a decision's `reasons` and a disposal step's `method`
 * are closed sets, refused by their own rules (UNKNOWN_RULE, REFERENCE_METHOD) inside the audited write.
 */
export const TEXT_LIMITS = {
  /** `debtorSearch(name:)`: the longest registered company names are well under 100 characters. */
  name: 100,
  /** A prefecture filter (`川01`, `成都市`, `阿坝藏族羌族自治州`). */
  prefecture: 32,
  /** `rebalancePlan(caseType:)`: a case category name. */
  caseType: 32,
} as const;

/** Refuses (BAD_USER_INPUT, rule TEXT_TOO_LONG, naming the field) a text longer than `max` characters. */
export function limitText(value: string | null | undefined, field: string, max: number): void {
  if (value != null && value.length > max) {
    throw refuse.TEXT_TOO_LONG(field, `at most ${max} characters, got ${value.length}`);
  }
}

/** Any other text argument of a query (a code, a number, an identifier, a cursor) is at most this long. */
export const DEFAULT_TEXT_LIMIT = 256;

/**
 * Checks every string in a field's arguments, nested inputs and lists included, against its limit: `limits` by the
 * argument's own name (`name`, `prefecture`), else {@link DEFAULT_TEXT_LIMIT}. The refusal names the argument's path
 * (`ids[3]`, `input.note`).
 */
export function limitTextArguments(args: unknown, limits: Readonly<Record<string, number>>, path = '', name = ''): void {
  if (typeof args === 'string') limitText(args, path, limits[name] ?? DEFAULT_TEXT_LIMIT);
  else if (Array.isArray(args)) args.forEach((v, i) => limitTextArguments(v, limits, `${path}[${i}]`, name));
  else if (args !== null && typeof args === 'object') {
    for (const [key, value] of Object.entries(args)) limitTextArguments(value, limits, path ? `${path}.${key}` : key, key);
  }
}
