import 'server-only';

// The public surface of lib/zulip. Everything that holds or uses credentials is server-only.

export { loadZulipConfig, normalizeSite, type LoadedZulipConfig, type ZulipConfig } from './config';
export { ZulipConfigError, ZulipError, isZulipError, type ZulipErrorKind } from './errors';
export {
  createZulipClient,
  DEFAULT_LONGPOLL_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  type CallOptions,
  type GetEventsParams,
  type RealmPresenceResponse,
  type RegisterParams,
  type UserPresenceResponse,
  type UserQuery,
  type ZulipClient,
  type ZulipClientOptions,
} from './client';
export { runEventQueue, type RunEventQueueOptions } from './event-queue';
export { createZulipSignIn, type ZulipAccount, type ZulipSignIn } from './sign-in';
export { RateBudget, defaultRateBudget, type RateBudgetSnapshot, type RequestPriority } from './rate-budget';
export { InvalidPathValueError } from './path';
export { splitUserPresence, type UserPresenceParts } from './presence-shapes';
export type * from './schemas';
export type * from './event-schemas';
