import { highlightRanges } from '@/lib/directory/search/fold';

/**
 * Text with the parts that match the search wrapped in <mark>. In the dark theme a match is in
 * the main text colour: muted text on the dark yellow falls below 4.5:1.
 */
export function Highlight({ text, query }: { text: string; query: string }) {
  if (!query.trim()) return <>{text}</>;
  const ranges = highlightRanges(text, query);
  if (ranges.length === 0) return <>{text}</>;
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark key={start} className="rounded-sm bg-yellow-200 text-inherit dark:bg-yellow-700/60 dark:text-ink">
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
