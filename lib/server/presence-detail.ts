import 'server-only';
import { getDirectory, type DirectoryRuntime } from '@/lib/server/runtime';
import { CoalescingCache } from '@/lib/server/detail-cache';
import { processGlobal } from '@/lib/process-global';
import { buildBreakdown } from '@/lib/presence/breakdown';
import type { PresenceDetail } from '@/lib/presence/detail-types';
import { isZulipError } from '@/lib/zulip/errors';
import type { UserPresenceDetail } from '@/lib/zulip/records';

export type { PresenceDetail };

type Loaded = { kind: 'data'; detail: UserPresenceDetail } | { kind: 'none'; reason: string };

function cache(ttlSeconds: number): CoalescingCache<number, Loaded> {
  return processGlobal('presence-detail-cache', () => new CoalescingCache<number, Loaded>(ttlSeconds * 1000));
}

/**
 * One person's presence breakdown, from Zulip's per-person endpoint. Cached for a few seconds
 * and coalesced, so a crowd opening the same profile costs one upstream call; Zulip's answer
 * also refreshes that person's badge in the shared snapshot.
 */
export async function getPresenceDetail(ref: string): Promise<PresenceDetail | null> {
  const runtime = await getDirectory();
  const person = runtime.people.resolve(ref);
  if (!person) return null;
  if (runtime.presenceDisabled) {
    return { personId: person.id, available: false, reason: 'This organization has turned presence off.', fetchedAt: Date.now(), stale: false };
  }
  const cached = await cache(runtime.settings.PRESENCE_DETAIL_CACHE_SECONDS).get(person.id, () => load(runtime, person.id));
  const base = { personId: person.id, fetchedAt: cached.fetchedAt, stale: cached.stale };
  if (cached.value.kind === 'none') return { ...base, available: false, reason: cached.value.reason };
  const breakdown = buildBreakdown(cached.value.detail, {
    featureLevel: runtime.org.featureLevel,
    zulipVersion: runtime.org.zulipVersion,
    thresholds: runtime.thresholdSeconds,
    nowSec: runtime.zulipNow(),
    dateJoined: person.dateJoined,
  });
  return { ...base, available: true, breakdown };
}

async function load(runtime: DirectoryRuntime, userId: number): Promise<Loaded> {
  try {
    const detail = await runtime.client.getUserPresence(userId, { priority: 'interactive' });
    runtime.absorbPresenceDetail(userId, detail);
    return { kind: 'data', detail };
  } catch (error) {
    // "No presence data for 12": the person never connected a client. An answer, not a failure.
    if (isZulipError(error) && error.status === 400 && /^No presence data/.test(error.zulipMessage ?? '')) {
      return { kind: 'none', reason: 'No device has ever reported presence for this person.' };
    }
    throw error;
  }
}
