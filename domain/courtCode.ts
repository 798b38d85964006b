import { refuse } from './errorCatalogue';

export type CourtLevel = 'HIGH' | 'INTERMEDIATE' | 'BASIC';

export interface ParsedCourtCode {
  code: string;
  level: CourtLevel;
  /** The two-digit division part (`川01`) for intermediate and basic courts; null for the high court. */
  parentCode: string | null;
}

/**
 * Court codes (法院代字): `川` for the high court, `川` + 2 digits for an intermediate court, `川` + 4 digits
 * for a basic court. The digits come from the administrative division code; 71+ are special courts.
 */
export function parseCourtCode(raw: string, field = 'code'): ParsedCourtCode {
  const code = raw.trim();
  if (!code.startsWith('川')) {
    throw refuse.COURT_CODE_PROVINCE(field, `court code "${code}" must start with 川 (this graph covers Sichuan)`);
  }
  const digits = code.slice(1);
  if (!/^(\d{2}){0,2}$/.test(digits)) {
    throw refuse.COURT_CODE_FORMAT(
      field,
      `court code "${code}" must be 川 (high court), 川 + 2 digits (intermediate) or 川 + 4 digits (basic)`,
    );
  }
  if (digits.length === 0) return { code, level: 'HIGH', parentCode: null };
  if (digits.startsWith('00')) {
    throw refuse.COURT_CODE_FORMAT(field, `court code "${code}": division 00 does not exist`);
  }
  if (digits.length === 2) return { code, level: 'INTERMEDIATE', parentCode: '川' };
  if (digits.endsWith('00')) {
    throw refuse.COURT_CODE_FORMAT(field, `court code "${code}": a basic court's last two digits are not 00`);
  }
  return { code, level: 'BASIC', parentCode: `川${digits.slice(0, 2)}` };
}
