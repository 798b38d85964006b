import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config';

describe('issue 13 item 2: a mutation waits longer than the store waits for its lock', () => {
  it('accepts the defaults (20 s against 5 s)', () => {
    const config = loadConfig({});
    expect(config.SUBGRAPH_MUTATION_TIMEOUT_MS).toBe(20_000);
    expect(config.STORE_BUSY_TIMEOUT_MS).toBe(5000);
  });

  it('refuses a mutation time-out no longer than the lock wait, naming both settings', () => {
    for (const env of [
      { SUBGRAPH_MUTATION_TIMEOUT_MS: '5000', STORE_BUSY_TIMEOUT_MS: '5000' },
      { SUBGRAPH_MUTATION_TIMEOUT_MS: '20000', STORE_BUSY_TIMEOUT_MS: '30000' },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(
        /^invalid configuration: SUBGRAPH_MUTATION_TIMEOUT_MS: must be longer than STORE_BUSY_TIMEOUT_MS/,
      );
    }
    expect(loadConfig({ SUBGRAPH_MUTATION_TIMEOUT_MS: '5001', STORE_BUSY_TIMEOUT_MS: '5000' }).SUBGRAPH_MUTATION_TIMEOUT_MS).toBe(5001);
  });
});
