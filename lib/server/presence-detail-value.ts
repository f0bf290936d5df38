import 'server-only';
import type { UserPresenceDetail } from '@/lib/zulip/records';
import { readPresenceDetail } from '@/lib/server/cluster/redis-records';
import { inertText } from '@/lib/directory/domain/safe-text';

/** What the per-person detail cache holds. Plain JSON (no Map, Date or undefined): with REDIS_URL instances share it as JSON. */
export type LoadedDetail = { kind: 'data'; detail: UserPresenceDetail } | { kind: 'none'; reason: string };

/** A cached value read back from Redis: checked as strictly as Zulip's answer (docs/architecture.md §10). */
export function readLoadedDetail(value: unknown): LoadedDetail | null {
  const v = value as Partial<Record<string, unknown>> | null;
  if (v?.kind === 'none' && typeof v.reason === 'string' && v.reason.length <= 500) return { kind: 'none', reason: inertText(v.reason) };
  const detail = v?.kind === 'data' ? readPresenceDetail(v.detail) : null;
  return detail && { kind: 'data', detail };
}
