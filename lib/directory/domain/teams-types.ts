// The directory's teams, as pages, the API and client components share them (plain JSON). A
// team is a Zulip user group that is neither a system group nor deactivated (docs/zulip.md §n).

/** A team as a chip or a filter option shows it. */
export interface TeamSummary {
  id: number;
  name: string;
}

/** A team as its own page shows it. */
export interface TeamInfo extends TeamSummary {
  /** Zulip's plain-text description ("" when none). */
  description: string;
}
