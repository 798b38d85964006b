import { createRequire } from 'node:module';
import { Supergraph } from '@apollo/federation-internals';
import {
  BreakingChangeType,
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  lexicographicSortSchema,
  printSchema,
  type GraphQLSchema,
} from 'graphql';
import type * as GraphQLModule from 'graphql';

/**
 * The API schema clients see (the supergraph without federation's join directives and internal types), printed in
 * a stable order so a diff of two releases shows only what changed.
 */
export function printApiSchema(supergraphSdl: string): string {
  // federation-internals builds with the CommonJS copy of graphql-js; print with that copy (as the trusted-document
  // builder does) so two copies of graphql never meet.
  const cjsGraphql = createRequire(import.meta.url)('graphql') as typeof GraphQLModule;
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema() as never;
  return printSchema(lexicographicSortSchema(buildSchema(cjsGraphql.printSchema(api)))) + '\n';
}

export interface SchemaChange {
  type: string;
  description: string;
}

export interface SchemaChangeReport {
  /** Breaking changes the policy refuses: a field, value or type removed without first being deprecated, or changed. */
  refused: SchemaChange[];
  /** Removals of what the released schema already deprecated: the policy's second step, allowed. */
  removedAfterDeprecation: SchemaChange[];
  /** Changes that can alter what an existing client sees (a new enum value, an argument default changed …). */
  dangerous: SchemaChange[];
}

/** Whether `Type.field` or `Enum.VALUE` carried @deprecated in the released schema. */
function deprecatedIn(released: GraphQLSchema, typeName: string, member: string): boolean {
  const type = released.getType(typeName);
  if (isObjectType(type) || isInterfaceType(type)) return type.getFields()[member]?.deprecationReason != null;
  if (isInputObjectType(type)) return type.getFields()[member]?.deprecationReason != null;
  if (isEnumType(type)) return type.getValue(member)?.deprecationReason != null;
  return false;
}

/**
 * The policy (docs/schema-changes.md): deprecate, then remove. A field or enum value may be removed only if the last
 * released API schema already marked it @deprecated; every other breaking change is refused.
 */
export function compareApiSchemas(releasedSdl: string, currentSdl: string): SchemaChangeReport {
  const released = buildSchema(releasedSdl);
  const current = buildSchema(currentSdl);
  const report: SchemaChangeReport = { refused: [], removedAfterDeprecation: [], dangerous: [] };
  for (const change of findBreakingChanges(released, current)) {
    const field = change.type === BreakingChangeType.FIELD_REMOVED ? /^(\w+)\.(\w+) was removed\.$/.exec(change.description) : null;
    const value =
      change.type === BreakingChangeType.VALUE_REMOVED_FROM_ENUM
        ? /^(\w+) was removed from enum type (\w+)\.$/.exec(change.description)
        : null;
    const removedDeprecated =
      (field !== null && deprecatedIn(released, field[1]!, field[2]!)) || (value !== null && deprecatedIn(released, value[2]!, value[1]!));
    (removedDeprecated ? report.removedAfterDeprecation : report.refused).push({ type: change.type, description: change.description });
  }
  for (const change of findDangerousChanges(released, current))
    report.dangerous.push({ type: change.type, description: change.description });
  return report;
}
