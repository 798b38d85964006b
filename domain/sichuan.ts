import type { CourtLevel } from './courtCode';
import { refuse } from './errorCatalogue';

/**
 * Sichuan's courts, from the administrative division codes (GB/T 2260): the high court, the 21
 * prefecture-level divisions' intermediate courts with their county-level basic courts, and the railway
 * transport courts (special courts, codes 71+), and the functional-area courts of docs/courts.md.
 */
export interface CourtInfo {
  code: string;
  name: string;
  level: CourtLevel;
  /** Intermediate-court code of the prefecture the court sits in (`川01`); null for the high court and special courts. */
  prefecture: string | null;
  parent: string | null;
  /** Six-digit administrative division code of the court's seat. */
  divisionCode: string;
  special: boolean;
}

export interface PrefectureInfo {
  code: string;
  divisionCode: string;
  name: string;
  courtName: string;
}

// Per prefecture: [2-digit code, division name, intermediate court name, county-level divisions].
// A county-level entry is "NN名称": the last two digits of its division code and its name. Districts
// (…区) take the prefecture's name in their court's name, as the courts themselves do.
const RAW: [string, string, string, string][] = [
  [
    '01',
    '成都市',
    '成都市中级人民法院',
    '04锦江区 05青羊区 06金牛区 07武侯区 08成华区 12龙泉驿区 13青白江区 14新都区 15温江区 16双流区 17郫都区 18新津区 21金堂县 29大邑县 31蒲江县 81都江堰市 82彭州市 83邛崃市 84崇州市 85简阳市',
  ],
  ['03', '自贡市', '自贡市中级人民法院', '02自流井区 03贡井区 04大安区 11沿滩区 21荣县 22富顺县'],
  ['04', '攀枝花市', '攀枝花市中级人民法院', '02东区 03西区 11仁和区 21米易县 22盐边县'],
  ['05', '泸州市', '泸州市中级人民法院', '02江阳区 03纳溪区 04龙马潭区 21泸县 22合江县 24叙永县 25古蔺县'],
  ['06', '德阳市', '德阳市中级人民法院', '03旌阳区 04罗江区 23中江县 81广汉市 82什邡市 83绵竹市'],
  ['07', '绵阳市', '绵阳市中级人民法院', '03涪城区 04游仙区 05安州区 22三台县 23盐亭县 25梓潼县 26北川羌族自治县 27平武县 81江油市'],
  ['08', '广元市', '广元市中级人民法院', '02利州区 11昭化区 12朝天区 21旺苍县 22青川县 23剑阁县 24苍溪县'],
  ['09', '遂宁市', '遂宁市中级人民法院', '03船山区 04安居区 21蓬溪县 23大英县 81射洪市'],
  ['10', '内江市', '内江市中级人民法院', '02市中区 11东兴区 24威远县 25资中县 83隆昌市'],
  [
    '11',
    '乐山市',
    '乐山市中级人民法院',
    '02市中区 11沙湾区 12五通桥区 13金口河区 23犍为县 24井研县 26夹江县 29沐川县 32峨边彝族自治县 33马边彝族自治县 81峨眉山市',
  ],
  ['13', '南充市', '南充市中级人民法院', '02顺庆区 03高坪区 04嘉陵区 21南部县 22营山县 23蓬安县 24仪陇县 25西充县 81阆中市'],
  ['14', '眉山市', '眉山市中级人民法院', '02东坡区 03彭山区 21仁寿县 23洪雅县 24丹棱县 25青神县'],
  ['15', '宜宾市', '宜宾市中级人民法院', '02翠屏区 03南溪区 04叙州区 23江安县 24长宁县 25高县 26珙县 27筠连县 28兴文县 29屏山县'],
  ['16', '广安市', '广安市中级人民法院', '02广安区 03前锋区 21岳池县 22武胜县 23邻水县 81华蓥市'],
  ['17', '达州市', '达州市中级人民法院', '02通川区 03达川区 22宣汉县 23开江县 24大竹县 25渠县 81万源市'],
  ['18', '雅安市', '雅安市中级人民法院', '02雨城区 03名山区 22荥经县 23汉源县 24石棉县 25天全县 26芦山县 27宝兴县'],
  ['19', '巴中市', '巴中市中级人民法院', '02巴州区 03恩阳区 21通江县 22南江县 23平昌县'],
  ['20', '资阳市', '资阳市中级人民法院', '02雁江区 21安岳县 22乐至县'],
  [
    '32',
    '阿坝藏族羌族自治州',
    '阿坝藏族羌族自治州中级人民法院',
    '01马尔康市 21汶川县 22理县 23茂县 24松潘县 25九寨沟县 26金川县 27小金县 28黑水县 30壤塘县 31阿坝县 32若尔盖县 33红原县',
  ],
  [
    '33',
    '甘孜藏族自治州',
    '甘孜藏族自治州中级人民法院',
    '01康定市 22泸定县 23丹巴县 24九龙县 25雅江县 26道孚县 27炉霍县 28甘孜县 29新龙县 30德格县 31白玉县 32石渠县 33色达县 34理塘县 35巴塘县 36乡城县 37稻城县 38得荣县',
  ],
  [
    '34',
    '凉山彝族自治州',
    '凉山彝族自治州中级人民法院',
    '01西昌市 02会理市 22木里藏族自治县 23盐源县 24德昌县 26会东县 27宁南县 28普格县 29布拖县 30金阳县 31昭觉县 32喜德县 33冕宁县 34越西县 35甘洛县 36美姑县 37雷波县',
  ],
];

/**
 * Basic courts with no county-level division of their own, per prefecture: courts of development zones and new areas,
 * seated in the prefecture (their division code is the prefecture's). Codes and sources: docs/courts.md.
 */
const FUNCTIONAL_AREA_COURTS: Record<string, [string, string][]> = {
  '01': [
    ['91', '成都高新技术产业开发区人民法院'],
    ['92', '四川天府新区成都片区人民法院'],
    ['93', '四川自由贸易试验区人民法院'],
  ],
};

/** Codes of the functional-area courts (川0191 …): basic courts with no county-level division. */
export const FUNCTIONAL_AREA_COURT_CODES: ReadonlySet<string> = new Set(
  Object.entries(FUNCTIONAL_AREA_COURTS).flatMap(([pc, list]) => list.map(([cc]) => `川${pc}${cc}`)),
);

export const HIGH_COURT_CODE = '川';

export const PREFECTURES: PrefectureInfo[] = RAW.map(([code, name, courtName]) => ({
  code: `川${code}`,
  divisionCode: `51${code}00`,
  name,
  courtName,
}));

function buildCourts(): CourtInfo[] {
  const courts: CourtInfo[] = [
    {
      code: HIGH_COURT_CODE,
      name: '四川省高级人民法院',
      level: 'HIGH',
      prefecture: null,
      parent: null,
      divisionCode: '510000',
      special: false,
    },
  ];
  for (const [pc, prefName, courtName, counties] of RAW) {
    const prefCode = `川${pc}`;
    courts.push({
      code: prefCode,
      name: courtName,
      level: 'INTERMEDIATE',
      prefecture: prefCode,
      parent: HIGH_COURT_CODE,
      divisionCode: `51${pc}00`,
      special: false,
    });
    for (const entry of counties.split(' ')) {
      const cc = entry.slice(0, 2);
      const countyName = entry.slice(2);
      const name = countyName.endsWith('区') ? `${prefName}${countyName}人民法院` : `${countyName}人民法院`;
      courts.push({
        code: `川${pc}${cc}`,
        name,
        level: 'BASIC',
        prefecture: prefCode,
        parent: prefCode,
        divisionCode: `51${pc}${cc}`,
        special: false,
      });
    }
    for (const [cc, name] of FUNCTIONAL_AREA_COURTS[pc] ?? []) {
      courts.push({
        code: `川${pc}${cc}`,
        name,
        level: 'BASIC',
        prefecture: prefCode,
        parent: prefCode,
        divisionCode: `51${pc}00`,
        special: false,
      });
    }
  }
  courts.push(
    {
      code: '川71',
      name: '成都铁路运输中级法院',
      level: 'INTERMEDIATE',
      prefecture: null,
      parent: HIGH_COURT_CODE,
      divisionCode: '510100',
      special: true,
    },
    {
      code: '川7101',
      name: '成都铁路运输第一法院',
      level: 'BASIC',
      prefecture: null,
      parent: '川71',
      divisionCode: '510100',
      special: true,
    },
    {
      code: '川7102',
      name: '成都铁路运输第二法院',
      level: 'BASIC',
      prefecture: null,
      parent: '川71',
      divisionCode: '510100',
      special: true,
    },
  );
  return courts;
}

export const COURTS: CourtInfo[] = buildCourts();
export const COURTS_BY_CODE: ReadonlyMap<string, CourtInfo> = new Map(COURTS.map((c) => [c.code, c]));
export const PREFECTURES_BY_CODE: ReadonlyMap<string, PrefectureInfo> = new Map(PREFECTURES.map((p) => [p.code, p]));

/** Resolves a prefecture filter given as an intermediate-court code (`川01`) or a division name (`成都市`, `成都`, `凉山州`). */
export function findPrefecture(codeOrName: string): PrefectureInfo | undefined {
  const t = codeOrName.trim();
  // Short forms in daily use: 成都, 凉山州, 阿坝州, 甘孜州.
  const stem = t.length > 2 && t.endsWith('州') ? t.slice(0, -1) : t;
  return PREFECTURES_BY_CODE.get(t) ?? PREFECTURES.find((p) => p.name === t || (stem.length >= 2 && p.name.startsWith(stem)));
}

/** Prefecture (intermediate-court code) for a six-digit Sichuan division code, or null outside Sichuan. */
export function prefectureOfDivision(divisionCode: string): string | null {
  if (!divisionCode.startsWith('51')) return null;
  const code = `川${divisionCode.slice(2, 4)}`;
  return PREFECTURES_BY_CODE.has(code) ? code : null;
}

/** A prefecture filter as given by a user, validated: its intermediate-court code, or null when no filter was given. */
export function parsePrefecture(raw: string | null | undefined, field = 'prefecture'): string | null {
  if (raw == null) return null;
  const found = findPrefecture(raw);
  if (!found) {
    throw refuse.UNKNOWN_PREFECTURE(
      field,
      `"${raw}" is not a Sichuan prefecture: give an intermediate-court code such as 川01 or a name such as 成都市`,
    );
  }
  return found.code;
}

/** The basic court seated in a six-digit Sichuan county-level division, or null (outside Sichuan, or no such court). */
export function basicCourtOfDivision(divisionCode: string | null | undefined): string | null {
  if (!divisionCode?.startsWith('51')) return null;
  const code = `川${divisionCode.slice(2, 6)}`;
  const court = COURTS_BY_CODE.get(code);
  // A functional-area court's code is no division code (5101 91 is not a county of GB/T 2260).
  return court?.level === 'BASIC' && court.divisionCode === divisionCode ? code : null;
}
