// The directory's domain types. Plain JSON (numbers for times, no Date, no class instances)
// so server components, route handlers, the SSE stream and the query cache share them as-is.
import type { PresenceSummary } from '@/lib/presence/status';
import type { FieldRecord } from '@/lib/zulip/records';
import type { TeamSummary } from '@/lib/directory/domain/teams-types';
import type { Availability } from '@/lib/directory/domain/availability/answer';
import type { StatusMeaning } from '@/lib/directory/domain/availability/status-meaning';
import type { WorkingHours } from '@/lib/directory/domain/availability/working-time';

export interface PersonStatus {
  text: string | null;
  /** Unicode emoji as a string when Zulip gave a unicode_emoji code; else null with the name kept. */
  emoji: string | null;
  emojiName: string | null;
}

/** One custom profile field definition, as the directory needs it (name and hint made inert). */
export type FieldDefinition = FieldRecord;

export interface Person {
  id: number;
  name: string;
  /** Zulip's API email: the real address, or a dummy `user{id}@…` when it is hidden. */
  apiEmail: string;
  /** The real address when Zulip shows it to an ordinary member (lib/directory/domain/email-visibility.ts), else null. */
  email: string | null;
  avatarUrl: string | null;
  /** IANA zone, or "" when the person never set one. */
  timezone: string;
  /** ISO 8601, as Zulip sent it. */
  dateJoined: string;
  role: number;
  isGuest: boolean;
  pronouns: string | null;
  title: string | null;
  department: string | null;
  office: string | null;
  managerIds: number[];
  /** Raw custom profile values keyed by field id. */
  fields: Record<string, string>;
  status: PersonStatus | null;
  /** What the status says about reaching them (out, busy), read once here; the browser reuses it (docs/architecture.md §18). */
  statusMeaning: StatusMeaning | null;
  /** Their working hours (their field, else the organization's default), null when unknown. */
  workingHours: WorkingHours | null;
}

/** A directory row: the person plus their presence and availability at the time of the answer. */
export interface PersonRow extends Person {
  presence: PresenceSummary | null;
  availability: Availability;
}

export type PresenceFilter = 'any' | 'reachable' | 'active' | 'out';
export type SortOrder = 'reachable' | 'name' | 'joined';

export interface PeopleQuery {
  q: string;
  department: string | null;
  office: string | null;
  /** A team (Zulip user group) id; absent or null: everyone (docs/zulip.md §n). */
  team?: number | null;
  status: PresenceFilter;
  sort: SortOrder;
  offset: number;
  limit: number;
}

export interface PeoplePage {
  total: number;
  /** Among everyone the search and the department, office and team filters keep: how many are reachable now (docs/architecture.md §18). */
  reachable: number;
  /** Among the same: how many are out. */
  out: number;
  offset: number;
  limit: number;
  items: PersonRow[];
  facets: { departments: string[]; offices: string[]; teams: TeamSummary[] };
  freshness: Freshness;
  /** The presence version these rows reflect; the live stream continues from it. */
  presenceVersion: number;
  /** The search matched no one as typed: these are names one typo away (lib/directory/search/search.ts). */
  approximate?: boolean;
}

// The presence diff types live with presence (lib/presence/diff-types.ts), which needs no directory.
import type { Freshness } from '@/lib/presence/diff-types';
export type { Freshness, PresenceChange, PresenceDiff } from '@/lib/presence/diff-types';

export interface OrganizationInfo {
  name: string;
  realmUrl: string;
  zulipVersion: string;
  featureLevel: number;
  demo: boolean;
}
