/** Skeleton rows while the first page is rendered: never a spinner over a blank page. */
export default function Loading() {
  return (
    <main id="main" className="mx-auto max-w-5xl px-4 py-4" aria-busy="true" aria-label="Loading the directory">
      <div className="mb-3 h-12 animate-pulse rounded-lg bg-surface-sunken" />
      <ul className="rounded-lg border border-line">
        {Array.from({ length: 8 }, (_, i) => (
          <li key={i} className="flex items-center gap-3 border-b border-line px-3 py-3">
            <span className="h-10 w-10 animate-pulse rounded-full bg-surface-sunken" />
            <span className="h-4 flex-1 animate-pulse rounded bg-surface-sunken" />
            <span className="h-4 w-32 animate-pulse rounded bg-surface-sunken" />
          </li>
        ))}
      </ul>
    </main>
  );
}
