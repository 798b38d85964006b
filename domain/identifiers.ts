import { refuse } from './errorCatalogue';

/**
 * Party identifiers: the unified social credit code (统一社会信用代码, GB 32100-2015) for organisations
 * and the resident ID number (居民身份证号, GB 11643-1999) for natural persons.
 *
 * Input is trimmed and upper-cased before checking, so a lower-case `x` check character is accepted
 * and stored as `X` (see docs/adr/0002-input-normalisation-and-not-found.md).
 */

export type DebtorKind = 'LEGAL_PERSON' | 'NATURAL_PERSON';

const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** Province-level codes that lead a resident ID number (GB/T 2260), plus 71/81/82/83 used for Taiwan, HK, Macao. */
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
  83,
]);

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARSET.indexOf(first17[i]!);
    if (v < 0) throw new RangeError(`not a credit-code character: ${first17[i]}`);
    sum += v * CREDIT_CODE_WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARSET[check]!;
}

/**
 * GB 11714-1997: the organisation code's check character over its first eight characters. Digits count 0-9 and
 * letters A-Z 10-35; weights 3,7,9,10,5,8,4,2; C9 = 11 − (Σ mod 11), with 10 → X and 11 → 0.
 */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
export function orgCodeCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = first8[i]!;
    const v = /\d/.test(ch) ? Number(ch) : /[A-Z]/.test(ch) ? ch.charCodeAt(0) - 55 : -1;
    if (v < 0) throw new RangeError(`not an organisation-code character: ${ch}`);
    sum += v * ORG_CODE_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * Registration management department codes (登记管理部门代码), position 1 of a credit code: GB 32100-2015's table
 * (1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 工商, Y 其他) and the codes assigned
 * since (A 中央军委改革和编制办公室, N 农业). Position 2 is checked against CREDIT_CODE_CATEGORIES.
 */
export const CREDIT_CODE_AUTHORITIES: Readonly<Record<string, string>> = {
  '1': '机构编制',
  '2': '外交',
  '3': '司法行政',
  '4': '文化',
  '5': '民政',
  '6': '旅游',
  '7': '宗教',
  '8': '工会',
  '9': '工商',
  A: '中央军委改革和编制办公室',
  N: '农业',
  Y: '其他',
};

/**
 * Organisation category codes (机构类别代码), position 2 of a credit code, per registration department: GB 32100-2015's
 * table as the standard's text is quoted publicly (docs/identifiers.md gives the source). Y (其他) has one category, 1.
 */
export const CREDIT_CODE_CATEGORIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '1': { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' },
  '2': { '1': '外国常住新闻机构', '9': '其他' },
  '3': { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  '4': { '1': '外国在华文化中心', '9': '其他' },
  '5': { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' },
  '6': { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' },
  '7': { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' },
  '8': { '1': '基层工会', '9': '其他' },
  '9': { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' },
  A: { '1': '军队事业单位', '9': '其他' },
  N: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  Y: { '1': '其他' },
};

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export interface ParsedIdentifier {
  /** Canonical form: trimmed, upper-case. */
  id: string;
  kind: DebtorKind;
  /** Six-digit administrative division code embedded in the identifier (registration or household address). */
  divisionCode: string;
  /** Resident ID numbers only. */
  birthDate?: string;
  sex?: 'MALE' | 'FEMALE';
}

function validBirthDate(yyyymmdd: string, today: Date): string | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y < 1900 || date.getTime() > today.getTime()) return null;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/** Validates a resident ID number; throws ValidationError naming `field` and the broken rule. */
export function parseResidentId(raw: string, field = 'id', today = new Date()): ParsedIdentifier {
  const id = raw.trim().toUpperCase();
  if (id.length !== 18) {
    throw refuse.RESIDENT_ID_LENGTH(
      field,
      `a resident ID number has 18 characters (GB 11643-1999), got ${id.length}` +
        (id.length === 15 ? '; 15-digit first-generation numbers must be given in their 18-digit form' : ''),
    );
  }
  if (!/^\d{17}[\dX]$/.test(id)) {
    throw refuse.RESIDENT_ID_CHARSET(field, 'a resident ID number is 17 digits followed by a digit or X');
  }
  if (!PROVINCE_CODES.has(Number(id.slice(0, 2)))) {
    throw refuse.RESIDENT_ID_ADDRESS(field, `"${id.slice(0, 2)}" is not a province-level address code`);
  }
  const birthDate = validBirthDate(id.slice(6, 14), today);
  if (!birthDate) {
    throw refuse.RESIDENT_ID_BIRTH_DATE(field, `"${id.slice(6, 14)}" is not a valid past birth date`);
  }
  const expected = residentIdCheckChar(id.slice(0, 17));
  if (id[17] !== expected) {
    throw refuse.RESIDENT_ID_CHECKSUM(field, `check character (ISO 7064 MOD 11-2) does not match: expected ${expected}, got ${id[17]}`);
  }
  return {
    id,
    kind: 'NATURAL_PERSON',
    divisionCode: id.slice(0, 6),
    birthDate,
    sex: Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE',
  };
}

/** Validates a unified social credit code; throws ValidationError naming `field` and the broken rule. */
export function parseCreditCode(raw: string, field = 'id'): ParsedIdentifier {
  const id = raw.trim().toUpperCase();
  if (id.length !== 18) {
    throw refuse.CREDIT_CODE_LENGTH(field, `a unified social credit code has 18 characters (GB 32100-2015), got ${id.length}`);
  }
  for (let i = 0; i < 18; i++) {
    if (!CREDIT_CODE_CHARSET.includes(id[i]!)) {
      throw refuse.CREDIT_CODE_CHARSET(
        field,
        `character ${i + 1} "${id[i]}" is not allowed in a unified social credit code (digits and A-Z without I, O, S, V, Z)`,
      );
    }
  }
  if (!(id[0]! in CREDIT_CODE_AUTHORITIES)) {
    throw refuse.CREDIT_CODE_AUTHORITY(
      field,
      `character 1 "${id[0]}" is not a registration management department code (GB 32100-2015: ${Object.keys(CREDIT_CODE_AUTHORITIES).join(', ')})`,
    );
  }
  const categories = CREDIT_CODE_CATEGORIES[id[0]!]!;
  if (!(id[1]! in categories)) {
    throw refuse.CREDIT_CODE_CATEGORY(
      field,
      `character 2 "${id[1]}" is not an organisation category of registration department ${id[0]} (${CREDIT_CODE_AUTHORITIES[id[0]!]}): ` +
        `GB 32100-2015 allows ${Object.entries(categories)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    );
  }
  if (!/^\d{6}$/.test(id.slice(2, 8)) || !PROVINCE_CODES.has(Number(id.slice(2, 4)))) {
    throw refuse.CREDIT_CODE_DIVISION(
      field,
      'characters 3-8 of a unified social credit code are the six-digit division code (GB/T 2260), led by a province code',
    );
  }
  const orgCode = id.slice(8, 17);
  const orgExpected = orgCodeCheckChar(orgCode.slice(0, 8));
  if (orgCode[8] !== orgExpected) {
    throw refuse.CREDIT_CODE_ORG_CHECK(
      field,
      `characters 9-17 are the organisation code (GB 11714): its check character ${orgCode[8]} does not match, expected ${orgExpected}`,
    );
  }
  const expected = creditCodeCheckChar(id.slice(0, 17));
  if (id[17] !== expected) {
    throw refuse.CREDIT_CODE_CHECKSUM(field, `check character (GB 32100-2015 mod 31) does not match: expected ${expected}, got ${id[17]}`);
  }
  return { id, kind: 'LEGAL_PERSON', divisionCode: id.slice(2, 8) };
}

/**
 * Validates a debtor identifier of either kind. A string shaped like a resident ID number (17 digits then
 * a digit or letter, led by a province code) is checked as one first; anything else as a credit code.
 *
 * An all-digit credit code can share that shape (机构编制 or 民政 codes with an old all-digit organisation code),
 * so a string that fails as an ID number is tried as a credit code, and accepted only if it passes every credit-code
 * check (authority, division, organisation-code check, mod-31 check); otherwise the ID-number rule is reported, so
 * `11010519491331002X` (month 13) is refused as RESIDENT_ID_BIRTH_DATE.
 */
export function parseDebtorId(raw: string, field = 'id', today = new Date()): ParsedIdentifier {
  const id = raw.trim().toUpperCase();
  if (id.length !== 18) {
    throw refuse.IDENTIFIER_LENGTH(
      field,
      `a debtor identifier is an 18-character unified social credit code or resident ID number, got ${id.length} characters`,
    );
  }
  if (/^\d{17}[\dA-Z]$/.test(id) && PROVINCE_CODES.has(Number(id.slice(0, 2)))) {
    // Shaped like a resident ID number; an all-digit credit code can share the shape, so try both and
    // report the ID-number rule when neither holds.
    try {
      return parseResidentId(id, field, today);
    } catch (idError) {
      try {
        return parseCreditCode(id, field);
      } catch {
        throw idError;
      }
    }
  }
  return parseCreditCode(id, field);
}

export function isValidDebtorId(raw: string, today = new Date()): boolean {
  try {
    parseDebtorId(raw, 'id', today);
    return true;
  } catch {
    return false;
  }
}

/** Officer ids of the personnel roster: `OF` and six digits. Throws OFFICER_ID_FORMAT naming the field. */
export function checkOfficerId(id: string, field: string): void {
  if (!/^OF\d{6}$/.test(id)) throw refuse.OFFICER_ID_FORMAT(field, 'an officer id is OF followed by six digits');
}
