import type { RulesConfig } from '../../domain/rules/config';

/** Request-scoped state for coordination: the day rules are judged on and the configuration in force. */
export interface CoordinationContext {
  today: string;
  config: RulesConfig;
}

export function createCoordinationContext(today: string, config: RulesConfig): CoordinationContext {
  return { today, config };
}
