/** How long someone is "New" after joining Zulip (docs/architecture.md §18). */
export const NEW_JOINER_DAYS = 30;

/** Joined Zulip within the last NEW_JOINER_DAYS of `nowMs`; false for a date that cannot be read. */
export function isNewJoiner(dateJoined: string, nowMs: number): boolean {
  const joined = Date.parse(dateJoined);
  return Number.isFinite(joined) && joined <= nowMs && nowMs - joined < NEW_JOINER_DAYS * 86_400_000;
}
