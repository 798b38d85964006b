import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareApiSchemas, printApiSchema } from '../../gateway/schemaChanges';
import { readSupergraph } from '../../gateway/supergraph';
import { DEFAULT_SUPERGRAPH_PATH } from '../../lib/config';

/** Issue 17 item 8: the API schema is checked against the last released one; deprecate first, then remove. */
const released = readFileSync('schema/released/api.graphql', 'utf8');

/** The released schema with one edit, which must apply exactly once. */
function edited(find: string | RegExp, replace: string): string {
  const out = released.replace(find, replace);
  expect(out, `edit ${String(find)} applies`).not.toBe(released);
  return out;
}

describe('API schema change policy', () => {
  it('the supergraph in the tree is compatible with the released API schema', () => {
    const report = compareApiSchemas(released, printApiSchema(readSupergraph(DEFAULT_SUPERGRAPH_PATH)));
    expect(report.refused).toEqual([]);
  });

  it('refuses removing a field that was never deprecated, naming it', () => {
    const report = compareApiSchemas(released, edited(/\n {2}maxCases: Int!\n/, '\n'));
    expect(report.refused).toEqual([{ type: 'FIELD_REMOVED', description: 'RebalancePlan.maxCases was removed.' }]);
  });

  it('allows removing a field the released schema deprecated', () => {
    const report = compareApiSchemas(
      released,
      edited(/\n {2}"""\n {2}The first sending court[^"]*"""\n {2}fromCourt: Court! @deprecated\([^\n]*\n/, '\n'),
    );
    expect(report.refused).toEqual([]);
    expect(report.removedAfterDeprecation.map((c) => c.description)).toEqual(['RebalancePlan.fromCourt was removed.']);
  });

  it('refuses making a non-null output field nullable, and a new required argument', () => {
    const nullable = compareApiSchemas(released, edited(/\n {2}maxCases: Int!\n/, '\n  maxCases: Int\n'));
    expect(nullable.refused.map((c) => c.type)).toEqual(['FIELD_CHANGED_KIND']);
    const argument = compareApiSchemas(
      released,
      edited(/transferCandidates\(/, 'transferCandidates(\n    """A new required argument."""\n    since: Date!\n'),
    );
    expect(argument.refused.map((c) => c.type)).toEqual(['REQUIRED_ARG_ADDED']);
  });

  it('reports a new enum value as dangerous, not breaking', () => {
    const report = compareApiSchemas(
      released,
      edited(/\nenum TransferMode \{\n/, '\nenum TransferMode {\n  """A new mode."""\n  REBALANCING\n'),
    );
    expect(report.refused).toEqual([]);
    expect(report.dangerous.map((c) => c.type)).toEqual(['VALUE_ADDED_TO_ENUM']);
  });
});
