import type { Caller } from './edge';

/** What the edge holds a caller to, beyond the limits every request meets (depth, aliases, directives, tokens). */
export interface CallerPolicy {
  /** Runs only operations on the trusted-document list, when one is configured. */
  trustedDocumentsOnly: boolean;
  /** The volume limits (estimated cost, list size) apply. */
  volumeLimits: boolean;
  /** Must send the operation as text, so the gateway can see what it does (not a persisted-query hash alone). */
  sendsText: boolean;
  /** May run mutations. */
  mayWrite: boolean;
}

/**
 * The service-token policy, in one place. The product's own index pass authenticates with a service token only the
 * gateway can sign, and runs its own read-only operations, not the front-end's: so it is exempt from the
 * trusted-document list and from the volume limits (it pages the whole province). The exemption holds only because
 * it only reads: it must send its operation as text, and that text may not write.
 */
export function callerPolicy(caller: Caller | undefined): CallerPolicy {
  if (caller === 'service') return { trustedDocumentsOnly: false, volumeLimits: false, sendsText: true, mayWrite: false };
  return { trustedDocumentsOnly: true, volumeLimits: true, sendsText: false, mayWrite: true };
}
