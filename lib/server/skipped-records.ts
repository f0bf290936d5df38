import 'server-only';
import type { RecordIssue, RecordKind } from '@/lib/zulip/record-issues';
import type { Logger } from '@/lib/server/log';

/** At most this many skipped-record lines a minute; the rest are counted in one line. */
const LINES_PER_MINUTE = 20;
/**
 * Distinct oddities remembered (so each is logged and counted once). Past this, new ones are
 * neither: counting what cannot be remembered would count the same records again at every
 * refresh. The count then says "at least" (once, in the log).
 */
const MAX_REMEMBERED = 10_000;

/**
 * The records Zulip sent that the app had to skip or partly drop: each distinct one (kind, id,
 * reason) is logged once and counted for /api/health; a refresh that meets it again is silent.
 */
export class SkippedRecords {
  private seen = new Set<string>();
  private full = false;
  private distinct: Partial<Record<RecordKind, number>> = {};
  private window = { start: 0, lines: 0, suppressed: 0 };

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  report(issue: RecordIssue): void {
    const key = `${issue.kind}\u0000${issue.id}\u0000${issue.reason}`;
    if (this.seen.has(key)) return;
    if (this.seen.size >= MAX_REMEMBERED) {
      if (!this.full) this.log.warn({ event: 'records_skipped_uncounted' }, `More than ${MAX_REMEMBERED.toLocaleString('en-US')} distinct records skipped: the counts stop here`);
      this.full = true;
      return;
    }
    this.seen.add(key);
    this.distinct[issue.kind] = (this.distinct[issue.kind] ?? 0) + 1;
    this.rollWindow();
    if (this.window.lines < LINES_PER_MINUTE) {
      this.window.lines++;
      // An id may be an API email (legacy presence is keyed by it): the log names its domain only.
      const id = issue.id.replace(/[^\s@/]+@/g, '…@');
      this.log.warn({ event: 'record_skipped', ...issue, id }, `skipped a ${issue.kind.replace('_', ' ')} from ${issue.endpoint}: ${issue.reason}`);
    } else {
      this.window.suppressed++;
    }
  }

  /** Distinct skipped records by kind, since the app started. */
  counts(): Partial<Record<RecordKind, number>> {
    return { ...this.distinct };
  }

  private rollWindow(): void {
    const now = this.now();
    if (now - this.window.start < 60_000) return;
    if (this.window.suppressed > 0) {
      this.log.warn({ event: 'records_skipped_unlogged', count: this.window.suppressed }, `${this.window.suppressed} more skipped records were not logged`);
    }
    this.window = { start: now, lines: 0, suppressed: 0 };
  }
}
