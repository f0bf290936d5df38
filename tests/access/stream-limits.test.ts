import { describe, expect, it } from 'vitest';
import { loadStreamSettings, StreamSlots } from '@/lib/access/stream-limits';

describe('stream settings', () => {
  it('has defaults: 30 minutes, a 15 s heartbeat, 5 per viewer, 1000 in all', () => {
    expect(loadStreamSettings({})).toEqual({ ok: true, settings: { maxSeconds: 1800, heartbeatSeconds: 15, perViewer: 5, total: 1000 } });
    expect(
      loadStreamSettings({ DIRECTORY_STREAM_MAX_SECONDS: '600', DIRECTORY_STREAM_HEARTBEAT_SECONDS: '5', DIRECTORY_STREAMS_PER_VIEWER: '2', DIRECTORY_STREAMS_MAX: '50' }),
    ).toEqual({ ok: true, settings: { maxSeconds: 600, heartbeatSeconds: 5, perViewer: 2, total: 50 } });
  });

  it('names a malformed value', () => {
    for (const [name, value] of [
      ['DIRECTORY_STREAM_MAX_SECONDS', 'soon'],
      ['DIRECTORY_STREAM_MAX_SECONDS', '0'],
      ['DIRECTORY_STREAM_HEARTBEAT_SECONDS', '3600'],
      ['DIRECTORY_STREAMS_PER_VIEWER', '-1'],
      ['DIRECTORY_STREAMS_MAX', '1.5'],
    ] as const) {
      const loaded = loadStreamSettings({ [name]: value });
      expect(loaded.ok, `${name}=${value}`).toBe(false);
      if (!loaded.ok) expect(loaded.message).toMatch(new RegExp(`^${name} must be`));
    }
  });
});

describe('StreamSlots', () => {
  const limits = { perViewer: 2, total: 3 };

  it('counts per viewer and in all, and releases each slot once', () => {
    const slots = new StreamSlots();
    const a1 = slots.acquire('a', limits);
    const a2 = slots.acquire('a', limits);
    expect(a1.ok && a2.ok).toBe(true);
    expect(slots.acquire('a', limits)).toEqual({ ok: false, code: 'too_many_streams' });
    const b1 = slots.acquire('b', limits);
    expect(b1.ok).toBe(true);
    expect(slots.acquire('c', limits)).toEqual({ ok: false, code: 'server_busy' });
    // An anonymous stream (the open mode) counts only in the total.
    expect(slots.acquire(null, limits)).toEqual({ ok: false, code: 'server_busy' });
    if (!a1.ok) throw new Error('unreachable');
    a1.release();
    a1.release();
    expect(slots.size).toBe(2);
    expect(slots.acquire('a', limits).ok).toBe(true);
    expect(slots.size).toBe(3);
  });
});
