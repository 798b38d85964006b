import { refuse } from './errorCatalogue';

/**
 * Money is held as integer fen (分) everywhere below the API, so sums in SQL are exact, and shown as a
 * decimal string in yuan with two places (`"1234.50"`).
 */
export function fenToYuan(fen: number | bigint): string {
  const v = BigInt(fen);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const yuan = abs / 100n;
  const rest = (abs % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${yuan}.${rest}`;
}

export function yuanToFen(text: string, field = 'amount'): number {
  const t = text.trim();
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) {
    throw refuse.MONEY_FORMAT(field, `"${text}" is not an amount in yuan: digits with at most two decimal places, no sign or separators`);
  }
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
