import { GraphQLError } from 'graphql';
import type { Viewer } from '../../lib/auth';
import type { RulesConfig } from '../../domain/rules/config';
import type { ProvinceFacts } from '../../domain/rules/facts';
import type { AssessmentIndex } from './sources/assessmentIndex';

/**
 * Request-scoped state for coordination: the day rules are judged on, the configuration in force, the read models,
 * and the court-load snapshot read at most once per request.
 */
export interface CoordinationContext {
  today: string;
  viewer: Viewer;
  config: RulesConfig;
  index: AssessmentIndex;
  courtLoads: () => Promise<{ province: ProvinceFacts; at: string }>;
}

export function createCoordinationContext(today: string, config: RulesConfig, index: AssessmentIndex, viewer: Viewer): CoordinationContext {
  let loads: Promise<{ province: ProvinceFacts; at: string }> | undefined;
  return {
    today,
    viewer,
    config,
    index,
    courtLoads: () =>
      (loads ??= index.courtLoads().then((snapshot) => {
        if (!snapshot) {
          throw new GraphQLError('court loads have not been read yet: run `npm run assess` (npm start does it at start-up)', {
            extensions: { code: 'ASSESSMENT_INDEX_NOT_BUILT' },
          });
        }
        return { province: { courts: new Map(snapshot.courts.map((c) => [c.code, c])) }, at: snapshot.at };
      })),
  };
}
