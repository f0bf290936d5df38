'use client';

/** Last resort: something unexpected broke while rendering. Never shows internals. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">The directory hit a problem</h1>
      <p className="mt-2 text-ink-muted">This page could not be shown. It may be a passing problem with Zulip.</p>
      <button type="button" onClick={reset} className="mt-6 rounded-md bg-accent px-4 py-2 font-medium text-accent-ink">
        Try again
      </button>
    </main>
  );
}
