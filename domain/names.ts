/**
 * Name normalisation for linking party records that carry no identifier: full-width to half-width
 * (NFKC), unified brackets, no whitespace or punctuation, and the company-form suffix removed, so
 * `四川蜀丰建设（集团）有限公司` and `四川蜀丰建设(集团)有限责任公司` share one key.
 */
const COMPANY_FORMS = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '(有限合伙)',
  '(普通合伙)',
  '合伙企业',
  '个体工商户',
  '股份公司',
  '公司',
];

export function normaliseName(name: string): string {
  let s = name
    .normalize('NFKC')
    .replace(/[（【［[]/g, '(')
    .replace(/[）】］\]]/g, ')');
  s = s.replace(/[\s·•.,，。、'"“”‘’]/g, '').toLowerCase();
  for (let changed = true; changed;) {
    changed = false;
    for (const form of COMPANY_FORMS) {
      if (s.length > form.length && s.endsWith(form)) {
        s = s.slice(0, -form.length);
        changed = true;
      }
    }
  }
  return s;
}
