import { describe, expect, it } from 'vitest';
import { CircuitBreaker, countsAgainstSubgraph } from '../../gateway/resilience';
import { ViewerBudgets } from '../../gateway/viewerBudget';
import type { Viewer } from '../../lib/auth';

/** Issue 13, item 9: each viewer's budgets, and which failures count against the breaker every viewer shares. */

const basic: Viewer = { sub: 'u1', court: '川0105', role: 'basic' };
const other: Viewer = { sub: 'u2', court: '川0104', role: 'basic' };
const settings = { maxConcurrent: 2, requestsPerMinute: 5, costPerMinute: 1000, heavyRequestCost: 300 };

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('ViewerBudgets', () => {
  it('runs maxConcurrent at once, queues as many more, refuses beyond; a finished request hands its turn on', async () => {
    const c = clock();
    const b = new ViewerBudgets({ ...settings, requestsPerMinute: 100 }, c.now);
    const admitted = [1, 2, 3, 4].map(() => b.admit(basic, 1));
    expect(admitted.every((a) => a.admitted)).toBe(true);
    const fifth = b.admit(basic, 1);
    expect(fifth).toMatchObject({ admitted: false, rule: 'VIEWER_CONCURRENCY' });
    const started: number[] = [];
    admitted.forEach((a, i) => a.admitted && void a.turn.then(() => started.push(i)));
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    if (admitted[0]!.admitted) admitted[0]!.release();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1, 2]);
    // Another viewer is not held by the first one's queue.
    expect(b.admit(other, 1).admitted).toBe(true);
  });

  it('refuses over the request rate and over the cost budget, saying when to retry; budgets refill over the minute', () => {
    const c = clock();
    const b = new ViewerBudgets({ ...settings, maxConcurrent: 100 }, c.now);
    for (let i = 0; i < 5; i++) {
      const a = b.admit(basic, 10);
      if (a.admitted) a.release();
    }
    const sixth = b.admit(basic, 10);
    expect(sixth).toMatchObject({ admitted: false, rule: 'VIEWER_REQUEST_RATE' });
    expect(sixth.admitted === false && sixth.retryAfterMs).toBe(12_000);
    c.advance(12_000);
    expect(b.admit(basic, 10).admitted).toBe(true);

    const d = new ViewerBudgets({ ...settings, maxConcurrent: 100, requestsPerMinute: 100 }, c.now);
    expect(d.admit(basic, 900).admitted).toBe(true);
    const over = d.admit(basic, 200);
    expect(over).toMatchObject({ admitted: false, rule: 'VIEWER_COST_BUDGET' });
    // 100 more are needed: a tenth of the minute.
    expect(over.admitted === false && over.retryAfterMs).toBe(6000);
    c.advance(6000);
    expect(d.admit(basic, 200).admitted).toBe(true);
  });

  it('marks a request as owning its time-outs when it is heavy or its viewer has spent over half its budget', () => {
    const b = new ViewerBudgets({ ...settings, maxConcurrent: 100 }, clock().now);
    const light = b.admit(basic, 100);
    const heavy = b.admit(other, 301);
    expect(light.admitted && light.demand).toEqual({ cost: 100, ownsTimeouts: false });
    expect(heavy.admitted && heavy.demand).toEqual({ cost: 301, ownsTimeouts: true });
    b.admit(basic, 450); // spent 550 of 1000
    const after = b.admit(basic, 10);
    expect(after.admitted && after.demand.ownsTimeouts).toBe(true);
  });
});

describe('what counts against the shared breaker', () => {
  const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
  const refused = Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });

  it('counts connection failures always; a time-out only of a light read', () => {
    expect(countsAgainstSubgraph(refused, { mutation: false, ownsTimeouts: true })).toBe(true);
    expect(countsAgainstSubgraph(refused, { mutation: true, ownsTimeouts: false })).toBe(true);
    expect(countsAgainstSubgraph(timeout, { mutation: false, ownsTimeouts: false })).toBe(true);
    expect(countsAgainstSubgraph(timeout, { mutation: false, ownsTimeouts: true })).toBe(false);
    expect(countsAgainstSubgraph(timeout, { mutation: true, ownsTimeouts: false })).toBe(false);
  });

  it('a neutral outcome frees a half-open probe without closing or re-opening the circuit', () => {
    const c = clock();
    const breaker = new CircuitBreaker(1, 1000, c.now);
    breaker.failure();
    expect(breaker.state).toBe('open');
    c.advance(1000);
    expect(breaker.allow()).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBe(false);
    breaker.neutral();
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBe(true);
  });
});
