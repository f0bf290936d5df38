// The two presence showcase people every generated organization has (org/showcase.ts,
// docs/zulip-versions.md §1): before Zulip 7.0 their slim presence entries have only one key
// (Zulip 6.1 zerver/lib/presence.py get_modern_user_presence_info).
import { describe, expect, it } from 'vitest';
import { generateOrganization } from '@/lib/demo-zulip/generate';
import { clientsReporting, initialPresence } from '@/lib/demo-zulip/simulation';

const WEDNESDAY_1030_UTC = Date.UTC(2026, 10, 25, 10, 30) / 1000;

describe('presence showcase people', () => {
  it.each([
    [1, 40],
    [7, 250],
    [21, 60],
    [31, 30],
  ])('exist for seed %i with %i people, distinct, visible and at work', (seed, users) => {
    const org = generateOrganization({ seed, users });
    const { idleOnly, activeOnly } = org.presenceShowcase;
    expect(idleOnly).not.toBeNull();
    expect(activeOnly).not.toBeNull();
    expect(idleOnly).not.toBe(activeOnly);
    const idle = org.users.find((u) => u.user_id === idleOnly)!;
    const active = org.users.find((u) => u.user_id === activeOnly)!;
    for (const u of [idle, active]) {
      expect(u).toMatchObject({ is_active: true, is_bot: false, presence_enabled: true });
      expect(u.user_id).not.toBe(org.ceoId);
    }
    expect(idle.work).toMatchObject({ clients: ['website'], focus: 0 });
    expect(active.work?.clients).toEqual(['ZulipMobile']);
    // Deterministic: the same seed gives the same people.
    expect(generateOrganization({ seed, users }).presenceShowcase).toEqual(org.presenceShowcase);
  });

  it('report only idle, and only active, and have history for the two-week window', () => {
    const org = generateOrganization({ seed: 1, users: 40 });
    const idle = org.users.find((u) => u.user_id === org.presenceShowcase.idleOnly)!;
    const active = org.users.find((u) => u.user_id === org.presenceShowcase.activeOnly)!;
    for (let minute = 0; minute < 14 * 24 * 60; minute += 7) {
      const t = WEDNESDAY_1030_UTC - minute * 60;
      for (const r of clientsReporting(idle, t)) expect(r).toEqual({ client: 'website', status: 'idle' });
      for (const r of clientsReporting(active, t)) expect(r).toEqual({ client: 'ZulipMobile', status: 'active' });
    }
    const idleRows = initialPresence(idle, WEDNESDAY_1030_UTC);
    expect(Object.keys(idleRows)).toEqual(['website']);
    expect(idleRows.website!.last_active_time).toBeNull();
    const activeRows = initialPresence(active, WEDNESDAY_1030_UTC);
    expect(Object.keys(activeRows)).toEqual(['ZulipMobile']);
    expect(activeRows.ZulipMobile!.last_active_time).toBe(activeRows.ZulipMobile!.last_connected_time);
    expect(WEDNESDAY_1030_UTC - activeRows.ZulipMobile!.last_connected_time).toBeLessThan(14 * 86_400);
  });
});
