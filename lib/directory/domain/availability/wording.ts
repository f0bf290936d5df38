// The words of an availability answer, shared by rows, profiles and the team page
// (docs/architecture.md §18). Times of day are the caller's: they depend on the viewer's
// locale and zone, known only in the browser.

/** "Mon 14 Dec" for a YYYY-MM-DD date (a calendar date: no zone is involved). */
export function returnDateLabel(until: string): string {
  const date = new Date(`${until}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return until;
  return date.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).replace(',', '');
}

/** "9 h 50 min", "45 min", "2 h". */
export function durationLabel(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}

/** The part of a name a sentence uses: the first word ("Ana" for "Ana Souza"). */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}
