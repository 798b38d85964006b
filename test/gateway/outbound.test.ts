import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTestProvince, openRaw, testToday, tokenFor } from '../support/graph';
import { freePort, killGroup, ROOT, sleep, spawnTsx, waitUntilServing } from '../support/processes';

/**
 * Issue 13, item 11: no phone-home. @apollo/gateway's built-in telemetry probed cloud metadata addresses at start
 * (its OpenTelemetry resource detectors: 169.254.169.254, 100.100.100.200, metadata.google.internal) and exported to
 * Apollo's usage-reporting host at shutdown; Apollo Server reports usage whenever APOLLO_KEY is set. `npm start` is run
 * with a preload that records every outbound connection attempt, through start-up, a debtor walk and SIGTERM, with
 * Apollo's and the clouds' variables set to prove they are ignored: every host must be a loopback address.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Debtor → cases in every court → handler → properties → measures: every subgraph is called. */
const DEBTOR_WALK = /* GraphQL */ `
  query DebtorWalk($id: ID!) {
    debtor(id: $id) {
      id
      name
      cases {
        number
        court {
          name
          enforcementStaffCount
        }
        handler {
          name
        }
        measures {
          id
        }
      }
      properties {
        id
        measures {
          kind
          court {
            name
          }
        }
      }
      transferAssessment {
        recommendedMode
      }
    }
  }
`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']);

describe('issue 13 item 11: no outbound connection but the configured subgraphs', () => {
  it('npm start, a debtor walk and SIGTERM connect to loopback only, whatever APOLLO_KEY and the cloud variables say', async () => {
    const dir = copyTestProvince();
    const logDir = mkdtempSync(path.join(os.tmpdir(), 'court-graph-outbound-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => rmSync(logDir, { recursive: true, force: true }));
    const outboundLog = path.join(logDir, 'outbound.jsonl');
    const port = await freePort();
    const child = spawnTsx(
      ['scripts/start.ts'],
      {
        NODE_OPTIONS: `--import ${path.join(ROOT, 'test', 'support', 'recordOutbound.mjs')}`,
        OUTBOUND_LOG: outboundLog,
        NODE_ENV: 'production',
        AUTH_JWKS_FILE: path.join(dir, 'keys', 'dev-client-jwks.json'),
        DATA_DIR: dir,
        PORT: String(port),
        HOST: '127.0.0.1',
        AS_OF_DATE: testToday(),
        LOG_LEVEL: 'warn',
        // What would switch Apollo's reporting on, and what cloud metadata clients read.
        APOLLO_KEY: 'service:court-graph:not-a-real-key',
        APOLLO_GRAPH_REF: 'court-graph@current',
        APOLLO_SCHEMA_REPORTING: 'true',
        GOOGLE_CLOUD_PROJECT: 'court-graph-test',
        GCLOUD_PROJECT: 'court-graph-test',
        METADATA_SERVER_DETECTION: 'assume-present',
        AWS_REGION: 'cn-north-1',
        ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/abc',
      },
      { unset: ['APOLLO_TELEMETRY_DISABLED'] },
    );
    cleanups.push(() => killGroup(child));
    const base = `http://127.0.0.1:${port}`;
    await waitUntilServing(child, `${base}/health/live`, 30_000);

    const registry = openRaw('case-registry');
    const { id } = registry
      .prepare(
        `select person_id id from case_parties where role = 'DEBTOR' and person_id is not null group by person_id order by count(*) desc, person_id limit 1`,
      )
      .get() as { id: string };
    registry.close();
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('川')}` },
      body: JSON.stringify({ query: DEBTOR_WALK, variables: { id } }),
    });
    const walk = (await res.json()) as { data?: { debtor?: { id: string; cases: unknown[] } }; errors?: unknown[] };
    expect(res.status, JSON.stringify(walk)).toBe(200);
    expect(walk.errors, JSON.stringify(walk.errors)).toBeUndefined();
    expect(walk.data?.debtor?.id).toBe(id);
    // Time for anything started in the background at start-up (metadata probes, the assessment pass) to try.
    await sleep(1500);

    expect(child.proc.kill('SIGTERM')).toBe(true);
    const exit = await Promise.race([child.exited, sleep(15_000).then(() => null)]);

    expect(existsSync(outboundLog), 'the preload recorded nothing: it did not run').toBe(true);
    const attempts = readFileSync(outboundLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { via: string; host: string; port: number | null });
    // The gateway called its hosted subgraphs over loopback HTTP: the recorder saw them.
    expect(attempts.some((a) => a.via === 'socket' && a.host === '127.0.0.1')).toBe(true);
    const elsewhere = attempts.filter((a) => !LOOPBACK.has(a.host));
    expect(elsewhere, `outbound attempts to other hosts:\n${elsewhere.map((a) => JSON.stringify(a)).join('\n')}`).toEqual([]);
    expect(child.stderr()).not.toContain('MetadataLookupWarning');
    expect(exit, `stdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`).toEqual({ code: 0, signal: null });
  }, 60_000);
});
