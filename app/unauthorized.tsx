import { AppLink } from '@/components/ui/app-link';
import { theApp } from '@/lib/server/app-handle';

/** 401: nobody is signed in (proxy.ts normally answers first; this is the pages' own check). */
export default function Unauthorized() {
  const zulip = theApp().settings.access.config.mode === 'zulip';
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">Sign in to see the directory</h1>
      <p className="mt-2 text-ink-muted">
        {zulip ? 'Sign in with your Zulip account.' : 'Sign in through your organization’s sign-in page, then come back.'}
      </p>
      {zulip && (
        <p className="mt-6">
          <AppLink href="/sign-in" className="rounded-md bg-accent px-4 py-2 font-medium text-accent-ink">
            Sign in
          </AppLink>
        </p>
      )}
    </main>
  );
}
