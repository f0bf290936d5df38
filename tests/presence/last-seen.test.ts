import { describe, expect, it } from 'vitest';
import { calendarDaysBetween, presenceLabel, relativeTimeLabel } from '@/lib/presence/last-seen';
import { presenceHistoryDays, type PresenceSummary } from '@/lib/presence/status';

const at = (iso: string) => Date.parse(iso) / 1000;
const offline = (lastActiveAt: number | null): PresenceSummary => ({ state: 'offline', lastActiveAt });
const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;

describe('presenceLabel: states', () => {
  const now = at('2024-07-15T12:00:00Z');

  it('says "Active now" and "Idle" without any time', () => {
    expect(presenceLabel({ state: 'active', lastActiveAt: now - 5 }, now)).toBe('Active now');
    expect(presenceLabel({ state: 'idle', lastActiveAt: now - 3 * HOUR }, now)).toBe('Idle');
  });

  it('says how far back the data goes when there is none: a year from Zulip 10.0 (FL 288), two weeks before', () => {
    // Zulip's web/src/buddy_data.ts user_last_seen_time_status at 9.0 and at 10.0.
    expect(presenceLabel(null, now, 'UTC', 14)).toBe('Active more than 2 weeks ago');
    expect(presenceLabel(offline(null), now, 'UTC', 14)).toBe('Active more than 2 weeks ago');
    expect(presenceLabel(null, now, 'UTC', 365)).toBe('Not active in the last year');
    expect(presenceHistoryDays(287)).toBe(14);
    expect(presenceHistoryDays(288)).toBe(365);
  });

  it('says "Not active in the last year" with no data', () => {
    expect(presenceLabel(null, now)).toBe('Not active in the last year');
    expect(presenceLabel(offline(null), now)).toBe('Not active in the last year');
    expect(presenceLabel(offline(0), now)).toBe('Not active in the last year');
  });

  it('never says the bare word "Offline"', () => {
    for (const ago of [3 * MIN, 2 * HOUR, 3 * DAY, 200 * DAY]) {
      expect(presenceLabel(offline(now - ago), now, 'UTC')).not.toMatch(/offline/i);
    }
  });
});

describe('presenceLabel: minutes and hours', () => {
  const now = at('2024-07-15T12:00:00Z');
  const label = (ago: number) => presenceLabel(offline(now - ago), now, 'UTC');

  it('minutes, with no singular form, truncated', () => {
    expect(label(14 * MIN)).toBe('Active 14 minutes ago');
    expect(label(14 * MIN + 59)).toBe('Active 14 minutes ago');
    expect(label(1 * MIN)).toBe('Active 1 minutes ago');
    expect(label(59 * MIN + 59)).toBe('Active 59 minutes ago');
  });

  it('under a minute is "0 minutes", as in Zulip; the future clamps to 0', () => {
    expect(label(30)).toBe('Active 0 minutes ago');
    expect(label(-120)).toBe('Active 0 minutes ago');
  });

  it('"an hour ago" for 60–119 minutes, then hours', () => {
    expect(label(60 * MIN)).toBe('Active an hour ago');
    expect(label(119 * MIN)).toBe('Active an hour ago');
    expect(label(120 * MIN)).toBe('Active 2 hours ago');
    expect(label(5 * HOUR)).toBe('Active 5 hours ago');
    expect(label(23 * HOUR + 59 * MIN)).toBe('Active 23 hours ago');
  });
});

describe('presenceLabel: days', () => {
  it('"yesterday" once 24 h have passed and the calendar day is yesterday', () => {
    const now = at('2024-07-15T00:30:00Z');
    expect(presenceLabel(offline(at('2024-07-14T00:20:00Z')), now, 'UTC')).toBe('Active yesterday');
    // 24 h 40 min ago crosses two midnights: the day before yesterday.
    expect(presenceLabel(offline(at('2024-07-13T23:50:00Z')), now, 'UTC')).toBe('Active 2 days ago');
    // Under 24 h stays in hours even across midnight.
    expect(presenceLabel(offline(at('2024-07-14T01:30:00Z')), now, 'UTC')).toBe('Active 23 hours ago');
  });

  it('counts calendar days in the viewer’s zone', () => {
    const now = at('2024-07-15T03:00:00Z'); // 23:00 on Jul 14 in New York
    const last = at('2024-07-13T05:00:00Z'); // 01:00 on Jul 13 in New York
    expect(presenceLabel(offline(last), now, 'UTC')).toBe('Active 2 days ago');
    expect(presenceLabel(offline(last), now, 'America/New_York')).toBe('Active yesterday');
  });

  it('"N days ago" below 90 days', () => {
    const now = at('2024-07-15T12:00:00Z');
    expect(presenceLabel(offline(now - 12 * DAY), now, 'UTC')).toBe('Active 12 days ago');
    expect(presenceLabel(offline(now - 89 * DAY), now, 'UTC')).toBe('Active 89 days ago');
  });

  it('day 90 exactly shows the date with its year; 91 days in the same year without', () => {
    const now = at('2024-07-15T12:00:00Z');
    expect(presenceLabel(offline(now - 90 * DAY), now, 'UTC')).toBe('Active Apr 16, 2024');
    expect(presenceLabel(offline(now - 91 * DAY), now, 'UTC')).toBe('Active Apr 15');
    expect(presenceLabel(offline(at('2024-01-02T12:00:00Z')), now, 'UTC')).toBe('Active Jan 2');
    // 365 days in a leap year are still this year: no year, as in Zulip (the year alone decides).
    expect(presenceLabel(offline(at('2024-01-01T12:00:00Z')), at('2024-12-31T12:00:00Z'), 'UTC')).toBe('Active Jan 1');
  });

  it('another year always shows the year', () => {
    const now = at('2024-02-01T12:00:00Z');
    expect(presenceLabel(offline(at('2023-09-01T12:00:00Z')), now, 'UTC')).toBe('Active Sep 1, 2023');
    expect(presenceLabel(offline(at('2016-07-27T12:00:00Z')), now, 'UTC')).toBe('Active Jul 27, 2016');
  });

  it('formats the date in the viewer’s zone', () => {
    const now = at('2024-07-15T12:00:00Z');
    const last = at('2024-03-01T02:00:00Z'); // still Feb 29 in New York
    expect(presenceLabel(offline(last), now, 'UTC')).toBe('Active Mar 1');
    expect(presenceLabel(offline(last), now, 'America/New_York')).toBe('Active Feb 29');
  });

  it('an unknown zone falls back instead of throwing', () => {
    const now = at('2024-07-15T12:00:00Z');
    expect(presenceLabel(offline(now - 12 * DAY), now, 'Not/AZone')).toBe('Active 12 days ago');
  });
});

describe('relativeTimeLabel (breakdown "last reported")', () => {
  const now = at('2024-07-15T12:00:00Z');
  it('follows Zulip’s relative_time_string_from_date', () => {
    expect(relativeTimeLabel(now - 2 * MIN - 59, now, 'UTC')).toBe('Just now');
    expect(relativeTimeLabel(now - 3 * MIN, now, 'UTC')).toBe('3 minutes ago');
    expect(relativeTimeLabel(now - 70 * MIN, now, 'UTC')).toBe('An hour ago');
    expect(relativeTimeLabel(now - 5 * HOUR, now, 'UTC')).toBe('5 hours ago');
    expect(relativeTimeLabel(now - 30 * HOUR, now, 'UTC')).toBe('Yesterday');
    expect(relativeTimeLabel(now - 12 * DAY, now, 'UTC')).toBe('12 days ago');
    expect(relativeTimeLabel(at('2016-07-27T12:00:00Z'), now, 'UTC')).toBe('Jul 27, 2016');
  });
});

describe('calendarDaysBetween', () => {
  it('counts midnights in the given zone', () => {
    const later = Date.parse('2024-07-15T00:10:00Z');
    const earlier = Date.parse('2024-07-14T23:50:00Z');
    expect(calendarDaysBetween(later, earlier, 'UTC')).toBe(1);
    expect(calendarDaysBetween(later, earlier, 'America/New_York')).toBe(0);
  });
});
