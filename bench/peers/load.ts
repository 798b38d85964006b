import { Agent, request } from 'node:http';

/*
 * A small bounded HTTP load loop for `npm run bench:peers` (autocannon is not installed): `connections` workers, each
 * posting the same GraphQL request over its own keep-alive connection until the round's time is up, one at a time.
 * Every answer is checked: HTTP 200, a JSON body, and its `data` exactly the reference's (the first answer seen for
 * the query, whichever engine gave it); latencies are kept whole for the percentiles.
 */

export interface RoundResult {
  /** Answers received (any status). */
  requests: number;
  /** Answers that were HTTP 200 with the reference's data and no errors: what req/s counts. */
  ok: number;
  seconds: number;
  latenciesMs: number[];
  /** Answers whose status was not 200, whose body was not JSON, or whose `data` differed from the reference. */
  failures: number;
  /** The first failure's description, for the report. */
  firstFailure?: string;
  /** The `data` of the first good answer, when no reference was given. */
  reference?: string;
}

export interface RoundSpec {
  url: string;
  body: string;
  /** The headers of the n-th request (the bench's viewers take turns: one token each). */
  headers: (n: number) => Record<string, string>;
  connections: number;
  seconds: number;
  /** JSON of the `data` every answer must have; when absent the first answer sets it. */
  reference?: string;
  /** Stop once this many requests were sent (with `seconds` as the limit of time still): the single-request rounds. */
  maxRequests?: number;
}

export async function runRound(spec: RoundSpec): Promise<RoundResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const url = new URL(spec.url);
  const fixed = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(spec.body)) };
  const result: RoundResult = { requests: 0, ok: 0, seconds: spec.seconds, latenciesMs: [], failures: 0 };
  let sent = 0;
  let reference = spec.reference;
  const fail = (why: string) => {
    result.failures++;
    result.firstFailure ??= why;
  };
  const once = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const headers = { ...spec.headers(sent++), ...fixed };
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(spec.body);
    });
  const started = performance.now();
  const deadline = started + spec.seconds * 1000;
  const worker = async () => {
    // A round of 0 seconds is one request per connection (the warm-up).
    for (let first = true; first || performance.now() < deadline; first = false) {
      if (spec.maxRequests !== undefined && sent >= spec.maxRequests) break;
      const t = performance.now();
      let answer;
      try {
        answer = await once();
      } catch (err) {
        fail(`request failed: ${String(err)}`);
        continue;
      }
      result.latenciesMs.push(performance.now() - t);
      result.requests++;
      if (answer.status !== 200) {
        fail(`HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
        continue;
      }
      let data: string;
      try {
        const body = JSON.parse(answer.text) as { data?: unknown; errors?: unknown };
        data = JSON.stringify(body.data ?? null);
        if (body.errors) {
          fail(`errors: ${JSON.stringify(body.errors).slice(0, 300)}`);
          continue;
        }
      } catch {
        fail(`not JSON: ${answer.text.slice(0, 300)}`);
        continue;
      }
      if (reference === undefined) reference = data;
      else if (data !== reference) {
        fail(`data differs from the reference (${data.length} vs ${reference.length} characters)`);
        continue;
      }
      result.ok++;
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));
  result.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (spec.reference === undefined) result.reference = reference;
  return result;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}
