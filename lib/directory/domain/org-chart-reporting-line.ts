// Someone's reporting line, read from the org chart's index (org-chart.ts) and nothing else, so a
// profile says what the chart draws: the chain up to the top, their managers, their reports and
// their peers, with the chart's rules for someone who left, several managers, someone listing
// themselves and cycles (docs/architecture.md §14). Pure; nothing here scans the organization.
import type { OrgChart } from '@/lib/directory/domain/org-chart';
import type { OrgPersonRef } from '@/lib/directory/domain/org-chart-types';

export interface ReportingLine {
  /** From the top of the chart down to them, the person last: where the chart draws them. */
  chain: OrgPersonRef[];
  /** Their managers the directory knows, in the field's order: the first is the one they sit under. */
  managers: OrgPersonRef[];
  /**
   * Their manager field loops back to them, so the chart cuts the loop here and draws them at
   * the top: they have a manager, yet the chain starts with them.
   */
  loops: boolean;
  /** People under them, by name: the chart's level under them (someone who left but has reports included, a cycle's repeat too). */
  reports: readonly number[];
  /** People placed under someone else who list them as a further manager, by name. */
  alsoReports: readonly number[];
  /** The others under their first manager, by name. */
  peers: readonly number[];
}

/** Their reporting line, or null when the chart does not have them (unknown, or not listed). */
export function reportingLine(chart: OrgChart, id: number): ReportingLine | null {
  const path = chart.path(id);
  if (!path) return null;
  const ref = (other: number): OrgPersonRef => chart.person(other)!;
  const managerIds = chart.managersOf(id);
  // A level's repeat row is someone a cycle is cut at: drawn higher up, but this is their manager.
  const under = (manager: number) => chart.children(manager).flatMap((entry) => (entry.id === id ? [] : [entry.id]));
  return {
    chain: path.map(ref),
    managers: managerIds.map(ref),
    loops: managerIds.length > 0 && chart.parentOf(id) === null,
    reports: under(id),
    alsoReports: chart.alsoManages(id),
    peers: managerIds.length > 0 ? under(managerIds[0]!) : [],
  };
}

/** At most `limit` steps of a chain: its top, then the nearest to the person; `skipped` between. */
export function shortChain<T>(chain: readonly T[], limit: number): { chain: T[]; skipped: number } {
  const skipped = Math.max(0, chain.length - Math.max(2, limit));
  return { chain: skipped ? [chain[0]!, ...chain.slice(skipped + 1)] : [...chain], skipped };
}
