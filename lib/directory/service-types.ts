// Plain-JSON shapes the service returns for a profile; shared by server pages, the API and
// client components.
import type { RenderedField } from '@/lib/directory/profile-fields';
import type { Freshness, OrganizationInfo, PersonRow } from '@/lib/directory/types';
import type { PresenceSummary } from '@/lib/presence/status';
import type { TeamSummary } from '@/lib/directory/teams-types';

export interface PersonLink {
  id: number;
  name: string;
  title: string | null;
  avatarUrl: string | null;
  presence: PresenceSummary | null;
}

export interface ProfileField {
  id: number;
  name: string;
  rendered: RenderedField;
}

export interface Profile {
  person: PersonRow;
  /** The reporting line, nearest manager first. */
  managers: PersonLink[];
  reports: PersonLink[];
  /** The teams (Zulip user groups) the person is on, directly or through a subgroup, by name. */
  teams: TeamSummary[];
  /** Others with the same (first) manager, by name. */
  peers: PersonLink[];
  fields: ProfileField[];
  links: { message: string; open: string };
  org: OrganizationInfo;
  presenceDisabled: boolean;
  freshness: Freshness;
  presenceVersion: number;
}
