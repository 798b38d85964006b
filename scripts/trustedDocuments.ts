import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Supergraph } from '@apollo/federation-internals';
import {
  Kind,
  buildSchema,
  parse,
  print,
  validate,
  visit,
  type ASTNode,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { readSupergraph } from '../gateway/supergraph';
import { DEFAULT_SUPERGRAPH_PATH, loadConfigOrExit } from '../lib/config';
import { sha256, type TrustedManifest } from '../gateway/trustedDocuments';
import type * as GraphQLModule from 'graphql';

/**
 * `npm run trusted-documents -- --out manifest.json <files or directories of .graphql>`: builds the trusted-document
 * manifest the gateway enforces with TRUSTED_DOCUMENTS. Every operation is validated against the API schema of the
 * supergraph the gateway serves (SUPERGRAPH_PATH), carries the fragments it uses, and is keyed by the SHA-256 of its
 * printed body. `--with-typename` registers each one a second time as Apollo Client sends it, with `__typename` added
 * to every selection set below the operation's root: the gateway trusts documents to the character (ADR 15), so that
 * form is trusted only when it is registered.
 */
function graphqlFiles(target: string): string[] {
  if (statSync(target).isDirectory()) return readdirSync(target).flatMap((f) => graphqlFiles(path.join(target, f)));
  return target.endsWith('.graphql') || target.endsWith('.gql') ? [target] : [];
}

/**
 * What Apollo Client's default `addTypenameToDocument` does to a document before sending it: `__typename` appended to
 * every selection set except an operation's root, unless the set already selects it or an introspection field.
 */
export function withTypename<T extends ASTNode>(document: T): T {
  return visit(document, {
    SelectionSet: {
      enter(node, _key, parent) {
        if (parent && !Array.isArray(parent) && (parent as ASTNode).kind === Kind.OPERATION_DEFINITION) return undefined;
        if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'))) return undefined;
        return { ...node, selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] };
      },
    },
  });
}

export function buildManifest(
  files: string[],
  supergraphPath: string = DEFAULT_SUPERGRAPH_PATH,
  opts: { withTypename?: boolean } = {},
): TrustedManifest {
  // federation-internals builds it with the CommonJS graphql-js; print it with that copy and rebuild it with this
  // module's, so validation never mixes two copies of graphql (as happens under a test runner).
  const cjsGraphql = createRequire(import.meta.url)('graphql') as typeof GraphQLModule;
  const schema = buildSchema(
    cjsGraphql.printSchema(Supergraph.build(readSupergraph(supergraphPath)).apiSchema().toGraphQLJSSchema() as never),
  );
  const definitions: { file: string; def: DefinitionNode }[] = files.flatMap((file) =>
    parse(readFileSync(file, 'utf8')).definitions.map((def) => ({ file, def })),
  );
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { file, def } of definitions) {
    if (def.kind !== Kind.FRAGMENT_DEFINITION) continue;
    if (fragments.has(def.name.value)) throw new Error(`${file}: fragment ${def.name.value} is defined twice`);
    fragments.set(def.name.value, def);
  }
  const operations: TrustedManifest['operations'] = [];
  const names = new Set<string>();
  for (const { file, def } of definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const op = def as OperationDefinitionNode;
    if (!op.name) throw new Error(`${file}: every trusted operation needs a name`);
    if (names.has(op.name.value)) throw new Error(`${file}: operation ${op.name.value} is defined twice`);
    names.add(op.name.value);
    // The operation and, transitively, every fragment it spreads.
    const used = new Map<string, FragmentDefinitionNode>();
    const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
      visit(node, {
        FragmentSpread(spread) {
          const frag = fragments.get(spread.name.value);
          if (!frag) throw new Error(`${file}: ${op.name!.value} uses unknown fragment ${spread.name.value}`);
          if (!used.has(frag.name.value)) {
            used.set(frag.name.value, frag);
            collect(frag);
          }
        },
      });
    collect(op);
    const document = {
      kind: Kind.DOCUMENT,
      definitions: [op, ...[...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value))],
    } as const;
    const errors = validate(schema, document);
    if (errors.length) throw new Error(`${file}: ${op.name.value}: ${errors.map((e) => e.message).join('; ')}`);
    const body = print(document);
    operations.push({ id: sha256(body), name: op.name.value, type: op.operation, body });
    if (opts.withTypename) {
      const typed = print(withTypename(document));
      if (typed !== body) operations.push({ id: sha256(typed), name: op.name.value, type: op.operation, body: typed });
    }
  }
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    options: { out: { type: 'string' }, 'with-typename': { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (!values.out || positionals.length === 0) {
    console.error('usage: npm run trusted-documents -- --out manifest.json [--with-typename] <files or directories of .graphql>');
    process.exit(2);
  }
  try {
    const manifest = buildManifest(positionals.flatMap(graphqlFiles), loadConfigOrExit().SUPERGRAPH_PATH, {
      withTypename: values['with-typename'],
    });
    writeFileSync(values.out, `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`${manifest.operations.length} operations written to ${values.out}`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
