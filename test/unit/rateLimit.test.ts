import { describe, expect, it } from 'vitest';
import { createDistinctKeyLimiter } from '../../lib/rateLimit';

/** Issue 13 item 4: identifier look-ups are rate limited per viewer (lib/rateLimit.ts, a sliding window). */
describe('createDistinctKeyLimiter (issue 13 item 4)', () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('admits up to the limit of distinct keys in a window and refuses the request that would exceed it, recording nothing', () => {
    const c = clock();
    const limiter = createDistinctKeyLimiter({ limit: 5, windowMs: 60_000, now: c.now });
    expect(limiter.admit('u@川0105', ['a', 'b', 'c'])).toBe(true);
    expect(limiter.admit('u@川0105', ['d', 'e', 'f'])).toBe(false);
    expect(limiter.used('u@川0105')).toBe(3);
    expect(limiter.admit('u@川0105', ['d', 'e'])).toBe(true);
    expect(limiter.used('u@川0105')).toBe(5);
    expect(limiter.admit('u@川0105', ['f'])).toBe(false);
  });

  it('counts a key looked up again within the window once', () => {
    const c = clock();
    const limiter = createDistinctKeyLimiter({ limit: 2, windowMs: 60_000, now: c.now });
    for (let i = 0; i < 10; i++) expect(limiter.admit('v', ['a', 'b', 'a'])).toBe(true);
    expect(limiter.used('v')).toBe(2);
    expect(limiter.admit('v', ['c'])).toBe(false);
  });

  it('is per viewer: one viewer at its limit does not hold back another', () => {
    const limiter = createDistinctKeyLimiter({ limit: 1, windowMs: 60_000, now: clock().now });
    expect(limiter.admit('a@川0105', ['x'])).toBe(true);
    expect(limiter.admit('a@川0105', ['y'])).toBe(false);
    expect(limiter.admit('a@川0106', ['y'])).toBe(true);
    expect(limiter.admit('b@川0105', ['y'])).toBe(true);
  });

  it('slides: keys older than the window stop counting, one by one', () => {
    const c = clock();
    const limiter = createDistinctKeyLimiter({ limit: 2, windowMs: 60_000, now: c.now });
    expect(limiter.admit('v', ['a'])).toBe(true);
    c.advance(30_000);
    expect(limiter.admit('v', ['b'])).toBe(true);
    expect(limiter.admit('v', ['c'])).toBe(false);
    c.advance(30_000); // `a` is now exactly one window old
    expect(limiter.used('v')).toBe(1);
    expect(limiter.admit('v', ['c'])).toBe(true);
    expect(limiter.admit('v', ['d'])).toBe(false);
    c.advance(60_000);
    expect(limiter.used('v')).toBe(0);
    expect(limiter.admit('v', ['d', 'e'])).toBe(true);
  });

  it('a repeated key restarts its window', () => {
    const c = clock();
    const limiter = createDistinctKeyLimiter({ limit: 2, windowMs: 60_000, now: c.now });
    limiter.admit('v', ['a', 'b']);
    c.advance(50_000);
    limiter.admit('v', ['a']);
    c.advance(20_000); // `b` left the window, `a` (seen again 20 s ago) did not
    expect(limiter.used('v')).toBe(1);
    expect(limiter.admit('v', ['c'])).toBe(true);
    expect(limiter.admit('v', ['d'])).toBe(false);
  });

  it('forgets viewers who stopped asking once their window has passed (memory bounded by active viewers)', () => {
    const c = clock();
    const limiter = createDistinctKeyLimiter({ limit: 10, windowMs: 60_000, now: c.now });
    for (let i = 0; i < 50; i++) limiter.admit(`officer${i}@川0105`, ['a', 'b']);
    expect(limiter.viewers()).toBe(50);
    c.advance(60_000);
    limiter.admit('late@川0105', ['a']);
    expect(limiter.viewers()).toBe(1);
  });
});
