// When someone joined, as the directory keeps it: to the minute, in Zulip's own form from 10.0
// ("2019-03-11T09:41+00:00"). Earlier servers send seconds and microseconds
// ("2019-03-11T09:41:23.123456+00:00", docs/zulip.md §f); the directory shows and sorts by the
// day, so the minute is all it keeps, and the people index sends it as a number.

/** Zulip's minute form of an instant (ms, UTC). */
export function joinedText(ms: number): string {
  return `${new Date(Math.floor(ms / 60_000) * 60_000).toISOString().slice(0, 16)}+00:00`;
}

/** A date_joined to the minute, in Zulip's form; one that is not a date stays as it came. */
export function joinedToTheMinute(dateJoined: string): string {
  const ms = dateJoined === '' ? NaN : Date.parse(dateJoined);
  return Number.isFinite(ms) ? joinedText(ms) : dateJoined;
}
