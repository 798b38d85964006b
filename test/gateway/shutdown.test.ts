import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTestProvince, startTestGraph, testToday, tokenFor } from '../support/graph';
import { delayedProxy, freePort, jsonLines, killGroup, sleep, spawnTsx, waitFor, waitUntilServing, type Child } from '../support/processes';

/**
 * Issue 13, item 10: graceful shutdown outside tests. Apollo Server installs its own SIGTERM handler whenever NODE_ENV
 * is not `test`; it stopped the server under in-flight requests and re-sent the signal. The product owns signal
 * handling (`stopOnTerminationSignals: false`), so `npm start` with NODE_ENV=production finishes every in-flight
 * request on SIGTERM and exits 0 within SHUTDOWN_GRACE_MS.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Registry fields and personnel fields of one court: the personnel part goes through the slow stand-in. */
const MIXED = `{ court(code: "川01") { name openCaseCount enforcementStaffCount officers { id } } }`;

describe('issue 13 item 10: SIGTERM with NODE_ENV=production', () => {
  it('N slow in-flight requests all complete with 200, and the process exits 0 within the grace period', async () => {
    const dir = copyTestProvince();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // The personnel subgraph, reached by URL through a stand-in that holds every call for 2 s.
    const personnel = await startTestGraph();
    cleanups.push(() => personnel.close());
    const slow = await delayedProxy(personnel.subgraphUrls.personnel, 2000);
    cleanups.push(() => slow.close());

    const port = await freePort();
    const graceMs = 10_000;
    const child: Child = spawnTsx(['scripts/start.ts'], {
      NODE_ENV: 'production',
      // A production start needs the identity provider's keys: the test province's development client key stands in.
      AUTH_JWKS_FILE: path.join(dir, 'keys', 'dev-client-jwks.json'),
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      AS_OF_DATE: testToday(),
      PERSONNEL_URL: slow.url,
      SUBGRAPH_TIMEOUT_MS: '8000',
      SHUTDOWN_GRACE_MS: String(graceMs),
      LOG_LEVEL: 'info',
    });
    cleanups.push(() => killGroup(child));
    const base = `http://127.0.0.1:${port}`;
    await waitUntilServing(child, `${base}/health/live`);
    const token = await tokenFor('川');

    const N = 6;
    const inFlight = Array.from({ length: N }, (_, i) =>
      fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': `shutdown-prod-${i}` },
        // Each its own operation: identical reads in flight at once would share one subgraph fetch (inflightDedup.ts).
        body: JSON.stringify({ query: `query InFlight${i} ${MIXED}` }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { data?: any; errors?: unknown[] } })),
    );
    // Every request is inside the gateway, waiting on the slow subgraph, when the signal comes.
    await waitFor('every request to reach the slow subgraph', async () => slow.received() >= N, 10_000, 20);
    const killedAt = performance.now();
    expect(child.proc.kill('SIGTERM')).toBe(true);

    const answers = await Promise.all(inFlight);
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(a.body.errors, JSON.stringify(a.body)).toBeUndefined();
      expect(a.body.data.court.name).toBeTruthy();
      expect(typeof a.body.data.court.enforcementStaffCount).toBe('number');
    }
    const exit = await Promise.race([child.exited, sleep(graceMs + 5000).then(() => null)]);
    const elapsed = performance.now() - killedAt;
    expect(exit, `stdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeLessThan(graceMs);
    // The gateway's request lines (the hosted registry logs its part under the same request id).
    const logged = jsonLines(child.stdout()).filter(
      (l) => String(l.requestId).startsWith('shutdown-prod-') && !l.subgraph && l.status === 200,
    );
    expect(logged).toHaveLength(N);
  }, 60_000);
});
