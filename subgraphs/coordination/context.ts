import { CodedError } from '../../domain/errorCatalogue';
import { scopeOf, type Scope } from '../../domain/scope';
import type { Viewer } from '../../lib/auth';
import type { RulesConfig } from '../../domain/rules/config';
import type { ProvinceFacts } from '../../domain/rules/facts';
import type { CoordinationSource } from './sources/source';

/**
 * Request-scoped state for coordination: the day rules are judged on, the configuration in force, the viewer and
 * its court scope, the read models, and the court-load snapshot read at most once per request.
 */
export interface CoordinationContext {
  source: CoordinationSource;
  today: string;
  viewer: Viewer;
  /** Courts whose records the viewer may see (domain/scope.ts). */
  scope: Scope;
  config: RulesConfig;
  courtLoads: () => Promise<{ province: ProvinceFacts; at: string }>;
}

export function createCoordinationContext(
  source: CoordinationSource,
  today: string,
  config: RulesConfig,
  viewer: Viewer,
): CoordinationContext {
  let loads: Promise<{ province: ProvinceFacts; at: string }> | undefined;
  return {
    source,
    today,
    viewer,
    scope: scopeOf(viewer),
    config,
    courtLoads: () =>
      (loads ??= source.courtLoads().then((snapshot) => {
        if (!snapshot) {
          throw new CodedError(
            'ASSESSMENT_INDEX_NOT_BUILT',
            'court loads have not been read yet: run `npm run assess` (npm start does it at start-up)',
          );
        }
        return { province: { courts: new Map(snapshot.courts.map((c) => [c.code, c])) }, at: snapshot.at };
      })),
  };
}
