import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, replicaUrls } from '../../lib/config';
import { neverReachedReplica, ReplicaSet } from '../../gateway/replicas';
import { DEFAULT_RESILIENCE } from '../../gateway/resilience';

/** Issue 16 item 4: several URLs per subgraph (ADR 24). */

describe('<NAME>_URL: one URL or a comma-separated list of replicas', () => {
  it('accepts one URL, and a list, trimmed, kept in order', () => {
    expect(loadConfig({ CASE_REGISTRY_URL: 'http://10.20.0.11:4001/graphql' }).CASE_REGISTRY_URL).toBe('http://10.20.0.11:4001/graphql');
    const config = loadConfig({ PERSONNEL_URL: ' http://10.20.0.13:4003/graphql , https://10.20.0.23:4003/graphql ' });
    expect(config.PERSONNEL_URL).toBe('http://10.20.0.13:4003/graphql,https://10.20.0.23:4003/graphql');
    expect(replicaUrls(config.PERSONNEL_URL!)).toEqual(['http://10.20.0.13:4003/graphql', 'https://10.20.0.23:4003/graphql']);
    expect(loadConfig({}).COORDINATION_URL).toBeUndefined();
  });

  it('refuses a bad entry, naming the setting, the entry and the rule', () => {
    const cases: [string, string, RegExp][] = [
      [
        'CASE_REGISTRY_URL',
        'http://a:4001/graphql,,http://b:4001/graphql',
        /^invalid configuration: CASE_REGISTRY_URL: entry 2 is empty \(rule REPLICA_URL_EMPTY:/,
      ],
      [
        'PROPERTY_CONTROL_URL',
        'http://a:4002/graphql,',
        /^invalid configuration: PROPERTY_CONTROL_URL: entry 2 is empty \(rule REPLICA_URL_EMPTY:/,
      ],
      [
        'PERSONNEL_URL',
        'http://a:4003/graphql,10.20.0.23:4003',
        /^invalid configuration: PERSONNEL_URL: entry 2 "10.20.0.23:4003" is not an http\(s\) URL \(rule REPLICA_URL:/,
      ],
      [
        'COORDINATION_URL',
        'ftp://a/graphql',
        /^invalid configuration: COORDINATION_URL: entry 1 "ftp:\/\/a\/graphql" is not an http\(s\) URL \(rule REPLICA_URL:/,
      ],
      [
        'CASE_REGISTRY_URL',
        'http://a:4001/graphql, http://a:4001/graphql',
        /^invalid configuration: CASE_REGISTRY_URL: entry 2 "http:\/\/a:4001\/graphql" repeats entry 1 \(rule REPLICA_URL_REPEATED:/,
      ],
      ['CASE_REGISTRY_URL', '', /^invalid configuration: CASE_REGISTRY_URL: entry 1 is empty/],
    ];
    for (const [setting, value, message] of cases) {
      expect(() => loadConfig({ [setting]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [setting]: value })).toThrow(message);
    }
  });
});

describe('the choice of replica', () => {
  const settings = { ...DEFAULT_RESILIENCE, breakerFailures: 2, breakerCooldownMs: 1000 };
  const urls = ['http://a/graphql', 'http://b/graphql', 'http://c/graphql'];

  it('takes idle replicas in turn', () => {
    const set = new ReplicaSet('case-registry', urls, settings, null);
    expect(Array.from({ length: 6 }, () => set.pick()!.url)).toEqual([...urls, ...urls]);
  });

  it('takes the one with the fewest calls in flight', () => {
    const set = new ReplicaSet('case-registry', urls, settings, null);
    const [a, b, c] = set.replicas;
    a!.inFlight = 3;
    b!.inFlight = 1;
    c!.inFlight = 2;
    expect(set.pick()!.url).toBe('http://b/graphql');
    b!.inFlight = 4;
    expect(set.pick()!.url).toBe('http://c/graphql');
  });

  it('sets aside a replica whose circuit is open until its cool-down lets one probe through', () => {
    let now = 0;
    const set = new ReplicaSet('case-registry', urls.slice(0, 2), settings, null, () => now);
    const [a, b] = set.replicas;
    a!.breaker.failure();
    a!.breaker.failure();
    expect(a!.breaker.state).toBe('open');
    expect(Array.from({ length: 4 }, () => set.pick()!.url)).toEqual(Array(4).fill('http://b/graphql'));
    now = 1000;
    const picked = Array.from({ length: 4 }, () => set.pick()!.url);
    // One probe to the recovering replica, the rest to the other.
    expect(picked.filter((u) => u === 'http://a/graphql')).toHaveLength(1);
    b!.breaker.failure();
    b!.breaker.failure();
    expect(set.pick()).toBeNull();
  });

  it('excludes the replicas a call has already failed on', () => {
    const set = new ReplicaSet('case-registry', urls.slice(0, 2), settings, null);
    const [a, b] = set.replicas;
    expect(set.pick(new Set([a!]))).toBe(b);
    expect(set.pick(new Set([a!, b!]))).toBeNull();
  });
});

describe('which failures certainly never reached a replica (a mutation may go on to the next)', () => {
  const failure = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

  it('a refused or never-made connection', () => {
    for (const code of ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])
      expect(neverReachedReplica(failure(code)), code).toBe(true);
  });

  it('not a reset or a closed socket, which can follow a request the replica has read', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']) expect(neverReachedReplica(failure(code)), code).toBe(false);
    expect(neverReachedReplica(Object.assign(new Error('timeout'), { name: 'TimeoutError' }))).toBe(false);
  });
});
