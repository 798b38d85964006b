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

/**
 * The 31 provincial-level divisions' abbreviations as case numbers write them (《关于人民法院案件案号的若干规定》's
 * 法院代字: 内 for 内蒙古, 黔 for 贵州, 云 for 云南), each with the province's name. 川 is this graph's own province.
 */
export const PROVINCE_ABBREVIATIONS = {
  京: '北京市',
  津: '天津市',
  冀: '河北省',
  晋: '山西省',
  内: '内蒙古自治区',
  辽: '辽宁省',
  吉: '吉林省',
  黑: '黑龙江省',
  沪: '上海市',
  苏: '江苏省',
  浙: '浙江省',
  皖: '安徽省',
  闽: '福建省',
  赣: '江西省',
  鲁: '山东省',
  豫: '河南省',
  鄂: '湖北省',
  湘: '湖南省',
  粤: '广东省',
  桂: '广西壮族自治区',
  琼: '海南省',
  渝: '重庆市',
  川: '四川省',
  黔: '贵州省',
  云: '云南省',
  藏: '西藏自治区',
  陕: '陕西省',
  甘: '甘肃省',
  青: '青海省',
  宁: '宁夏回族自治区',
  新: '新疆维吾尔自治区',
} as const;
export type ProvinceAbbreviation = keyof typeof PROVINCE_ABBREVIATIONS;

export interface ParsedExternalCourtCode {
  code: string;
  /** The province's abbreviation (鲁), never 川. */
  province: Exclude<ProvinceAbbreviation, '川'>;
  level: CourtLevel;
}

/**
 * A court code of another province (外省法院): its abbreviation and 0, 2 or 4 digits, as Sichuan's. Only an external
 * case (a related case outside the province) names one; a 川 code is a court of the province, not external.
 */
export function parseExternalCourtCode(raw: string, field = 'courtCode'): ParsedExternalCourtCode {
  const code = raw.trim();
  const abbreviation = code.charAt(0);
  if (abbreviation === '川')
    throw refuse.EXTERNAL_COURT_PROVINCE(
      field,
      `court code "${code}" is a court of Sichuan: an external case is a case of another province's court`,
    );
  if (!(abbreviation in PROVINCE_ABBREVIATIONS))
    throw refuse.EXTERNAL_COURT_PROVINCE(
      field,
      `court code "${code}" must start with a province's abbreviation (${Object.keys(PROVINCE_ABBREVIATIONS)
        .filter((a) => a !== '川')
        .join('')})`,
    );
  const digits = code.slice(1);
  if (!/^(\d{2}){0,2}$/.test(digits) || digits.startsWith('00') || (digits.length === 4 && digits.endsWith('00')))
    throw refuse.COURT_CODE_FORMAT(
      field,
      `court code "${code}" must be ${abbreviation} (high court), ${abbreviation} + 2 digits (intermediate) or ${abbreviation} + 4 digits (basic)`,
    );
  const level: CourtLevel = digits.length === 0 ? 'HIGH' : digits.length === 2 ? 'INTERMEDIATE' : 'BASIC';
  return { code, province: abbreviation as ParsedExternalCourtCode['province'], level };
}
