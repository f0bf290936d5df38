import 'server-only';
import { isZulipError } from '@/lib/zulip/errors';
import type { Freshness } from '@/lib/directory/types';

export type UpstreamState = 'starting' | 'ok' | 'unreachable' | 'unauthorized' | 'rate_limited' | 'error';

/** What the app knows about its link to Zulip: shown on every page and on /api/health. */
export class UpstreamHealth {
  state: UpstreamState = 'starting';
  lastSuccessAt: number | null = null;
  presenceUpdatedAt: number | null = null;
  lastError: { at: number; message: string } | null = null;

  succeeded(): void {
    this.state = 'ok';
    this.lastSuccessAt = Date.now();
    this.presenceUpdatedAt ??= this.lastSuccessAt;
  }

  presenceRefreshed(): void {
    this.succeeded();
    this.presenceUpdatedAt = Date.now();
  }

  failed(error: unknown): void {
    this.state = classify(error);
    // The message is built from ZulipError's fields only: never from a raw cause that might
    // echo request details.
    this.lastError = { at: Date.now(), message: describe(error) };
  }

  freshness(presenceDisabled: boolean): Freshness {
    const stale = this.state !== 'ok' && this.state !== 'starting';
    return {
      presenceUpdatedAt: this.presenceUpdatedAt,
      stale,
      problem: stale ? problemText(this.state) : null,
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
