import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { fenToYuan, yuanToFen } from '../domain/money';
import { isIsoDate } from '../domain/dates';
import { CodedError, errors } from '../domain/errorCatalogue';
import { toGraphQLError } from './graphqlErrors';

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

// The engine reports a scalar's GraphQL error as it is (any other error it rewords), so scalars translate their own.
function moneyError(message: string): GraphQLError {
  return toGraphQLError(errors.scalar('MONEY_FORMAT', message));
}

function parseMoney(value: unknown): number {
  if (typeof value !== 'string') throw moneyError('a Money value is a string such as "1234.50", never a float');
  try {
    return yuanToFen(value, 'Money');
  } catch (err) {
    if (err instanceof CodedError) throw moneyError(err.message);
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
  return toGraphQLError(errors.scalar('DATE_FORMAT', 'a Date is a string YYYY-MM-DD naming a real calendar day'));
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) throw dateError();
  return value;
}
