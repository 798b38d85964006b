import { describe, expect, it } from 'vitest';
import { requestBatches } from '../../lib/requestBatches';

/** Resolves after `ms` on a timer: an answer arriving in a turn of its own, as PostgreSQL's do. */
const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('requestBatches (one request’s loaders dispatched together)', () => {
  it('puts the loads woken by answers arriving in different turns into one batch', async () => {
    const batches = requestBatches();
    const calls: string[][] = [];
    const slowA = batches.loader<string, string>((keys) =>
      later(
        5,
        keys.map((k) => `a${k}`),
      ),
    );
    const slowB = batches.loader<string, string>((keys) =>
      later(
        30,
        keys.map((k) => `b${k}`),
      ),
    );
    const next = batches.loader<string, string>(async (keys) => {
      calls.push([...keys]);
      return keys.map((k) => k.toUpperCase());
    });
    const [x, y] = await Promise.all([slowA.load('1').then((v) => next.load(v)), slowB.load('2').then((v) => next.load(v))]);
    expect([x, y]).toEqual(['A1', 'B2']);
    expect(calls).toEqual([['a1', 'b2']]);
  });

  it('still dispatches loads made in one turn at the end of that turn', async () => {
    const batches = requestBatches();
    const calls: string[][] = [];
    const loader = batches.loader<string, number>(async (keys) => {
      calls.push([...keys]);
      return keys.map((k) => k.length);
    });
    expect(await Promise.all([loader.load('a'), loader.load('bb')])).toEqual([1, 2]);
    expect(await loader.load('ccc')).toBe(3);
    expect(calls).toEqual([['a', 'bb'], ['ccc']]);
  });

  it('passes a failed batch on and keeps dispatching', async () => {
    const batches = requestBatches();
    const failing = batches.loader<string, string>(() => Promise.reject(new Error('lost connection')));
    const ok = batches.loader<string, string>(async (keys) => [...keys]);
    await expect(failing.load('x')).rejects.toThrow('lost connection');
    expect(await ok.load('y')).toBe('y');
  });
});
