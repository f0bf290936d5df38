import 'server-only';
import { isZulipError } from '@/lib/zulip/errors';
import type { Freshness } from '@/lib/directory/domain/types';
import type { Logger } from '@/lib/server/log';
import { systemClock, type Clock } from '@/lib/clock';

export type UpstreamState = 'starting' | 'ok' | 'unreachable' | 'unauthorized' | 'rate_limited' | 'error';

/** The two ways the app hears from Zulip: the event queue (register + long-poll) and the presence poll. */
export type UpstreamChannel = 'events' | 'presence';

/** What another instance needs to say the same about Zulip (docs/architecture.md §10): plain JSON. */
export interface UpstreamStatus {
  state: UpstreamState;
  lastSuccessAt: number | null;
  presenceUpdatedAt: number | null;
  lastError: { at: number; message: string } | null;
}

// When both channels fail differently, say the most actionable thing.
const PRIORITY: UpstreamState[] = ['unauthorized', 'unreachable', 'rate_limited', 'error'];

/**
 * What the app knows about its link to Zulip: shown on every page and on /api/health. Each
 * channel's last outcome counts, so a working event queue cannot hide a failing presence poll
 * (or the other way round), and the state is "ok" again as soon as both have succeeded since.
 */
export class UpstreamHealth {
  lastSuccessAt: number | null = null;
  presenceUpdatedAt: number | null = null;
  lastError: { at: number; message: string } | null = null;
  private failing = new Map<UpstreamChannel, UpstreamState>();
  /** When each failing channel started failing, for the recovery line in the log. */
  private failingSince = new Map<UpstreamChannel, number>();
  private failureListeners = new Set<() => void>();

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  get state(): UpstreamState {
    for (const state of PRIORITY) if ([...this.failing.values()].includes(state)) return state;
    return this.lastSuccessAt === null ? 'starting' : 'ok';
  }

  succeeded(channel: UpstreamChannel = 'events'): void {
    const since = this.failingSince.get(channel);
    if (since !== undefined) {
      this.log.info({ event: 'upstream_recovered', channel, failingSeconds: Math.round((this.clock.now() - since) / 1000) }, `Zulip ${channel} recovered`);
      this.failingSince.delete(channel);
    }
    this.failing.delete(channel);
    this.lastSuccessAt = this.clock.now();
    this.presenceUpdatedAt ??= this.lastSuccessAt;
  }

  presenceRefreshed(): void {
    this.succeeded('presence');
    this.presenceUpdatedAt = this.clock.now();
  }

  failed(error: unknown, channel: UpstreamChannel = 'events'): void {
    this.failing.set(channel, classify(error));
    if (!this.failingSince.has(channel)) this.failingSince.set(channel, this.clock.now());
    this.log.warn({ event: 'upstream_failed', channel, ...failureFields(error) }, `Zulip ${channel}: ${describe(error)}`);
    // The message is built from ZulipError's fields only: never from a raw cause that might
    // echo request details.
    this.lastError = { at: this.clock.now(), message: describe(error) };
    for (const listener of this.failureListeners) listener();
  }

  status(): UpstreamStatus {
    return { state: this.state, lastSuccessAt: this.lastSuccessAt, presenceUpdatedAt: this.presenceUpdatedAt, lastError: this.lastError };
  }

  /**
   * Takes the state of the instance that talks to Zulip, on an instance that follows it. Nothing
   * is logged: the leader logged it. Failure listeners hear of a failure as they would of their own.
   */
  adopt(status: UpstreamStatus): void {
    const failing = PRIORITY.includes(status.state);
    this.failing = failing ? new Map([['events', status.state]]) : new Map();
    this.failingSince.clear();
    this.lastSuccessAt = status.lastSuccessAt;
    this.presenceUpdatedAt = status.presenceUpdatedAt;
    this.lastError = status.lastError;
    if (failing) for (const listener of this.failureListeners) listener();
  }

  /** Called on every failure (the runtime stops waiting for a first load that is not coming). */
  onFailure(listener: () => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** `zulipOffsetMs`: Zulip's clock minus ours; pages measure every age on Zulip's clock. */
  freshness(presenceDisabled: boolean, zulipOffsetMs = 0): Freshness {
    const state = this.state;
    const stale = state !== 'ok' && state !== 'starting';
    return {
      presenceUpdatedAt: this.presenceUpdatedAt === null ? null : Math.round(this.presenceUpdatedAt + zulipOffsetMs),
      stale,
      problem: stale ? problemText(state) : null,
      presenceDisabled,
    };
  }
}

function classify(error: unknown): UpstreamState {
  if (!isZulipError(error)) return 'error';
  if (error.kind === 'rate_limited') return 'rate_limited';
  if (error.kind === 'network' || error.kind === 'timeout') return 'unreachable';
  if (error.status === 401) return 'unauthorized';
  return 'error';
}

/** What the log says of a failure: only ZulipError's own fields, never a raw cause. */
function failureFields(error: unknown): Record<string, unknown> {
  if (!isZulipError(error)) return { kind: 'unexpected', error: error instanceof Error ? error.name : typeof error };
  return { endpoint: error.endpoint, kind: error.kind, status: error.status, code: error.code, retryAfterSeconds: error.retryAfterSeconds };
}

function describe(error: unknown): string {
  if (!isZulipError(error)) return 'Unexpected error';
  return `${error.endpoint}: ${error.kind}${error.status ? ` ${error.status}` : ''}${error.code ? ` ${error.code}` : ''}`;
}

function problemText(state: UpstreamState): string {
  switch (state) {
    case 'unreachable':
      return 'Zulip is unreachable';
    case 'unauthorized':
      return 'Zulip refused the directory’s credentials';
    case 'rate_limited':
      return 'Zulip is rate-limiting the directory';
    default:
      return 'Zulip returned an error';
  }
}
