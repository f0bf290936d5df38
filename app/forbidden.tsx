import { theApp } from '@/lib/server/app-handle';

/** 403: signed in but not an active member, or no access mode chosen yet. */
export default function Forbidden() {
  const config = theApp().settings.access.config;
  const notConfigured = config.mode === 'unconfigured' || config.mode === 'invalid';
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">{notConfigured ? 'The directory isn’t open yet' : 'You can’t see this directory'}</h1>
      <p className="mt-2 text-ink-muted">
        {config.mode === 'invalid'
          ? `Its access settings are incomplete: ${config.message}.`
          : notConfigured
            ? 'It is connected to a Zulip organization, but its administrator has not chosen who may see it (DIRECTORY_ACCESS: open, proxy or zulip).'
            : 'Your account is not an active member of this Zulip organization.'}
      </p>
      {config.mode === 'zulip' && (
        <form method="post" action="/api/auth/sign-out" className="mt-6">
          <button type="submit" className="rounded-md border border-line px-4 py-2">
            Sign in with another account
          </button>
        </form>
      )}
    </main>
  );
}
