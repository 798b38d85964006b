import { refuse } from './errorCatalogue';
import { PROVINCE_ABBREVIATIONS, parseCourtCode, parseExternalCourtCode, type ProvinceAbbreviation } from './courtCode';

/**
 * Enforcement case type codes (案件类型代字, 《人民法院案件类型及其代字标准》 under the Supreme People's Court's
 * 《关于人民法院案件案号的若干规定》, in force 2016-01-01) and the GraphQL enum value each maps to.
 */
export const CASE_TYPES = {
  执: 'FIRST_EXECUTION',
  执恢: 'RESUMED_EXECUTION',
  执保: 'PRESERVATION',
  执异: 'OBJECTION',
  执复: 'RECONSIDERATION',
  执监: 'SUPERVISION',
  执协: 'COORDINATION',
  执他: 'OTHER_EXECUTION',
} as const;
export type CaseTypeCode = keyof typeof CASE_TYPES;
export type CaseType = (typeof CASE_TYPES)[CaseTypeCode];
export const CASE_TYPE_CODES = Object.keys(CASE_TYPES) as CaseTypeCode[];
export const CASE_TYPE_BY_ENUM = Object.fromEntries(Object.entries(CASE_TYPES).map(([code, name]) => [name, code])) as Record<
  CaseType,
  CaseTypeCode
>;

export interface CaseNumber {
  /** Canonical form with half-width brackets: `(2024)川0105执1234号`. */
  number: string;
  year: number;
  courtCode: string;
  typeCode: CaseTypeCode;
  sequence: number;
}

export const FIRST_CASE_YEAR = 1990;

// Longest type codes first so 执恢 is not read as 执 + "恢…".
const TYPE_ALTERNATION = [...CASE_TYPE_CODES].sort((a, b) => b.length - a.length).join('|');
const CASE_NUMBER_RE = new RegExp(`^\\((\\d{4})\\)(川\\d{0,4})(${TYPE_ALTERNATION})(\\d+)号$`);

export function formatCaseNumber(year: number, courtCode: string, typeCode: CaseTypeCode, sequence: number): string {
  return `(${year})${courtCode}${typeCode}${sequence}号`;
}

/**
 * The number a court gives the next case of a type in a year: sequences restart each year per court and type code
 * (《关于人民法院案件案号的若干规定》: numbered in the order filed within the year), so it follows the highest sequence already used (`lastSequence`, null
 * when none). A transfer's continuation and a resumed 终本 case (执恢) are numbered so.
 */
export function nextCaseNumber(
  year: number,
  courtCode: string,
  typeCode: CaseTypeCode,
  lastSequence: number | null,
): { number: string; sequence: number } {
  const sequence = (lastSequence ?? 0) + 1;
  if (sequence > 999_999)
    throw refuse.CASE_NUMBER_SEQUENCE('caseNumbers', `${courtCode} has used every ${year} ${typeCode} sequence number`);
  return { number: formatCaseNumber(year, courtCode, typeCode, sequence), sequence };
}

/**
 * Parses and validates a case number (案号). Full-width brackets （） are accepted and normalised to the
 * half-width canonical form. Throws ValidationError naming `field` and the broken rule.
 */
export function parseCaseNumber(raw: string, field = 'number', today = new Date()): CaseNumber {
  const text = raw.trim().replace(/（/g, '(').replace(/）/g, ')');
  if (!text.startsWith('(')) {
    throw refuse.CASE_NUMBER_FORMAT(field, 'a case number starts with the filing year in brackets, e.g. (2024)川0105执1234号');
  }
  if (!text.endsWith('号')) {
    throw refuse.CASE_NUMBER_FORMAT(field, 'a case number ends with 号, e.g. (2024)川0105执1234号');
  }
  const m = CASE_NUMBER_RE.exec(text);
  if (!m) {
    // Not canonical: name the first part that is wrong, court code before type code.
    const loose = /^\((\d{4})\)(\D\d*)(\D+?)(\d+)号$/.exec(text);
    if (loose) {
      parseCourtCode(loose[2]!, field);
      if (!(CASE_TYPE_CODES as string[]).includes(loose[3]!)) {
        throw refuse.CASE_TYPE_CODE(field, `"${loose[3]}" is not an enforcement case type code (one of ${CASE_TYPE_CODES.join(', ')})`);
      }
    }
    throw refuse.CASE_NUMBER_FORMAT(field, 'a case number is (year) court code, type code, sequence and 号, e.g. (2024)川0105执1234号');
  }
  const year = Number(m[1]);
  const maxYear = today.getUTCFullYear();
  if (year < FIRST_CASE_YEAR || year > maxYear) {
    throw refuse.CASE_NUMBER_YEAR(field, `year ${year} is outside ${FIRST_CASE_YEAR}-${maxYear}`);
  }
  const courtCode = parseCourtCode(m[2]!, field).code;
  const seqText = m[4]!;
  if (seqText.startsWith('0')) {
    throw refuse.CASE_NUMBER_SEQUENCE(field, 'the sequence number is a positive integer without leading zeros');
  }
  const sequence = Number(seqText);
  if (!Number.isSafeInteger(sequence) || sequence > 999_999) {
    throw refuse.CASE_NUMBER_SEQUENCE(field, 'the sequence number is at most 999999');
  }
  const typeCode = m[3] as CaseTypeCode;
  return { number: formatCaseNumber(year, courtCode, typeCode, sequence), year, courtCode, typeCode, sequence };
}

/**
 * The case numbers before the Supreme People's Court's 《关于人民法院案件案号的若干规定》 (in force 2016-01-01):
 * `(2015)青羊执字第123号` — year, the court's abbreviation (not its code), type code, `字第`, sequence, `号`.
 */
export const LAST_HISTORICAL_YEAR = 2015;

export interface HistoricalCaseNumber {
  /** As given, with brackets normalised to half-width `()` (from `（）` or `〔〕`); the sequence keeps its zeros. */
  number: string;
  year: number;
  /** The court's abbreviation as written (青羊); the old form names no court code. */
  courtName: string;
  typeCode: CaseTypeCode;
  sequence: number;
}

const normaliseBrackets = (raw: string) =>
  raw
    .trim()
    .replace(/[（〔]/g, '(')
    .replace(/[）〕]/g, ')');
const HISTORICAL_SHAPE_RE = /^\(\d{4}\).*字第\d+号$/;
const HISTORICAL_RE = new RegExp(`^\\((\\d{4})\\)([\\u4e00-\\u9fff]+?)(${TYPE_ALTERNATION})字第(\\d+)号$`);

/** Whether a number has the pre-2016 form (`…字第…号`); such a number is stored as given and flagged historical. */
export function isHistoricalCaseNumber(raw: string): boolean {
  return HISTORICAL_SHAPE_RE.test(normaliseBrackets(raw));
}

/**
 * Parses a pre-2016 case number. It is validated only as far as the old form allows: a year up to 2015, a court
 * abbreviation, an enforcement type code and a sequence; the court's code must come from elsewhere.
 */
export function parseHistoricalCaseNumber(raw: string, field = 'number', today = new Date()): HistoricalCaseNumber {
  const text = normaliseBrackets(raw);
  const m = HISTORICAL_RE.exec(text);
  if (!m) {
    throw refuse.CASE_NUMBER_FORMAT(
      field,
      `a pre-2016 case number is (year) court abbreviation, type code, 字第, sequence and 号, e.g. (2015)青羊执字第123号; type codes ${CASE_TYPE_CODES.join(', ')}`,
    );
  }
  const year = Number(m[1]);
  if (year < FIRST_CASE_YEAR || year > today.getUTCFullYear()) {
    throw refuse.CASE_NUMBER_YEAR(field, `year ${year} is outside ${FIRST_CASE_YEAR}-${today.getUTCFullYear()}`);
  }
  if (year > LAST_HISTORICAL_YEAR) {
    throw refuse.CASE_NUMBER_HISTORICAL_YEAR(
      field,
      `the …字第…号 form was replaced on 2016-01-01: a ${year} case is numbered (${year}) court code, type code, sequence 号`,
    );
  }
  const sequence = Number(m[4]);
  if (sequence < 1 || sequence > 999_999) {
    throw refuse.CASE_NUMBER_SEQUENCE(field, 'the sequence number is a positive integer up to 999999');
  }
  return { number: text, year, courtName: m[2]!, typeCode: m[3] as CaseTypeCode, sequence };
}

/** Case categories (案件类别) by the basis of enforcement. */
export const CASE_CATEGORIES = ['CIVIL', 'COMMERCIAL', 'NOTARIZED_DEBT', 'ARBITRATION', 'ADMINISTRATIVE', 'CRIMINAL_RESTITUTION'] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];

/** A related case's number in a court of another province (`(2023)鲁14执123号`): never a case of this registry. */
export interface ExternalCaseNumber extends CaseNumber {
  province: Exclude<ProvinceAbbreviation, '川'>;
}

const EXTERNAL_PROVINCES = Object.keys(PROVINCE_ABBREVIATIONS)
  .filter((a) => a !== '川')
  .join('');
// The abbreviation is followed by the court's digits or the type code: (2015)青羊执字第1号 is a Sichuan court's old number.
const EXTERNAL_SHAPE_RE = new RegExp(`^\\(\\d{4}\\)[${EXTERNAL_PROVINCES}]\\d*(${TYPE_ALTERNATION})`);
const EXTERNAL_RE = new RegExp(`^\\((\\d{4})\\)([${EXTERNAL_PROVINCES}]\\d*)(${TYPE_ALTERNATION})(\\d+)号$`);

/** Whether a number names another province's court (its court code starts with 鲁, 粤, …, not 川). */
export function isExternalCaseNumber(raw: string): boolean {
  return !isHistoricalCaseNumber(raw) && EXTERNAL_SHAPE_RE.test(normaliseBrackets(raw));
}

/**
 * Parses the case number of a court of another province, as strictly as a Sichuan number: year, court code (the
 * province's abbreviation, 0, 2 or 4 digits), enforcement type code, sequence, 号. A 川 number is refused
 * (`EXTERNAL_COURT_PROVINCE`): Sichuan's cases are the registry's own.
 */
export function parseExternalCaseNumber(raw: string, field = 'number', today = new Date()): ExternalCaseNumber {
  const text = raw.trim().replace(/（/g, '(').replace(/）/g, ')');
  const m = EXTERNAL_RE.exec(text);
  if (!m) {
    const loose = /^\((\d{4})\)(\D\d*)(\D+?)(\d+)号$/.exec(text);
    if (loose) {
      parseExternalCourtCode(loose[2]!, field);
      throw refuse.CASE_TYPE_CODE(field, `"${loose[3]}" is not an enforcement case type code (one of ${CASE_TYPE_CODES.join(', ')})`);
    }
    throw refuse.CASE_NUMBER_FORMAT(
      field,
      'an external case number is (year) court code, type code, sequence and 号, e.g. (2023)鲁14执123号',
    );
  }
  const year = Number(m[1]);
  if (year < FIRST_CASE_YEAR || year > today.getUTCFullYear())
    throw refuse.CASE_NUMBER_YEAR(field, `year ${year} is outside ${FIRST_CASE_YEAR}-${today.getUTCFullYear()}`);
  const court = parseExternalCourtCode(m[2]!, field);
  const seqText = m[4]!;
  if (seqText.startsWith('0') || Number(seqText) > 999_999)
    throw refuse.CASE_NUMBER_SEQUENCE(field, 'the sequence number is a positive integer up to 999999 without leading zeros');
  const typeCode = m[3] as CaseTypeCode;
  const sequence = Number(seqText);
  return {
    number: formatCaseNumber(year, court.code, typeCode, sequence),
    year,
    courtCode: court.code,
    typeCode,
    sequence,
    province: court.province,
  };
}
