import type { Viewer } from '@/lib/access/viewer';

/** Who is signed in, and (for a directory session) the way out. Nothing in the open mode. */
export function AccountMenu({ viewer }: { viewer: Viewer | null }) {
  if (!viewer) return null;
  return (
    <div className="flex items-center gap-2 text-sm text-ink-muted">
      <span dir="auto">Signed in as {viewer.name}</span>
      {viewer.via === 'session' && (
        <form method="post" action="/api/auth/sign-out">
          <button type="submit" className="rounded border border-line px-2 py-0.5 hover:bg-surface-sunken">
            Sign out
          </button>
        </form>
      )}
    </div>
  );
}
