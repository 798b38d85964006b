import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_CODES,
  CODES,
  CodedError,
  ErrorCode,
  RULES,
  ValidationError,
  errors,
  isClientSafeCode,
  isRuleId,
  refuse,
} from '../../domain/errorCatalogue';
import { toGraphQLError, translateErrors } from '../../lib/graphqlErrors';
import { required, requiredAll } from '../../lib/loaders';
import { ERRORS_DOC_PATH, renderErrorsDoc } from '../../scripts/errorsDoc';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCANNED = ['domain', 'lib', 'subgraphs', 'gateway', 'importing', 'jobs', 'scripts', 'seed'];

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'generated' || name === 'node_modules') return [];
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Every place the code base names a rule or a code, by the ways it can. */
function scan(): { rules: Map<string, string[]>; codes: Map<string, string[]> } {
  const rules = new Map<string, string[]>();
  const codes = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, file: string) => map.set(key, [...(map.get(key) ?? []), path.relative(ROOT, file)]);
  const rulePatterns = [
    /ValidationError\(\s*[^,]+?,\s*'([A-Z_]+)'/g,
    /LimitError\(\s*'([A-Z_]+)'/g,
    /overBudget\(\s*'([A-Z_]+)'/g,
    /refuse\.([A-Z_]+)\(/g,
    /errors\.scalar\(\s*'([A-Z_]+)'/g,
  ];
  const codePatterns = [
    /\bcode: '([A-Z_]+)'/g,
    /ErrorCode\.([A-Z_]+)/g,
    /refuse\(res, \d+, '([A-Z_]+)'/g,
    /new CodedError\(\s*'([A-Z_]+)'/g,
  ];
  for (const file of SCANNED.flatMap((d) => sourceFiles(path.join(ROOT, d)))) {
    const text = readFileSync(file, 'utf8');
    for (const re of rulePatterns) for (const m of text.matchAll(re)) add(rules, m[1]!, file);
    for (const re of codePatterns) for (const m of text.matchAll(re)) add(codes, m[1]!, file);
  }
  return { rules, codes };
}

describe('issue 12: one error catalogue', () => {
  const found = scan();

  it('knows every rule the code base throws', () => {
    expect(found.rules.size).toBeGreaterThan(100);
    const unknown = [...found.rules].filter(([rule]) => !isRuleId(rule)).map(([rule, files]) => `${rule} (${files.join(', ')})`);
    expect(unknown).toEqual([]);
  });

  it('lists no rule that nothing throws', () => {
    expect(Object.keys(RULES).filter((rule) => !found.rules.has(rule))).toEqual([]);
  });

  it('knows every code the code base sets', () => {
    expect(found.codes.size).toBeGreaterThan(10);
    const unknown = [...found.codes]
      .filter(([code]) => !Object.hasOwn(CODES, code))
      .map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(unknown).toEqual([]);
  });

  it('makes the catalogue the only way to name a rule, and a rule its only code (checked by the types)', () => {
    // @ts-expect-error a rule that is not in the catalogue
    expect(() => new ValidationError('x', 'NO_SUCH_RULE', 'detail')).toThrow('rule NO_SUCH_RULE is not in the error catalogue');
    // @ts-expect-error CASE_CLOSED is a CONFLICT
    const wrong = new ValidationError('x', 'CASE_CLOSED', 'detail', ErrorCode.BAD_USER_INPUT);
    expect(wrong.rule).toBe('CASE_CLOSED');
    const err = new ValidationError('input.caseNumbers[0]', 'CASE_CLOSED', '(2024)川0105执1号 is closed');
    expect({ code: err.code, field: err.field, rule: err.rule, message: err.message }).toEqual({
      code: 'CONFLICT',
      field: 'input.caseNumbers[0]',
      rule: 'CASE_CLOSED',
      message: 'input.caseNumbers[0]: (2024)川0105执1号 is closed',
    });
    const made = refuse.DECIDING_COURT_NOT_ABOVE('input.decidingCourt', '川01 is not above 川0501');
    expect(made).toBeInstanceOf(ValidationError);
    expect(made).toBeInstanceOf(CodedError);
    expect([made.code, made.rule, made.field]).toEqual(['FORBIDDEN', 'DECIDING_COURT_NOT_ABOVE', 'input.decidingCourt']);
  });

  it("derives the gateway's client policy: every code whose message the product writes, and no other", () => {
    const before = [
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'FORBIDDEN',
      'UNAUTHENTICATED',
      'SOURCE_UNAVAILABLE',
      'SOURCE_ERROR',
      'SOURCE_TIMEOUT',
      'SOURCE_CIRCUIT_OPEN',
      'CONFLICT',
      'GRAPHQL_VALIDATION_FAILED',
      'GRAPHQL_PARSE_FAILED',
      'BAD_REQUEST',
      'OPERATION_RESOLUTION_FAILURE',
      'OPERATION_TYPE_NOT_SUPPORTED',
      'PERSISTED_QUERY_NOT_FOUND',
      'PERSISTED_QUERY_NOT_SUPPORTED',
      'ASSESSMENT_INDEX_NOT_BUILT',
      'OPERATION_LIMIT',
      // issue 13: writes the store itself refused
      'SOURCE_BUSY',
      'SOURCE_NOT_WRITABLE',
    ];
    const edge = ['PAYLOAD_TOO_LARGE', 'BATCHING_NOT_ALLOWED', 'PERSISTED_QUERY_NOT_IN_LIST', 'OUTCOME_UNKNOWN'];
    // Issue 13: per-viewer rates (the registry's identifier look-ups, the gateway's budgets).
    const issue13Rates = ['RATE_LIMITED'];
    expect([...CLIENT_CODES].sort()).toEqual([...before, ...edge, ...issue13Rates].sort());
    expect(isClientSafeCode('INTERNAL_SERVER_ERROR')).toBe(false);
    expect(isClientSafeCode('DOWNSTREAM_SERVICE_ERROR')).toBe(false);
    expect(isClientSafeCode(undefined)).toBe(false);
    expect(Object.values(ErrorCode).sort()).toEqual([...CLIENT_CODES].sort());
  });

  it('publishes docs/errors.md as generated from the catalogue (npm run docs:errors)', () => {
    const doc = readFileSync(ERRORS_DOC_PATH, 'utf8');
    expect(doc).toBe(renderErrorsDoc());
    for (const rule of Object.keys(RULES)) expect(doc).toContain(`| \`${rule}\` |`);
    for (const code of Object.keys(CODES)) expect(doc).toContain(`| \`${code}\` |`);
  });
});

describe('issue 12: the one translation point', () => {
  it('turns a refusal into a GraphQL error with code, field and rule', () => {
    const gql = toGraphQLError(
      refuse.RESIDENT_ID_CHECKSUM('ids[3]', 'check character (ISO 7064 MOD 11-2) does not match: expected 7, got 8'),
    );
    expect(gql).toBeInstanceOf(GraphQLError);
    expect(gql.message).toBe('ids[3]: check character (ISO 7064 MOD 11-2) does not match: expected 7, got 8');
    expect(gql.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'ids[3]', rule: 'RESIDENT_ID_CHECKSUM' });
  });

  it('keeps only the code for a scope refusal, and the service name for a missing source', () => {
    const scope = toGraphQLError(errors.outOfScope('the case', '川0105'));
    expect([scope.message, scope.extensions]).toEqual(['the case is outside the court scope of 川0105', { code: 'FORBIDDEN' }]);
    const source = toGraphQLError(errors.sourceUnavailable('personnel', 'no staff counts'));
    expect(source.extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', serviceName: 'personnel' });
    const scalar = toGraphQLError(errors.scalar('DATE_FORMAT', 'a Date is a string YYYY-MM-DD naming a real calendar day'));
    expect(scalar.extensions).toEqual({ code: 'BAD_USER_INPUT', rule: 'DATE_FORMAT' });
  });

  it('wraps every resolver once: thrown, rejected, per list item and in __resolveReference', async () => {
    const boom = () => refuse.CURSOR_FORMAT('after', 'not a cursor this query returned: pass pageInfo.endCursor unchanged');
    const plain = new Error('a defect');
    const wrapped = translateErrors({
      Query: {
        sync: () => {
          throw boom();
        },
        async: async () => {
          throw boom();
        },
        list: () => [1, Promise.reject(boom())],
        defect: () => {
          throw plain;
        },
        fine: () => 42,
        configured: { resolve: () => Promise.reject(errors.notFound('court', '川9999')) },
      },
      Case: { __resolveReference: async () => Promise.reject(errors.outOfScope('the case', '川0105')) },
    });
    const caught = async (fn: () => unknown) => {
      try {
        await fn();
      } catch (err) {
        return err as GraphQLError;
      }
      throw new Error('nothing thrown');
    };
    const q = wrapped.Query;
    expect((await caught(q.sync)).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after', rule: 'CURSOR_FORMAT' });
    expect((await caught(q.async)).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after', rule: 'CURSOR_FORMAT' });
    const items = q.list() as unknown[];
    expect(items[0]).toBe(1);
    expect((await caught(() => items[1])).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after', rule: 'CURSOR_FORMAT' });
    expect(await caught(q.defect)).toBe(plain);
    expect(q.fine()).toBe(42);
    const notFound = await caught(q.configured.resolve);
    expect([notFound.message, notFound.extensions]).toEqual(['no court 川9999', { code: 'NOT_FOUND' }]);
    expect((await caught(wrapped.Case.__resolveReference)).extensions).toEqual({ code: 'FORBIDDEN' });
  });
});

describe('issue 12: required() for rows another row refers to', () => {
  const loader = () =>
    new DataLoader<string, { code: string } | null>(async (codes) => codes.map((code) => (code === '川01' ? { code } : null)));

  it('returns the row, or fails with NOT_FOUND naming what and the key', async () => {
    expect(await required(loader(), '川01', 'court')).toEqual({ code: '川01' });
    const err = (await required(loader(), '川99', 'court').catch((e: unknown) => e)) as CodedError;
    expect(err).toBeInstanceOf(CodedError);
    expect([err.code, err.message]).toEqual(['NOT_FOUND', 'no court 川99']);
  });

  it('loads several in key order, failing on the first missing', async () => {
    expect(await requiredAll(loader(), ['川01', '川01'], 'court')).toEqual([{ code: '川01' }, { code: '川01' }]);
    const err = (await requiredAll(loader(), ['川01', '川98'], 'court').catch((e: unknown) => e)) as CodedError;
    expect([err.code, err.message]).toEqual(['NOT_FOUND', 'no court 川98']);
  });
});
