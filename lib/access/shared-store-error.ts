import 'server-only';

// What the access parts throw when the shared store (Redis, docs/architecture.md §10) cannot
// answer: the sign-in limits cannot be checked, or a sign-out could not be shared with the other
// instances. Sign-in answers it with a 503 (lib/access/sign-in.ts), sign-out says it honestly
// (app/api/auth/sign-out/route.ts).

/**
 * Marks these errors. Next bundles server code into several chunks, each with its own copy of
 * this class, while the app holding the limiter and the revocations is one (lib/server/app-handle.ts): an error made in one
 * chunk fails `instanceof` in another, so the check goes by this process-wide brand.
 */
const BRAND = Symbol.for('zulip-directory.SharedStoreUnavailable');

export class SharedStoreUnavailable extends Error {
  override readonly name = 'SharedStoreUnavailable';
  readonly [BRAND] = true;

  constructor(what: string, cause: unknown) {
    super(`${what}: the shared store (Redis) cannot be reached (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
}

export const isSharedStoreUnavailable = (error: unknown): error is SharedStoreUnavailable =>
  typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
