import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { fenToYuan, yuanToFen } from '../domain/money';
import { isIsoDate } from '../domain/dates';
import { ErrorCode, ValidationError } from '../domain/errors';

/** Money: integer fen inside, a yuan decimal string on the wire. */
export const MoneyScalar = new GraphQLScalarType<number, string>({
  name: 'Money',
  description: 'Exact amount of money in yuan as a decimal string with two places.',
  serialize(value) {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return fenToYuan(value);
    if (typeof value === 'bigint') return fenToYuan(value);
    throw new GraphQLError('Money must be serialised from integer fen');
  },
  parseValue(value) {
    return parseMoney(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw moneyError('a Money literal is a string such as "1234.50"');
    return parseMoney(ast.value);
  },
});

function moneyError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, rule: 'MONEY_FORMAT' } });
}

function parseMoney(value: unknown): number {
  if (typeof value !== 'string') throw moneyError('a Money value is a string such as "1234.50", never a float');
  try {
    return yuanToFen(value, 'Money');
  } catch (err) {
    if (err instanceof ValidationError) throw moneyError(err.message);
    throw err;
  }
}

/** Date: ISO 8601 calendar date `YYYY-MM-DD`, kept as that string inside. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'Calendar date in ISO 8601 form, YYYY-MM-DD.',
  serialize(value) {
    if (typeof value === 'string' && isIsoDate(value)) return value;
    throw new GraphQLError('Date must be serialised from a YYYY-MM-DD string');
  },
  parseValue(value) {
    return parseDate(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw dateError();
    return parseDate(ast.value);
  },
});

function dateError(): GraphQLError {
  return new GraphQLError('a Date is a string YYYY-MM-DD naming a real calendar day', {
    extensions: { code: ErrorCode.BAD_USER_INPUT, rule: 'DATE_FORMAT' },
  });
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) throw dateError();
  return value;
}
