// Zulip is parsed strictly at the envelope and leniently per record: one user, field value,
// presence entry or event that does not fit is repaired where its meaning is clear, otherwise
// skipped and reported here, and the rest of the organization loads (docs/zulip.md §l).

export type RecordKind = 'user' | 'field_value' | 'field' | 'status' | 'presence' | 'event' | 'user_group';

export interface RecordIssue {
  kind: RecordKind;
  /** The record's id as Zulip gave it (user id, field id, API email, event id), or "?" when it had none. */
  id: string;
  /** Why it was skipped; names expected types, never echoes the value. */
  reason: string;
  /** Where it came from, e.g. "POST /register". */
  endpoint: string;
}

export type IssueSink = (issue: RecordIssue) => void;

export const ignoreIssues: IssueSink = () => {};

/** Reads one JSON value as a record's parts, with the small checks every parser needs. */
export const read = {
  object(value: unknown): Record<string, unknown> | null {
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  },
  int(value: unknown): number | null {
    return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
  },
  /** A finite number (Zulip's timestamps are integers or floats). */
  number(value: unknown): number | null {
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  },
  string(value: unknown): string | null {
    return typeof value === 'string' ? value : null;
  },
  bool(value: unknown): boolean | null {
    return typeof value === 'boolean' ? value : null;
  },
  /** The id to report a record under: its own id when readable, else "?". */
  idOf(value: unknown, key: string): string {
    const v = read.object(value)?.[key];
    return typeof v === 'number' || (typeof v === 'string' && v.length <= 100) ? String(v) : '?';
  },
};
