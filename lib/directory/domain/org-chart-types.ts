// Plain-JSON shapes of the org chart as the server serves it (the page, GET /api/org) and the
// browser holds it (the query cache). Only what is open travels: one level of one parent at a
// time, a page of ORG_PAGE_SIZE at most, so the page never holds the whole tree.
import type { Freshness, OrganizationInfo } from '@/lib/directory/domain/types';
import type { PresenceSummary } from '@/lib/presence/status';

/** People per level answer; a manager with more reports is paged ("Show more"). */
export const ORG_PAGE_SIZE = 100;

/** Someone a row names beside its own person ("also reports to …"). */
export interface OrgPersonRef {
  id: number;
  name: string;
  /** Deactivated in Zulip: shown "(left)", with no profile to link to. */
  left: boolean;
}

/** One row of the tree. */
export interface OrgNode {
  id: number;
  name: string;
  title: string | null;
  avatarUrl: string | null;
  /** Null for someone who has left, and when the organization shows no presence. */
  presence: PresenceSummary | null;
  /** Rows directly under this one (its reports as placed in the tree). */
  reports: number;
  /** Everyone below, all levels (headcount; repeats not counted). */
  below: number;
  left: boolean;
  /** This person closes a reporting cycle: they are drawn higher up, and this row only points there. */
  repeat: boolean;
  /** Their other managers, when the field lists several (they sit under the first). */
  alsoReportsTo: OrgPersonRef[];
}

/** One page of one level: the top of the tree (`parent` null) or one person's reports. */
export interface OrgLevel {
  parent: number | null;
  offset: number;
  total: number;
  items: OrgNode[];
}

/** The levels a view opens: the top, then each open person's reports. */
export interface OrgView {
  levels: OrgLevel[];
  /** People shown open, top first. */
  open: number[];
  /** The person `?focus=` asked for, and whether the chart has them. */
  focus: { id: number; found: boolean } | null;
  /**
   * The people's revision it was drawn at (DirectoryData.peopleRevision): the tab keeps the levels
   * it loads per revision, so a later render's levels are drawn as the server sent them, not from
   * what an earlier visit cached (someone added under a manager since).
   */
  revision: number;
}

/** GET /api/org?focus={id}: the way down to someone, each level the page that holds the next step. */
export interface OrgPath {
  /** Top first, the person last. */
  path: number[];
  levels: OrgLevel[];
}

/** Everything /org renders with. */
export interface OrgChartPage extends OrgView {
  org: OrganizationInfo;
  /** Says, among the rest, whether the organization shows presence at all. */
  freshness: Freshness;
  presenceVersion: number;
  /** The Zulip profile field the chart is drawn from, or null when the organization has none. */
  managerField: string | null;
  /** People in the chart (everyone listed, and those who left but still have reports). */
  people: number;
}
