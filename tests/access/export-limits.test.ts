import { describe, expect, it } from 'vitest';
import { ExportSlots, loadExportSettings } from '@/lib/access/export-limits';

describe('export settings', () => {
  it('has defaults: 2 per viewer, 8 in all, 300 s a download', () => {
    expect(loadExportSettings({})).toEqual({ ok: true, settings: { perViewer: 2, total: 8, maxSeconds: 300 } });
    expect(loadExportSettings({ DIRECTORY_EXPORTS_PER_VIEWER: '1', DIRECTORY_EXPORTS_MAX: '3', DIRECTORY_EXPORT_MAX_SECONDS: '60' })).toEqual({
      ok: true,
      settings: { perViewer: 1, total: 3, maxSeconds: 60 },
    });
  });

  it('names a malformed value, never repeating it', () => {
    for (const [name, value] of [
      ['DIRECTORY_EXPORTS_PER_VIEWER', '0'],
      ['DIRECTORY_EXPORTS_MAX', 'many'],
      ['DIRECTORY_EXPORT_MAX_SECONDS', '86400'],
    ] as const) {
      const loaded = loadExportSettings({ [name]: value });
      expect(loaded.ok, `${name}=${value}`).toBe(false);
      if (!loaded.ok) expect(loaded.message).toMatch(new RegExp(`^${name} must be a whole number from \\d+ to \\d+$`));
    }
  });
});

describe('ExportSlots', () => {
  it('says which limit was reached in the exports’ own words', () => {
    const slots = new ExportSlots();
    const limits = { perViewer: 1, total: 2 };
    const mine = slots.acquire('a', limits);
    expect(slots.acquire('a', limits)).toEqual({ ok: false, code: 'too_many_exports' });
    expect(slots.acquire(null, limits).ok).toBe(true);
    expect(slots.acquire('b', limits)).toEqual({ ok: false, code: 'server_busy' });
    if (mine.ok) mine.release();
    expect(slots.acquire('b', limits).ok).toBe(true);
  });
});
