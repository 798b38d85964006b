import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { fenToYuan, yuanToFen } from '../domain/money';
import { isIsoDate } from '../domain/dates';
import { CodedError, errors, refuse, type ValidationError } from '../domain/errorCatalogue';
import { toGraphQLError } from './graphqlErrors';

/**
 * The product's input scalars and their rules, in one place for both who check them: each subgraph's scalar (below),
 * which knows the value but not where it sits, and the gateway (gateway/inputs.ts), which checks every argument and
 * variable of a client's operation before planning it and so names the input (`field`) as well as the rule.
 */
const DATE_PROBLEM = 'a Date is a string YYYY-MM-DD naming a real calendar day';

export const INPUT_SCALARS = {
  Money: { rule: 'MONEY_FORMAT', problem: moneyProblem, literal: 'a Money literal is a string such as "1234.50"' },
  Date: { rule: 'DATE_FORMAT', problem: dateProblem, literal: DATE_PROBLEM },
} as const;

export type InputScalar = keyof typeof INPUT_SCALARS;

export function isInputScalar(name: string): name is InputScalar {
  return Object.hasOwn(INPUT_SCALARS, name);
}

/** Why a JSON value is not a Money value, or null when it is one. */
function moneyProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'a Money value is a string such as "1234.50", never a float';
  try {
    yuanToFen(value, 'Money');
    return null;
  } catch (err) {
    if (err instanceof CodedError) return err.message;
    throw err;
  }
}

/** Why a JSON value is not a Date, or null when it is one. */
function dateProblem(value: unknown): string | null {
  return typeof value === 'string' && isIsoDate(value) ? null : DATE_PROBLEM;
}

/** A literal's problem: its text checked as a variable's value would be; any other kind of literal is refused. */
function literalProblem(scalar: InputScalar, ast: ValueNode | { kind: string; value?: string }): string | null {
  if (ast.kind !== Kind.STRING) return INPUT_SCALARS[scalar].literal;
  return INPUT_SCALARS[scalar].problem((ast as { value: string }).value);
}

/** The refusal of a value of an input scalar at `field` (an argument or a variable path), or null when it is valid. */
export function scalarRefusal(scalar: InputScalar, field: string, value: unknown, literal = false): ValidationError | null {
  const problem = literal ? literalProblem(scalar, value as ValueNode) : INPUT_SCALARS[scalar].problem(value);
  return problem === null ? null : refuse[INPUT_SCALARS[scalar].rule](field, problem);
}

// The engine reports a scalar's GraphQL error as it is (any other error it rewords), so scalars translate their own.
// Here the input's place is unknown: the gateway, which knows it, has checked the client's operation already.
function scalarError(scalar: InputScalar, problem: string): GraphQLError {
  return toGraphQLError(errors.scalar(INPUT_SCALARS[scalar].rule, problem));
}

function checked<T>(scalar: InputScalar, problem: string | null, value: T): T {
  if (problem !== null) throw scalarError(scalar, problem);
  return value;
}

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
    return yuanToFen(checked('Money', moneyProblem(value), value as string), 'Money');
  },
  parseLiteral(ast) {
    return yuanToFen(checked('Money', literalProblem('Money', ast), (ast as { value: string }).value), 'Money');
  },
});

/** Date: ISO 8601 calendar date `YYYY-MM-DD`, kept as that string inside. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'Calendar date in ISO 8601 form, YYYY-MM-DD.',
  serialize(value) {
    if (typeof value === 'string' && isIsoDate(value)) return value;
    throw new GraphQLError('Date must be serialised from a YYYY-MM-DD string');
  },
  parseValue(value) {
    return checked('Date', dateProblem(value), value as string);
  },
  parseLiteral(ast) {
    return checked('Date', literalProblem('Date', ast), (ast as { value: string }).value);
  },
});
