// Signing in before the directory has heard from Zulip (its first register failed, or a follower
// is still catching up): the people store is empty, so no one could be found a member. The answer
// is "try again shortly", and the attempt is neither made nor counted against the member.
import { describe, expect, it } from 'vitest';
import { signIn, type SignInDirectory } from '@/lib/access/sign-in';
import { signInFormSchema } from '@/lib/access/sign-in-input';
import { MemorySignInAttempts, signInKeys } from '@/lib/access/sign-in-limiter';

describe('signing in before the directory has loaded', () => {
  it('answers 503 "unavailable" and counts no attempt', async () => {
    // One attempt per email: had the refusals been counted, the next would be refused.
    const attempts = new MemorySignInAttempts({ limits: { email: { max: 1, windowMs: 60_000 } } });
    const directory: SignInDirectory = {
      config: { mode: 'zulip', sessionSecret: 's'.repeat(32), sessionSeconds: 3600 },
      attempts,
      // Never asked: nothing may be tried before the directory has loaded.
      site: 'http://127.0.0.1:9',
      timeoutMs: 100,
      people: { get: () => undefined, resolveMember: () => undefined },
      loaded: false,
      now: () => Date.UTC(2026, 11, 7, 12),
    };
    const form = signInFormSchema.parse({ email: 'ana@example.com', secret: 'the right password' });
    for (let i = 0; i < 3; i++) expect(await signIn(form, '192.0.2.1', directory)).toMatchObject({ ok: false, status: 503, error: 'unavailable' });
    expect((await attempts.reserve(signInKeys(form.email, '192.0.2.1'))).allowed).toBe(true);
  });
});
