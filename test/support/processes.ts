import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Child processes started the way an operator starts the product (`tsx scripts/start.ts`, `tsx scripts/runSubgraph.ts`),
 * with the settings a test gives them, and the small HTTP fakes those tests put beside them.
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `tsx <args>` in its own process group (tsx runs the script in a child of its own). `wrapper` runs it under
 * another command (e.g. `setpriv` with capabilities dropped). The child's environment is the test's with `env` over it,
 * minus the names in `unset`.
 */
export function spawnTsx(args: string[], env: Record<string, string>, opts: { wrapper?: string[]; unset?: string[] } = {}): Child {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const name of opts.unset ?? []) delete childEnv[name];
  const [command, ...rest] = [...(opts.wrapper ?? []), TSX, ...args];
  const proc = spawn(command!, rest, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, stdout: () => out, stderr: () => err, exited };
}

export const alive = (c: Child | undefined) => !!c && c.proc.exitCode === null && c.proc.signalCode === null;

/** SIGKILLs the child's whole process group (tsx and the node process it runs), and waits for it to go. */
export async function killGroup(c: Child | undefined): Promise<void> {
  if (!c?.proc.pid) return;
  try {
    process.kill(-c.proc.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  if (alive(c)) await c.exited;
}

/** A free loopback port: listen on 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Polls until `check` resolves truthy (errors count as not yet), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Waits until the child answers 200 on `url`, failing with its output if it exits first. */
export async function waitUntilServing(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  try {
    await waitFor(
      url,
      async () => {
        if (!alive(child)) throw new Error(`the process exited early`);
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        return res.status === 200;
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${String(err)}\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`);
  }
}

/** The JSON lines of a child's output (pino's log lines), the rest skipped. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text.split('\n').flatMap((line) => {
    try {
      const v = JSON.parse(line) as unknown;
      return v && typeof v === 'object' ? [v as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

export interface DelayedProxy {
  url: string;
  /** POST /graphql requests received so far. */
  received: () => number;
  close: () => Promise<void>;
}

/**
 * A stand-in for a subgraph at a URL: each POST to /graphql waits `delayMs`, then is passed on to `target` (body,
 * authorization and request id) and its answer back; `/health/*` answers 200 at once.
 */
export function delayedProxy(target: string, delayMs: number): Promise<DelayedProxy> {
  let received = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/health/')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      return;
    }
    received++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        await sleep(delayMs);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        for (const h of ['authorization', 'x-request-id', 'accept']) {
          const v = req.headers[h];
          if (typeof v === 'string') headers[h] = v;
        }
        const upstream = await fetch(target, { method: 'POST', headers, body: Buffer.concat(chunks) });
        const text = await upstream.text();
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
      })().catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/graphql`,
        received: () => received,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
