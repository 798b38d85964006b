import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTestProvince, openRaw, testToday, tokenFor } from '../support/graph';
import { DEBTOR_WALK } from '../support/operations';
import { freePort, killGroup, sleep, spawnTsx, waitFor, waitUntilServing } from '../support/processes';

/**
 * Issue 17 item 9: OpenTelemetry traces across the gateway and the subgraphs, configured only by the standard OTEL_*
 * variables. `npm start` runs in production mode with an OTLP endpoint on a loopback collector the test serves; a walk
 * with a request id must arrive as one trace: the gateway's request span, Apollo Gateway's fetch spans and each
 * subgraph's request span, linked by W3C trace context and all carrying the request id.
 */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number; arrayValue?: unknown } }[];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function collector(): Promise<{ server: Server; url: string; spans: { service: string; span: OtlpSpan }[]; paths: string[] }> {
  const spans: { service: string; span: OtlpSpan }[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const parsed = JSON.parse(body) as {
        resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of parsed.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push({ service, span });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, paths }),
    ),
  );
}

const attr = (s: OtlpSpan, key: string) => s.attributes.find((a) => a.key === key)?.value.stringValue;

describe('OpenTelemetry traces', () => {
  it('exports one linked trace per request, with the request id, to the configured OTLP endpoint only', async () => {
    const otlp = await collector();
    cleanups.push(() => new Promise<void>((r) => otlp.server.close(() => r())));
    const dir = copyTestProvince();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const port = await freePort();
    const child = spawnTsx(['scripts/start.ts'], {
      NODE_ENV: 'production',
      AUTH_JWKS_FILE: path.join(dir, 'keys', 'dev-client-jwks.json'),
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      AS_OF_DATE: testToday(),
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_SERVICE_NAME: 'court-graph-test',
    });
    cleanups.push(() => killGroup(child));
    const base = `http://127.0.0.1:${port}`;
    await waitUntilServing(child, `${base}/health/ready`, 60_000);

    const registry = openRaw('case-registry');
    const { id } = registry
      .prepare(
        `select person_id id from case_parties where role = 'DEBTOR' and person_id is not null group by person_id order by count(*) desc limit 1`,
      )
      .get() as { id: string };
    registry.close();
    const requestId = 'trace-walk-0001';
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('川')}`, 'x-request-id': requestId },
      body: JSON.stringify({ query: DEBTOR_WALK, variables: { id } }),
    });
    expect(res.status).toBe(200);
    await res.json();
    // A refused request: its code is on the span and on the log line.
    const refused = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('川')}`, 'x-request-id': 'trace-bad-0001' },
      body: JSON.stringify({ query: 'query Bad { debtor(id: "123") { id } }' }),
    });
    await refused.json();

    const traced = () => otlp.spans.filter((s) => attr(s.span, 'court_graph.request_id') === requestId);
    await waitFor(
      'the walk spans to be exported',
      async () => new Set(traced().map((s) => attr(s.span, 'court_graph.component'))).size >= 5,
      20_000,
    );
    expect(child.proc.kill('SIGTERM')).toBe(true);
    const exit = await Promise.race([child.exited, sleep(15_000).then(() => null)]);
    expect(exit, `stdout:\n${child.stdout().slice(-3000)}\nstderr:\n${child.stderr()}`).toEqual({ code: 0, signal: null });

    const spans = traced().map((s) => s.span);
    const gatewaySpan = spans.find((s) => attr(s, 'court_graph.component') === 'gateway')!;
    expect(gatewaySpan.name).toBe('gateway POST /graphql');
    expect(attr(gatewaySpan, 'graphql.operation.name')).toBe('DebtorWalk');
    // One trace: every span with the walk's request id, in the gateway's trace; each subgraph span has a parent.
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([gatewaySpan.traceId]));
    const subgraphSpans = spans.filter((s) => !['gateway', undefined].includes(attr(s, 'court_graph.component')));
    expect(new Set(subgraphSpans.map((s) => attr(s, 'court_graph.component')))).toEqual(
      new Set(['case-registry', 'property-control', 'personnel']),
    );
    // Apollo Gateway's own spans (plan, fetch) are in the trace too, the fetches carrying the request id.
    expect(spans.some((s) => s.name === 'gateway.fetch')).toBe(true);
    const ids = new Set(otlp.spans.map((s) => s.span.spanId));
    for (const s of subgraphSpans) expect(ids.has(s.parentSpanId ?? ''), `${s.name} has its parent in the trace`).toBe(true);
    expect(otlp.spans.every((s) => s.service === 'court-graph-test')).toBe(true);
    expect(otlp.paths.every((p) => p.startsWith('POST /v1/traces'))).toBe(true);

    // The request log line names the operation and the error codes.
    const lines = child
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; requestId?: string; operationName?: string; errorCodes?: string[]; subgraph?: string });
    const walkLine = lines.find((l) => l.msg === 'request' && l.requestId === requestId && !l.subgraph)!;
    expect(walkLine.operationName).toBe('DebtorWalk');
    expect(walkLine.errorCodes).toBeUndefined();
    const badLine = lines.find((l) => l.msg === 'request' && l.requestId === 'trace-bad-0001' && !l.subgraph)!;
    expect(badLine.operationName).toBe('Bad');
    expect(badLine.errorCodes).toEqual(['BAD_USER_INPUT']);
  }, 90_000);
});
