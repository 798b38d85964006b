import { describe, expect, it } from 'vitest';
import { requestBatches } from '../../lib/requestBatches';
import { required, requiredNow } from '../../lib/loaders';

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

  it('answers a settled loader’s keys at once once their batch has answered, and only then', async () => {
    const batches = requestBatches();
    const calls: string[][] = [];
    const courts = batches.settledLoader<string, string | null>(async (keys) => {
      calls.push([...keys]);
      return keys.map((k) => (k === 'gone' ? null : `court ${k}`));
    });
    const pending = courts.loadMany(['a', 'gone']);
    expect(courts.settled('a')).toBeUndefined();
    await pending;
    expect(courts.settled('a')).toBe('court a');
    expect(courts.settled('gone')).toBeNull();
    expect(courts.settled('never loaded')).toBeUndefined();
    expect(await courts.load('a')).toBe('court a');
    expect(calls).toEqual([['a', 'gone']]);
  });

  it('leaves a key unsettled when its batch failed or answered it with an error, so loading it fails as before', async () => {
    const batches = requestBatches();
    const failing = batches.settledLoader<string, string>(() => Promise.reject(new Error('lost connection')));
    await expect(failing.load('x')).rejects.toThrow('lost connection');
    expect(failing.settled('x')).toBeUndefined();
    const partly = batches.settledLoader<string, string>(async (keys) => keys.map((k) => (k === 'bad' ? new Error('bad key') : k)));
    await partly.loadMany(['ok', 'bad']);
    expect(partly.settled('ok')).toBe('ok');
    expect(partly.settled('bad')).toBeUndefined();
    await expect(partly.load('bad')).rejects.toThrow('bad key');
  });
});

describe('requiredNow (a referenced record without a promise once its batch has answered)', () => {
  it('gives the record itself when settled, NOT_FOUND at once for a missing one, and a promise before', async () => {
    const batches = requestBatches();
    const courts = batches.settledLoader<string, string | null>(async (keys) => keys.map((k) => (k === 'gone' ? null : `court ${k}`)));
    const early = requiredNow(courts, 'a', 'court');
    expect(early).toBeInstanceOf(Promise);
    expect(await early).toBe('court a');
    expect(requiredNow(courts, 'a', 'court')).toBe('court a');
    await courts.load('gone');
    let thrown: unknown;
    try {
      requiredNow(courts, 'gone', 'court');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'NOT_FOUND', message: 'no court gone' });
    await expect(required(courts, 'gone', 'court')).rejects.toMatchObject({ message: (thrown as Error).message });
  });
});
