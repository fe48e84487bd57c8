import { describe, expect, it, vi } from 'vitest';
import { createReadiness } from '../../entrypoints/background/readiness';
import { deferred } from './collectors-fakes';

describe('the readiness gate', () => {
  it('holds every event until ready, then drops the ignorable ones without a promise', async () => {
    const loading = deferred();
    const r = createReadiness(loading.promise);
    const seen: string[] = [];
    r.gate(
      () => true,
      () => seen.push('before'),
    );
    await Promise.resolve();
    expect(seen).toEqual([]);
    loading.resolve();
    await r.ready;
    expect(r.isReady()).toBe(true);
    expect(seen).toEqual(['before']); // ignorable or not, an early event is not lost
    const then = vi.spyOn(r.ready, 'then');
    r.gate(
      () => true,
      () => seen.push('ignored'),
    );
    expect(then).not.toHaveBeenCalled();
    r.gate(
      () => false,
      () => seen.push('kept'),
    );
    await r.ready;
    expect(seen).toEqual(['before', 'kept']);
  });

  it('judges an event only once the work held before it has run (Firefox runs listeners back to back)', async () => {
    const r = createReadiness(Promise.resolve());
    await r.ready;
    let audited = false;
    const seen: string[] = [];
    r.gate(
      () => false,
      () => (audited = true), // the navigation that starts an audit
    );
    r.gate(
      () => !audited, // its headers, in the same task: not yet known to be audited
      () => seen.push(audited ? 'headers' : 'lost'),
    );
    await r.ready;
    await Promise.resolve();
    expect(seen).toEqual(['headers']);
    // Once nothing is held, an ignorable event is dropped again at once.
    audited = false;
    const then = vi.spyOn(r.ready, 'then');
    r.gate(
      () => true,
      () => seen.push('ignored'),
    );
    expect(then).not.toHaveBeenCalled();
  });

  it('reports a failed start and still runs the held events, never dropping them', async () => {
    const onError = vi.fn();
    const r = createReadiness(Promise.reject(new Error('quota')), onError);
    const seen: number[] = [];
    r.gate(
      () => true,
      () => seen.push(1),
    );
    await r.ready;
    expect(onError).toHaveBeenCalledWith(new Error('quota'));
    expect(r.isReady()).toBe(false);
    r.gate(
      () => true,
      () => seen.push(2),
    );
    await r.ready;
    expect(seen).toEqual([1, 2]);
  });
});
