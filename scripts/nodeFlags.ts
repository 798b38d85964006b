/*
 * The node flags each compiled production process runs with (issue 18, ADR 29): the young generation's size, which V8
 * reads only from the command line when the process starts (`v8.setFlagsFromString` after start changes nothing, and
 * NODE_OPTIONS is the only other place). A subgraph builds a whole answer's objects per request; with V8's default
 * 16 MB semi-space many of them outlive their scavenge and are copied into the old generation, to be collected again
 * there. The systemd units (deploy/systemd), `npm run start:prod` / `start:subgraph:prod` and bench:peers run
 * these; test/deploy/bundle.test.ts checks that the units and the scripts agree with this list.
 */
export const NODE_FLAGS = {
  // None for the gateway. A 32 MB semi-space (twice V8's default on a 64-bit host) took its CPU for one 20-debtor walk
  // from 152–167 to 123–138 ms, but under the bench's loads its RSS rose to 216–245 MB, too near issue 18's 250 MB
  // for a gain the load figures did not show (the load is mostly shared executions, ADR 28).
  'start.js': [],
  // 32 MB: a subgraph builds one fetch's whole answer (14,490 cases in the heaviest walk) before sending it; the
  // 20-debtor walk's subgraph CPU fell from 206–224 to 164–175 ms a walk.
  'runSubgraph.js': ['--max-semi-space-size=32'],
} as const satisfies Record<string, readonly string[]>;

export type CompiledScript = keyof typeof NODE_FLAGS;
