import { AppLink } from '@/components/ui/app-link';

/** A real "not found" page that still helps: say what happened, offer a search. */
export function NotFoundView({ title, message }: { title: string; message: string }) {
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-2 text-ink-muted">{message}</p>
      <form action="/" method="get" className="mt-6 flex gap-2" role="search">
        <label htmlFor="notfound-search" className="sr-only">
          Search people
        </label>
        <input id="notfound-search" name="q" type="search" placeholder="Search the directory" className="flex-1 rounded-md border border-line bg-surface-raised px-3 py-2" />
        <button type="submit" className="rounded-md bg-accent px-4 py-2 font-medium text-accent-ink">
          Search
        </button>
      </form>
      <p className="mt-4">
        <AppLink href="/" className="text-accent underline">
          Back to the directory
        </AppLink>
      </p>
    </main>
  );
}
