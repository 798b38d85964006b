import { readFileSync } from 'node:fs';
import { Kind, parse, type ConstValueNode, type DocumentNode } from 'graphql';

/** One subgraph as the supergraph records it: its name and the URL composition wrote for it. */
export interface SupergraphSubgraph {
  name: string;
  url: string;
}

export function readSupergraph(file: string): string {
  return readFileSync(file, 'utf8');
}

const stringValue = (node: ConstValueNode | undefined) => (node?.kind === Kind.STRING ? node.value : undefined);

/**
 * The subgraphs a supergraph joins, from its `join__Graph` enum (`@join__graph(name:, url:)` on each value), in the
 * order composition wrote them. This list, not the gateway's code, says which subgraphs the gateway calls.
 */
export function subgraphsOf(supergraphSdl: string): SupergraphSubgraph[] {
  const graphs = supergraphDocument(supergraphSdl).definitions.find(
    (d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph',
  );
  if (!graphs || graphs.kind !== Kind.ENUM_TYPE_DEFINITION)
    throw new Error('the supergraph has no join__Graph enum: is it a composed Federation 2 supergraph?');
  return (graphs.values ?? []).map((value) => {
    const joinGraph = value.directives?.find((d) => d.name.value === 'join__graph');
    const name = stringValue(joinGraph?.arguments?.find((a) => a.name.value === 'name')?.value);
    const url = stringValue(joinGraph?.arguments?.find((a) => a.name.value === 'url')?.value);
    if (name === undefined || url === undefined)
      throw new Error(`the supergraph's join__Graph value ${value.name.value} has no @join__graph(name:, url:)`);
    return { name, url };
  });
}

let parsed: { sdl: string; document: DocumentNode } | undefined;

/**
 * The supergraph's parsed SDL, without locations, for the readers that only look at it (the subgraph list, the cost
 * model). A start reads the same supergraph four times (the seed check, the plan, the gateway, its limits), and parsing
 * the whole supergraph is a measurable part of the time to the first answer (issue 18): the last one is remembered.
 * Its readers never change it.
 */
export function supergraphDocument(supergraphSdl: string): DocumentNode {
  if (parsed?.sdl !== supergraphSdl) parsed = { sdl: supergraphSdl, document: parse(supergraphSdl, { noLocation: true }) };
  return parsed.document;
}
