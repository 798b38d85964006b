import { type Random, WeightedTable } from './random';

/**
 * Text pools for the generator: people's names (Han, Tibetan in Ganzi and Aba, Yi in Liangshan),
 * company and institution names, and the wording the property-control system uses for assets.
 * All synthetic: brands are random syllables, never a real company's name.
 */

// Surnames with rough frequencies in Sichuan (李 and 王 lead; 苟, 蒲, 敬, 母, 税 are local).
const SURNAMES = WeightedTable.of<string>([
  ['李', 7.9],
  ['王', 6.5],
  ['张', 6.0],
  ['刘', 5.5],
  ['陈', 5.0],
  ['杨', 4.5],
  ['黄', 2.5],
  ['周', 2.3],
  ['吴', 2.0],
  ['何', 2.2],
  ['罗', 2.2],
  ['赵', 1.6],
  ['谢', 1.5],
  ['邓', 1.5],
  ['唐', 1.5],
  ['胡', 1.4],
  ['杜', 1.2],
  ['曾', 1.2],
  ['徐', 1.1],
  ['蒋', 1.1],
  ['彭', 1.1],
  ['冯', 0.9],
  ['郑', 0.8],
  ['袁', 0.9],
  ['付', 0.9],
  ['廖', 0.9],
  ['向', 0.8],
  ['文', 0.7],
  ['任', 0.7],
  ['龚', 0.6],
  ['余', 0.8],
  ['田', 0.6],
  ['马', 0.7],
  ['朱', 0.7],
  ['孙', 0.6],
  ['高', 0.6],
  ['林', 0.6],
  ['郭', 0.6],
  ['梁', 0.5],
  ['宋', 0.5],
  ['许', 0.5],
  ['韩', 0.4],
  ['曹', 0.5],
  ['肖', 0.8],
  ['董', 0.4],
  ['潘', 0.4],
  ['蔡', 0.4],
  ['钟', 0.5],
  ['汪', 0.4],
  ['苏', 0.4],
  ['魏', 0.4],
  ['吕', 0.3],
  ['丁', 0.3],
  ['沈', 0.3],
  ['姚', 0.3],
  ['卢', 0.4],
  ['姜', 0.3],
  ['谭', 0.6],
  ['陆', 0.3],
  ['范', 0.4],
  ['石', 0.4],
  ['贾', 0.3],
  ['夏', 0.3],
  ['方', 0.3],
  ['白', 0.3],
  ['邹', 0.4],
  ['熊', 0.5],
  ['秦', 0.3],
  ['邱', 0.4],
  ['江', 0.4],
  ['尹', 0.3],
  ['雷', 0.5],
  ['侯', 0.3],
  ['龙', 0.4],
  ['陶', 0.3],
  ['贺', 0.3],
  ['毛', 0.3],
  ['苟', 0.3],
  ['蒲', 0.3],
  ['敬', 0.2],
  ['母', 0.1],
  ['税', 0.1],
  ['冉', 0.2],
  ['代', 0.3],
  ['兰', 0.2],
  ['严', 0.2],
  ['牟', 0.2],
  ['左', 0.1],
  ['岳', 0.2],
  ['易', 0.3],
  ['鲜', 0.1],
  ['伍', 0.2],
  ['欧阳', 0.08],
  ['司马', 0.02],
  ['诸葛', 0.02],
]);

const MALE_GIVEN = [
  '伟',
  '强',
  '军',
  '勇',
  '杰',
  '涛',
  '斌',
  '超',
  '明',
  '刚',
  '平',
  '辉',
  '鹏',
  '华',
  '飞',
  '鑫',
  '波',
  '宇',
  '浩',
  '凯',
  '健',
  '俊',
  '帆',
  '帅',
  '旭',
  '宁',
  '龙',
  '林',
  '洋',
  '磊',
  '峰',
  '亮',
  '成',
  '东',
  '海',
  '建',
  '国',
  '志',
  '文',
  '兵',
  '春',
  '福',
  '德',
  '荣',
  '顺',
  '晨',
  '阳',
  '博',
  '锐',
  '翔',
  '航',
  '川',
  '毅',
  '诚',
  '坤',
  '泽',
  '睿',
  '然',
  '豪',
  '彬',
  '云',
  '江',
  '松',
  '柏',
  '忠',
  '贵',
  '祥',
  '发',
  '兴',
  '安',
  '鸿',
  '昊',
];
const FEMALE_GIVEN = [
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '艳',
  '娟',
  '霞',
  '燕',
  '玲',
  '琳',
  '婷',
  '雪',
  '慧',
  '莉',
  '颖',
  '倩',
  '洁',
  '蓉',
  '梅',
  '兰',
  '英',
  '萍',
  '红',
  '琴',
  '丹',
  '露',
  '晶',
  '欣',
  '怡',
  '佳',
  '璐',
  '瑶',
  '月',
  '秀',
  '凤',
  '巧',
  '媛',
  '晓',
  '蕾',
  '莎',
  '茜',
  '涵',
  '梦',
  '雨',
  '思',
  '诗',
  '清',
  '玉',
  '珍',
  '春',
  '琼',
  '利',
  '容',
];
const TIBETAN_MALE = [
  '扎西',
  '多吉',
  '次仁',
  '格桑',
  '泽仁',
  '尼玛',
  '达瓦',
  '旦增',
  '洛绒',
  '降措',
  '四郎',
  '益西',
  '贡布',
  '仁青',
  '登珠',
  '巴桑',
  '呷绒',
  '邓珠',
];
const TIBETAN_FEMALE = ['卓玛', '拉姆', '央金', '措姆', '德吉', '曲珍', '央宗', '志玛', '拉措', '翁姆', '泽珍', '雍措'];
const YI_CLANS = [
  '吉克',
  '阿苦',
  '沙马',
  '吉木',
  '曲比',
  '阿说',
  '马海',
  '海来',
  '俄木',
  '的日',
  '阿约',
  '吉伍',
  '勒格',
  '日火',
  '果基',
  '阿尔',
];
const YI_MALE = ['日哈', '拉者', '子洛', '尔古', '石者', '拉且', '木呷', '伍各', '阿木', '尔布', '拉格', '约哈'];
const YI_FEMALE = ['阿呷', '阿依', '伍呷', '阿果', '木果', '依莫', '拉姆', '石莫', '阿芝', '伍果'];

export type Sex = 'MALE' | 'FEMALE';

/** A person's name; `prefecture` (川33, 川34, ...) shapes the naming tradition. */
export function personName(rng: Random, sex: Sex, prefecture: string | null): string {
  if (prefecture === '川32' || prefecture === '川33') {
    if (rng.chance(prefecture === '川33' ? 0.55 : 0.35)) {
      const first = rng.pick(TIBETAN_MALE);
      const second = sex === 'MALE' ? rng.pick(TIBETAN_MALE) : rng.pick(TIBETAN_FEMALE);
      return first === second ? first : first + second;
    }
  } else if (prefecture === '川34' && rng.chance(0.4)) {
    return rng.pick(YI_CLANS) + (sex === 'MALE' ? rng.pick(YI_MALE) : rng.pick(YI_FEMALE));
  }
  const pool = sex === 'MALE' ? MALE_GIVEN : FEMALE_GIVEN;
  const surname = SURNAMES.draw(rng);
  return rng.chance(0.32) ? surname + rng.pick(pool) : surname + rng.pick(pool) + rng.pick(pool);
}

// Syllables for synthetic brand names (字号).
const BRAND_CHARS = [
  '蜀',
  '丰',
  '华',
  '鑫',
  '锦',
  '川',
  '天',
  '府',
  '盛',
  '泰',
  '宏',
  '源',
  '达',
  '恒',
  '远',
  '嘉',
  '瑞',
  '祥',
  '和',
  '兴',
  '隆',
  '金',
  '鼎',
  '正',
  '弘',
  '信',
  '博',
  '通',
  '德',
  '安',
  '汇',
  '宇',
  '晟',
  '峰',
  '康',
  '豪',
  '润',
  '城',
  '邦',
  '凯',
  '铭',
  '智',
  '航',
  '腾',
  '禾',
  '益',
  '誉',
  '欣',
  '茂',
  '旺',
  '昌',
  '成',
  '峨',
  '岷',
  '巴',
  '锐',
  '海',
  '融',
  '汉',
  '衡',
  '晨',
  '星',
  '瀚',
  '骏',
  '景',
  '乾',
  '坤',
  '九',
  '合',
  '永',
  '顺',
  '美',
];

export function brand(rng: Random): string {
  const n = rng.chance(0.85) ? 2 : 3;
  let s = '';
  for (let i = 0; i < n; i++) s += rng.pick(BRAND_CHARS);
  return s;
}

const INDUSTRIES = WeightedTable.of<string>([
  ['建设工程', 8],
  ['建筑劳务', 4],
  ['房地产开发', 5],
  ['置业', 3],
  ['商贸', 9],
  ['实业', 6],
  ['农业开发', 4],
  ['酒业', 2],
  ['化工', 2],
  ['物流', 4],
  ['科技', 7],
  ['投资', 4],
  ['餐饮管理', 4],
  ['矿业', 1.5],
  ['机械制造', 2],
  ['建材', 3],
  ['文化传媒', 3],
  ['汽车销售服务', 2],
  ['电子', 1.5],
  ['茶业', 1],
  ['食品', 2.5],
  ['医药', 1.5],
  ['环保科技', 2],
  ['物业管理', 2],
  ['旅游开发', 1.5],
  ['能源', 1.5],
  ['钢结构', 1.5],
  ['装饰工程', 3],
  ['市政工程', 2],
  ['供应链管理', 2],
]);
const BIG_INDUSTRIES = WeightedTable.of<string>([
  ['房地产开发', 6],
  ['置业', 4],
  ['建设工程', 5],
  ['投资', 4],
  ['实业', 3],
  ['市政工程', 2],
  ['矿业', 1],
  ['能源', 1],
  ['供应链管理', 1],
  ['旅游开发', 1],
]);

/** Company forms and how often each appears; `（集团）` uses full-width brackets as registrations usually do. */
const FORMS = WeightedTable.of<string>([
  ['有限公司', 62],
  ['有限责任公司', 22],
  ['股份有限公司', 6],
  ['（集团）有限公司', 5],
  ['合伙企业（有限合伙）', 2],
  ['厂', 3],
]);

/**
 * How a company registered in a prefecture names its place, whole: 攀枝花, 成都; 阿坝州, 甘孜州, 凉山州 for the
 * autonomous prefectures. Use as `name.replace(...SHORT_PLACE)`.
 */
export const SHORT_PLACE: [RegExp, (whole: string, suffix: string) => string] = [
  /(市|藏族羌族自治州|藏族自治州|彝族自治州)$/,
  (_whole, suffix) => (suffix === '市' ? '' : '州'),
];

/**
 * A company name like `四川蜀丰建设工程有限公司`. `placePrefix` is the registration area's short name
 * (四川, 成都, 重庆, 深圳市, ...); `big` favours the sectors whose collapse leaves debts in many courts.
 */
export function companyName(rng: Random, placePrefix: string, big = false): string {
  const industry = (big ? BIG_INDUSTRIES : INDUSTRIES).draw(rng);
  let form = FORMS.draw(rng);
  if (big && (form === '厂' || form.startsWith('合伙'))) form = '（集团）有限公司';
  if (form === '合伙企业（有限合伙）')
    return `${placePrefix}${brand(rng)}${industry === '投资' ? '股权投资基金' : industry}合伙企业（有限合伙）`;
  if (form === '厂')
    return `${placePrefix}${brand(rng)}${industry === '食品' || industry === '化工' || industry === '建材' ? industry : '机械'}厂`;
  return `${placePrefix}${brand(rng)}${industry}${form}`;
}

/**
 * The same company as another registry clerk typed it: swapped company-form suffix, the other bracket
 * width, or a stray space. normaliseName maps every variant back to the original's key.
 */
export function nameVariant(rng: Random, name: string): string {
  const options: (() => string)[] = [];
  if (name.endsWith('有限责任公司')) options.push(() => `${name.slice(0, -6)}有限公司`);
  else if (name.endsWith('股份有限公司')) options.push(() => `${name.slice(0, -6)}股份公司`);
  else if (name.endsWith('有限公司')) options.push(() => `${name.slice(0, -4)}有限责任公司`);
  if (name.includes('（')) options.push(() => name.replace(/（/g, '(').replace(/）/g, ')'));
  if (name.includes('(')) options.push(() => name.replace(/\(/g, '（').replace(/\)/g, '）'));
  if (name.length > 6) options.push(() => `${name.slice(0, 2)} ${name.slice(2)}`);
  if (options.length === 0) return name;
  return rng.pick(options)();
}

export const BANKS = [
  '中国工商银行',
  '中国农业银行',
  '中国银行',
  '中国建设银行',
  '交通银行',
  '中国邮政储蓄银行',
  '招商银行',
  '兴业银行',
  '中信银行',
  '上海浦东发展银行',
  '中国民生银行',
  '成都银行',
  '四川银行',
  '四川农商联合银行',
];
/** Banks that lend in every prefecture and so appear as applicants everywhere. */
export const LENDING_BANKS = [
  '中国工商银行',
  '中国农业银行',
  '中国银行',
  '中国建设银行',
  '交通银行',
  '中国邮政储蓄银行',
  '四川银行',
  '四川农商联合银行',
];

export const ASSET_MANAGERS = [
  '中国长城资产管理股份有限公司四川省分公司',
  '中国信达资产管理股份有限公司四川省分公司',
  '中国中信金融资产管理股份有限公司四川省分公司',
  '中国东方资产管理股份有限公司四川省分公司',
];

export const AGENCY_KINDS = [
  '自然资源和规划局',
  '生态环境局',
  '住房和城乡建设局',
  '市场监督管理局',
  '人力资源和社会保障局',
  '综合行政执法局',
];

export const CONDUCT_ORDERS = [
  '销毁侵权设备',
  '停止销售侵权产品',
  '拆除违章建筑',
  '腾退房屋',
  '交付车辆',
  '恢复原状',
  '排除妨碍',
  '停止侵害注册商标专用权',
  '协助办理不动产过户登记',
  '赔礼道歉（登报声明）',
  '交付房屋',
  '停止生产侵权产品',
];

const ROADS = [
  '人民南路',
  '人民北路',
  '蜀都大道',
  '天府大道',
  '建设路',
  '滨江路',
  '解放路',
  '新华大道',
  '中山路',
  '府青路',
  '一环路南三段',
  '二环路西一段',
  '科华北路',
  '红星路',
  '长江路',
  '翠柏路',
  '临江路',
  '文化路',
  '朝阳路',
  '育才路',
  '迎宾大道',
  '顺城街',
  '玉林路',
  '光华大道',
  '剑南大道',
  '学府路',
  '金沙路',
  '花园路',
  '和平路',
  '五一路',
  '东大街',
  '西大街',
  '南街',
  '北街',
  '新村路',
  '凤凰大道',
  '工农路',
  '体育路',
  '沿江路',
  '望江路',
];
const ESTATES = ['花园', '苑', '国际', '府', '小区', '家园', '名城', '公馆', '华庭', '新城', '雅居', '世纪城'];

/**
 * Wording the property-control system records for an asset. `place` is the county-level area
 * (成都市武侯区, 绵阳市三台县, 重庆市渝中区); `plate` the registration prefix for vehicles (川A, 渝A).
 */
export function realEstateDescription(rng: Random, place: string, legalPerson: boolean): string {
  const road = rng.pick(ROADS);
  const no = rng.int(1, 399);
  const r = rng.next();
  if (legalPerson && r < 0.35) {
    return rng.chance(0.5)
      ? `${place}${road}${no}号${brand(rng)}广场${rng.int(1, 4)}层${rng.int(1, 60)}号商铺`
      : `${place}${brand(rng)}工业园区${rng.int(1, 120)}号厂房及办公楼`;
  }
  const floor = rng.int(1, 33);
  return `${place}${road}${no}号${brand(rng)}${rng.pick(ESTATES)}${rng.int(1, 18)}栋${rng.int(1, 4)}单元${floor}${String(rng.int(1, 8)).padStart(2, '0')}室`;
}

export function landDescription(rng: Random, place: string): string {
  const area = rng.lognormal(15_000, 0.9).toFixed(2);
  const use = rng.pick(['商服用地', '住宅用地', '工业用地', '城镇住宅用地', '仓储用地']);
  return rng.chance(0.5)
    ? `${place}${rng.pick(ROADS)}以${rng.pick(['东', '南', '西', '北'])}地块 国有建设用地使用权（出让，${use}）${area}平方米`
    : `${place}${brand(rng)}镇${brand(rng).slice(0, 2)}村 国有建设用地使用权（${use}）${area}平方米`;
}

/** Plate letters (号牌发牌机关代号) of Sichuan's prefectures, and the province prefix for parties outside it. */
export const PLATE_OF_PREFECTURE: Record<string, string> = {
  川01: '川A',
  川03: '川C',
  川04: '川D',
  川05: '川E',
  川06: '川F',
  川07: '川B',
  川08: '川H',
  川09: '川J',
  川10: '川K',
  川11: '川L',
  川13: '川R',
  川14: '川Z',
  川15: '川Q',
  川16: '川X',
  川17: '川S',
  川18: '川T',
  川19: '川Y',
  川20: '川M',
  川32: '川U',
  川33: '川V',
  川34: '川W',
};
export const PLATE_OF_OUTSIDE: Record<string, string> = {
  '50': '渝A',
  '53': '云A',
  '52': '贵A',
  '61': '陕A',
  '44': '粤B',
  '31': '沪A',
  '11': '京A',
  '42': '鄂A',
  '33': '浙A',
};

/** The plate prefix of an owner registered in `division` (six-digit code). */
export function platePrefixOf(division: string): string {
  if (!division.startsWith('51')) return PLATE_OF_OUTSIDE[division.slice(0, 2)] ?? '渝A';
  return PLATE_OF_PREFECTURE[`川${division.slice(2, 4)}`] ?? '川A';
}

const PLATE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const VEHICLE_TYPES = WeightedTable.of<string>([
  ['小型轿车', 40],
  ['小型普通客车', 14],
  ['小型越野客车', 12],
  ['重型自卸货车', 8],
  ['重型半挂牵引车', 6],
  ['中型普通货车', 5],
  ['轻型厢式货车', 9],
  ['二轮摩托车', 4],
  ['大型普通客车', 2],
]);

export function plateNumber(rng: Random, prefix: string): string {
  let body = '';
  const letters = rng.int(0, 2);
  for (let i = 0; i < 5; i++) {
    body += i < letters || (i === 4 && rng.chance(0.1)) ? PLATE_CHARS[rng.int(0, PLATE_CHARS.length - 1)] : String(rng.int(0, 9));
  }
  return `${prefix}·${body}`;
}

export function vehicleDescription(rng: Random, platePrefix: string): string {
  return `${plateNumber(rng, platePrefix)} ${VEHICLE_TYPES.draw(rng)}`;
}

export function movableDescription(rng: Random, place: string): string {
  switch (rng.int(0, 6)) {
    case 0:
      return `${rng.pick(['三一SY215C', '徐工XE200DA', '柳工922F', '卡特320GC'])} 挖掘机 ${rng.int(1, 3)}台`;
    case 1:
      return `生产设备一批（存放于${place}${brand(rng)}工业园区）`;
    case 2:
      return `库存白酒 ${rng.int(2, 300) * 10}箱`;
    case 3:
      return `螺纹钢 约${rng.int(20, 900)}吨`;
    case 4:
      return `塔式起重机 QTZ${rng.pick(['63', '80', '125'])} ${rng.int(1, 3)}台`;
    case 5:
      return `茶叶 约${rng.int(1, 30)}吨（存放于${place}仓库）`;
    default:
      return `办公家具及电子设备一批`;
  }
}

export function depositDescription(rng: Random, naturalPerson: boolean): string {
  if (naturalPerson && rng.chance(0.06)) return rng.chance(0.5) ? '支付宝账户余额' : '微信支付零钱';
  return `${rng.pick(BANKS)} 账户尾号 ${String(rng.int(0, 9999)).padStart(4, '0')}`;
}

export function equityDescription(rng: Random, company: string): string {
  const share = rng.chance(0.3) ? 100 : rng.pick([5, 10, 15, 20, 25, 30, 35, 40, 45, 49, 51, 60, 70, 80, 90]);
  return `所持${company} ${share}% 股权`;
}

export function receivableDescription(rng: Random, counterparty: string): string {
  return `对${counterparty}的到期债权（${rng.pick(['工程款', '货款', '借款', '租金', '股权转让款'])}）`;
}

export function intellectualPropertyDescription(rng: Random): string {
  if (rng.chance(0.6)) {
    return `注册商标“${brand(rng)}”（第${rng.int(1, 45)}类，注册号 ${rng.int(10_000_000, 69_999_999)}）`;
  }
  const year = rng.int(2010, 2023);
  const thing = rng.pick(['环保型建筑材料', '白酒酿造装置', '茶叶烘焙设备', '钢结构连接件', '智能仓储系统']);
  const application = `${year}1${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
  return `发明专利“一种${thing}的制备方法”（ZL${application}.${patentCheckChar(application)}）`;
}

/** Check character of a 12-digit Chinese patent application number: weights 2..9, 2..5; mod 11; 10 is X. */
export function patentCheckChar(application: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(application[i]) * ((i % 8) + 2);
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}
