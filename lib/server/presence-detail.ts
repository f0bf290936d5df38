import 'server-only';
import type { DirectoryRuntime } from '@/lib/server/runtime';
import type { DirectoryApp } from '@/lib/server/app';
import type { CachedValue } from '@/lib/server/detail-cache';
import type { LoadedDetail } from '@/lib/server/presence-detail-value';
import { agedDetail, buildBreakdown } from '@/lib/presence/breakdown';
import type { PresenceDetail, PresenceDetailSource } from '@/lib/presence/detail-types';
import { breakdownFromSnapshot, snapshotHoldsPerPersonAnswer } from '@/lib/presence/snapshot-breakdown';
import { isZulipError } from '@/lib/zulip/errors';

export type { PresenceDetail };

/**
 * One person's presence breakdown, from Zulip's per-person endpoint. Cached for a few seconds
 * and coalesced, so a crowd opening the same profile costs one upstream call; Zulip's answer
 * also refreshes that person's badge in the shared snapshot. When the request budget refuses the
 * call and that answer would add nothing to the snapshot (Zulip 7.0 up to 12.0-dev FL 486), the
 * snapshot answers instead of "try again" (docs/architecture.md §3).
 */
export async function getPresenceDetail(app: DirectoryApp, ref: string): Promise<PresenceDetail | null> {
  const runtime = await app.directory();
  const person = runtime.view.people.resolve(ref);
  if (!person) return null;
  if (runtime.view.presenceDisabled) {
    return { personId: person.id, available: false, reason: 'This organization has turned presence off.', ...fromSnapshot(app, runtime) };
  }
  let cached: CachedValue<LoadedDetail>;
  const fromZulip = () => load(runtime, person.id);
  // From Zulip 7.0 up to 12.0-dev FL 486 the snapshot holds what the per-person answer would say.
  const snapshotAnswers = snapshotHoldsPerPersonAnswer(runtime.view.org.featureLevel);
  const fromTheSnapshot = (): PresenceDetail => ({
    personId: person.id,
    available: true,
    breakdown: breakdownFromSnapshot(runtime.view.presence.get(person.id), runtime.view.org.zulipVersion),
    ...fromSnapshot(app, runtime),
  });
  try {
    cached = await app.detailCache.get(person.id, fromZulip);
    // The snapshot has heard of activity this answer lacks (they came online since it was
    // cached): asked again, unless the answer was given after that activity.
    const newer = cached.stale ? null : activitySince(runtime, person.id, cached.value);
    if (newer !== null) {
      // How long ago that was, on Zulip's clock; its times are whole seconds, so activity in second T may have come up to T + 1.
      const sinceMs = (runtime.zulipNow() - (newer + 1)) * 1000;
      cached = await app.detailCache.get(person.id, fromZulip, { maxAgeMs: Math.max(0, sinceMs) });
    }
  } catch (error) {
    // Refused by the budget (or a 429): no call was made, or none may be for a while. Nothing is
    // cached, so the next request asks Zulip again as soon as the budget allows.
    if (isZulipError(error) && error.kind === 'rate_limited' && snapshotAnswers) return fromTheSnapshot();
    throw error;
  }
  // An answer kept from before, given back because Zulip could not be asked again: where the
  // snapshot would say the same, the younger of the two answers.
  if (cached.stale && snapshotAnswers && (snapshotAgeMs(runtime, runtime.freshness().presenceUpdatedAt) ?? Infinity) < app.clock.now() - cached.fetchedAt) return fromTheSnapshot();
  const base = { personId: person.id, fetchedAt: cached.fetchedAt, stale: cached.stale, source: 'zulip' as const };
  if (cached.value.kind === 'none') return { ...base, available: false, reason: cached.value.reason };
  const ageSec = Math.max(0, (app.clock.now() - cached.fetchedAt) / 1000);
  const breakdown = buildBreakdown(agedDetail(cached.value.detail, ageSec), {
    featureLevel: runtime.view.org.featureLevel,
    zulipVersion: runtime.view.org.zulipVersion,
    thresholds: runtime.view.thresholdSeconds,
    nowSec: runtime.zulipNow(),
    dateJoined: person.dateJoined,
    // The badge, with this answer already folded in (load: absorbPresenceDetail).
    held: runtime.view.presence.get(person.id),
  });
  return { ...base, available: true, breakdown };
}

/**
 * The time (Zulip's clock, seconds) of activity the organization snapshot knows of and this
 * answer does not, or null. An answer given after that time had it to give: only one given
 * before is asked again, so a mismatch that stays costs no more calls.
 */
function activitySince(runtime: DirectoryRuntime, personId: number, value: LoadedDetail): number | null {
  const known = runtime.view.presence.get(personId)?.lastActiveAt;
  if (!known) return null;
  if (value.kind === 'none') return known;
  const { activeTimestamp, idleTimestamp } = value.detail.record;
  return known > Math.max(activeTimestamp, idleTimestamp) ? known : null;
}

/** How long ago, on Zulip's clock, the snapshot was last refreshed (`presenceUpdatedAt`, from its freshness); null before it ever was. */
function snapshotAgeMs(runtime: DirectoryRuntime, presenceUpdatedAt: number | null): number | null {
  return presenceUpdatedAt === null ? null : Math.max(0, runtime.zulipNow() * 1000 - presenceUpdatedAt);
}

/** An answer from what the directory holds: as old, and as stale, as its last presence refresh. */
function fromSnapshot(app: DirectoryApp, runtime: DirectoryRuntime): PresenceDetailSource & { fetchedAt: number; stale: boolean } {
  const { presenceUpdatedAt, stale } = runtime.freshness();
  const ageMs = snapshotAgeMs(runtime, presenceUpdatedAt);
  return {
    source: 'snapshot',
    snapshotAt: presenceUpdatedAt === null ? null : Math.floor(presenceUpdatedAt / 1000),
    snapshotAgeSeconds: ageMs === null ? null : Math.round(ageMs / 1000),
    fetchedAt: app.clock.now() - (ageMs ?? 0),
    stale,
  };
}

async function load(runtime: DirectoryRuntime, userId: number): Promise<LoadedDetail> {
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
