// Plain-JSON shapes the service returns for a profile; shared by server pages, the API and
// client components.
import type { RenderedField } from '@/lib/directory/domain/profile-fields';
import type { Freshness, OrganizationInfo, PersonRow } from '@/lib/directory/domain/types';
import type { PresenceSummary } from '@/lib/presence/status';
import type { TeamSummary } from '@/lib/directory/domain/teams-types';
import type { ReportingLine } from '@/lib/directory/domain/org-chart-reporting-line';

/** People per list on a profile (reports, peers); the org chart has the rest. */
export const PROFILE_LIST_LIMIT = 100;
/** Steps of a profile's chain at most: the top, then the nearest; the org chart has the rest. */
export const PROFILE_CHAIN_LIMIT = 25;

export interface PersonLink {
  id: number;
  name: string;
  title: string | null;
  avatarUrl: string | null;
  /** Null for someone who has left, and when the organization shows no presence. */
  presence: PresenceSummary | null;
  /** Deactivated in Zulip: shown "(left)", with no profile to link to. */
  left: boolean;
}

/** The first PROFILE_LIST_LIMIT of a list, by name, and how many it has. */
export interface PeopleList {
  items: PersonLink[];
  total: number;
}

export interface ProfileField {
  id: number;
  name: string;
  rendered: RenderedField;
  /** Zulip says its owner may not edit it (`editable_by_user` false, FL 296, docs/zulip.md §f). */
  setByOrganization: boolean;
}

export interface Profile {
  person: PersonRow;
  /**
   * Where they sit, as the org chart draws it (docs/architecture.md §14). A chain longer than
   * PROFILE_CHAIN_LIMIT keeps its top and its nearest steps; `skipped` are left out between.
   */
  line: Pick<ReportingLine, 'chain' | 'managers' | 'loops'> & { skipped: number };
  /** People under them in the chart. */
  reports: PeopleList;
  /** People under someone else in the chart who list them as a further manager. */
  alsoReports: PeopleList;
  /** The others under their first manager. */
  peers: PeopleList;
  /** The teams (Zulip user groups) the person is on, directly or through a subgroup, by name. */
  teams: TeamSummary[];
  fields: ProfileField[];
  /** Their working hours are the organization's usual ones (DIRECTORY_WORKING_HOURS): they wrote none. */
  usualHours: boolean;
  /** Into the Zulip web app; `open` is null before Zulip 9.0 (docs/zulip.md §i). */
  links: { message: string; open: string | null };
  org: OrganizationInfo;
  /** Says, among the rest, whether the organization shows presence at all. */
  freshness: Freshness;
  presenceVersion: number;
}

/** GET /api/people/avatars: the URLs of the pictures asked for, by user id (only people the viewer may see who have one). */
export interface AvatarUrls {
  avatars: Record<string, string>;
}
