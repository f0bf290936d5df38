// The skipped-records report (lib/server/skipped-records.ts): each distinct oddity Zulip sent is
// counted and logged once; the log never names a person's address.
import { describe, expect, it } from 'vitest';
import { createLogger } from '@/lib/server/log';
import { SkippedRecords } from '@/lib/server/skipped-records';

function report() {
  const lines: Array<Record<string, unknown>> = [];
  const skipped = new SkippedRecords(createLogger({ write: (line: string) => void lines.push(JSON.parse(line)) }, 'info'), () => 0);
  return { skipped, lines };
}

describe('SkippedRecords', () => {
  it('logs a record keyed by an API email (legacy presence) by its domain only', () => {
    const { skipped, lines } = report();
    skipped.report({ kind: 'presence', id: 'alice.smith@example.com/ZulipMobile', reason: 'client record needs a status and a numeric timestamp', endpoint: 'GET /realm/presence' });
    expect(lines[0]).toMatchObject({ event: 'record_skipped', id: '…@example.com/ZulipMobile' });
    expect(JSON.stringify(lines)).not.toContain('alice');
  });

  it('counts the same records once however often they come, past what it can remember too', () => {
    const { skipped, lines } = report();
    const round = () => {
      for (let i = 0; i < 12_000; i++) skipped.report({ kind: 'presence', id: String(i), reason: 'odd', endpoint: 'GET /realm/presence' });
    };
    round();
    round();
    round();
    expect(skipped.counts()).toEqual({ presence: 10_000 });
    expect(lines.filter((line) => line.event === 'records_skipped_uncounted')).toHaveLength(1);
  });
});
