import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as GraphQLJs from 'graphql';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supergraph } from '@apollo/federation-internals';
import { describe, expect, it } from 'vitest';
import { LimitError, checkOperation, costModelOf, type OperationLimits } from '../../gateway/limits';
import { DEFAULT_SUPERGRAPH_PATH, loadConfig } from '../../lib/config';
import { operationLimitsOf } from '../../gateway/security';

/**
 * Issue 13, item 9: every operation the README and examples/ show passes the default operation limits, so the
 * documented graph is usable as documented (the limits were too tight the other way: depth 6 refused the natural
 * analyst query). Fenced blocks must be valid operations; inline code that parses and validates is checked too.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const sdl = readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8');
// federation-internals builds the API schema with the CommonJS graphql-js, so it is validated with that copy too.
const { parse, validate } = createRequire(import.meta.url)('graphql') as typeof GraphQLJs;
const api = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
const costs = costModelOf(sdl);
const config = loadConfig({});
const DEFAULTS: OperationLimits = operationLimitsOf(config);

interface Documented {
  where: string;
  source: string;
}

const valid = (source: string): boolean => {
  try {
    return validate(api, parse(source)).length === 0;
  } catch {
    return false;
  }
};

/** Every operation of README.md: ```graphql blocks, the JSON bodies of its curl examples, and inline code that is one. */
function readmeOperations(): { strict: Documented[]; inline: Documented[] } {
  const text = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const strict: Documented[] = [];
  for (const [, lang, body] of text.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    if (lang === 'graphql') strict.push({ where: 'README.md graphql block', source: body! });
    for (const [, json] of body!.matchAll(/-d '(\{[\s\S]*?\})'/g)) {
      strict.push({ where: 'README.md curl example', source: (JSON.parse(json!) as { query: string }).query });
    }
  }
  const prose = text.replace(/```[\s\S]*?```/g, '');
  const inline: Documented[] = [];
  for (const [, code] of prose.matchAll(/`([^`]*\{[^`]*)`/g)) {
    const source = [code!, `{ ${code!} }`].find(valid);
    if (source) inline.push({ where: 'README.md inline code', source });
  }
  return { strict, inline };
}

function exampleOperations(dir = path.join(ROOT, 'examples')): Documented[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return exampleOperations(file);
    return file.endsWith('.graphql') ? [{ where: path.relative(ROOT, file), source: readFileSync(file, 'utf8') }] : [];
  });
}

/** The limit an operation breaks, if any; a document of several operations is checked operation by operation. */
function refusal(op: Documented): string | null {
  try {
    checkOperation(op.source, {}, DEFAULTS, api, { costs });
    return null;
  } catch (err) {
    if (err instanceof LimitError) return `${err.rule}: ${err.message}`;
    throw err;
  }
}

const { strict, inline } = readmeOperations();
const examples = exampleOperations();

describe('issue 13 item 9: every documented operation passes the default limits', () => {
  it('finds the documented operations (README blocks and curl bodies, inline code, examples/)', () => {
    expect(strict.length).toBeGreaterThanOrEqual(5);
    expect(inline.length).toBeGreaterThanOrEqual(3);
    expect(examples.length).toBeGreaterThanOrEqual(1);
  });

  it.each([...strict, ...examples].map((op, i) => [`${op.where} #${i + 1}`, op] as const))('%s is a valid operation', (_, op) => {
    expect(validate(api, parse(op.source)).map((e) => e.message)).toEqual([]);
  });

  it.each([...strict, ...inline, ...examples].map((op, i) => [`${op.where} #${i + 1}: ${op.source.trim().slice(0, 60)}`, op] as const))(
    '%s passes checkOperation under the default limits',
    (_, op) => {
      expect(refusal(op)).toBeNull();
    },
  );
});
