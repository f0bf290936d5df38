import 'server-only';
import type { DirectoryRuntime } from '@/lib/server/runtime';
import type { DirectoryApp } from '@/lib/server/app';
import { buildOrgChart, type OrgChart } from '@/lib/directory/domain/org-chart';
import { reportingLine, shortChain } from '@/lib/directory/domain/org-chart-reporting-line';
import { ORG_PAGE_SIZE, type OrgChartPage, type OrgLevel, type OrgNode, type OrgPath, type OrgView } from '@/lib/directory/domain/org-chart-types';
import { PROFILE_CHAIN_LIMIT, PROFILE_LIST_LIMIT, type PeopleList, type PersonLink, type Profile } from '@/lib/directory/domain/service-types';
import { shownPresence } from '@/lib/server/shown-presence';

// The org chart's read functions, for the /org page and GET /api/org (which return the same
// JSON), and the reporting line every profile shows, read from the same index. The tree index is built at most once per people-store version (not again for a status
// set, which changes no reporting line: PeopleStore.structureVersion) and shared by every viewer;
// each answer is one page of one level, so neither the server's answer nor the page ever holds
// the whole tree.

/** The first view opens the top people's reports until about this many rows are showing. */
const FIRST_VIEW_ROWS = 200;

const built = new WeakMap<DirectoryRuntime, { version: number; chart: OrgChart }>();

export function orgChartOf(runtime: DirectoryRuntime): OrgChart {
  const store = runtime.view.people;
  const cached = built.get(runtime);
  if (cached?.version === store.structureVersion) return cached.chart;
  const chart = buildOrgChart(store.list(), (id) => store.former(id));
  built.set(runtime, { version: store.structureVersion, chart });
  return chart;
}

/** One page of the top level (`parent` null) or of someone's reports; null when they are not in the chart. */
export async function getOrgLevel(app: DirectoryApp, parent: number | null, offset: number): Promise<OrgLevel | null> {
  const runtime = await app.directory();
  const chart = orgChartOf(runtime);
  if (parent !== null && !chart.has(parent)) return null;
  return level(runtime, chart, parent, offset);
}

/** The way down to someone: null when they are not in the chart. */
export async function getOrgPath(app: DirectoryApp, id: number): Promise<OrgPath | null> {
  const runtime = await app.directory();
  const chart = orgChartOf(runtime);
  const path = chart.path(id);
  if (!path) return null;
  return { path, levels: pathLevels(runtime, chart, path) };
}

/** What /org renders: the first view, or the way down to `focus` (the first view, said so, when unknown). */
export async function getOrgChartPage(app: DirectoryApp, focus: number | null): Promise<OrgChartPage> {
  const runtime = await app.directory();
  const chart = orgChartOf(runtime);
  const path = focus === null ? null : chart.path(focus);
  const revision = runtime.view.peopleRevision();
  const view: OrgView = path
    ? { levels: pathLevels(runtime, chart, path), open: path.slice(0, -1), focus: { id: focus!, found: true }, revision }
    : { ...firstView(runtime, chart), focus: focus === null ? null : { id: focus, found: false }, revision };
  const roles = runtime.view.people.fieldRoles();
  const managerField = roles.manager === null ? null : (runtime.view.people.fieldDefinitions().find((f) => f.id === roles.manager)?.name ?? null);
  return {
    ...view,
    org: runtime.view.org,
    freshness: runtime.freshness(),
    presenceVersion: runtime.view.log.current,
    managerField,
    people: chart.size,
  };
}

/** The top level, with the first level under the top people open. */
function firstView(runtime: DirectoryRuntime, chart: OrgChart): Pick<OrgView, 'levels' | 'open'> {
  const top = level(runtime, chart, null, 0);
  const levels = [top];
  const open: number[] = [];
  let rows = top.items.length;
  for (const node of top.items) {
    if (node.reports === 0 || (open.length > 0 && rows + node.reports > FIRST_VIEW_ROWS)) continue;
    const under = level(runtime, chart, node.id, 0);
    levels.push(under);
    open.push(node.id);
    rows += under.items.length;
  }
  return { levels, open };
}

/** For each step of a path, the page of its level that holds it. */
function pathLevels(runtime: DirectoryRuntime, chart: OrgChart, path: number[]): OrgLevel[] {
  return path.map((id, i) => {
    const at = chart.indexOf(id);
    return level(runtime, chart, i === 0 ? null : path[i - 1]!, Math.floor(Math.max(0, at) / ORG_PAGE_SIZE) * ORG_PAGE_SIZE);
  });
}

function level(runtime: DirectoryRuntime, chart: OrgChart, parent: number | null, offset: number): OrgLevel {
  const entries = chart.children(parent);
  return {
    parent,
    offset,
    total: entries.length,
    items: entries.slice(offset, offset + ORG_PAGE_SIZE).map((entry) => node(runtime, chart, entry.id, entry.repeat)),
  };
}

/**
 * A profile's reporting line (the chain, managers, reports and peers), as the chart draws it;
 * null for someone the chart does not have.
 */
export function profileReportingLine(runtime: DirectoryRuntime, id: number): Pick<Profile, 'line' | 'reports' | 'alsoReports' | 'peers'> | null {
  const chart = orgChartOf(runtime);
  const line = reportingLine(chart, id);
  if (!line) return null;
  const list = (ids: readonly number[]): PeopleList => ({ items: ids.slice(0, PROFILE_LIST_LIMIT).map((other) => personLink(runtime, chart, other)), total: ids.length });
  return {
    line: { ...shortChain(line.chain, PROFILE_CHAIN_LIMIT), managers: line.managers, loops: line.loops },
    reports: list(line.reports),
    alsoReports: list(line.alsoReports),
    peers: list(line.peers),
  };
}

/** Someone the chart knows, with what the directory shows of them: nothing more than their name once they have left. */
function personLink(runtime: DirectoryRuntime, chart: OrgChart, id: number): PersonLink {
  const known = chart.person(id)!;
  const person = known.left ? undefined : runtime.view.people.get(id);
  return {
    id,
    name: known.name,
    title: person?.title ?? null,
    avatarUrl: person?.avatarUrl ?? null,
    presence: person ? shownPresence(runtime.view, id) : null,
    left: known.left,
  };
}

function node(runtime: DirectoryRuntime, chart: OrgChart, id: number, repeat: boolean): OrgNode {
  return {
    ...personLink(runtime, chart, id),
    // A repeat only points higher up: what is under that person is shown there.
    reports: repeat ? 0 : chart.children(id).length,
    below: repeat ? 0 : chart.descendants(id),
    repeat,
    alsoReportsTo: repeat ? [] : chart.alsoReportsTo(id).map((other) => chart.person(other)!),
  };
}
