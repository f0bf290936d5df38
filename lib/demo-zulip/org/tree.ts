// The reporting structure: one tree under the CEO. Department heads report to the CEO; each
// department is split recursively into teams of realistic size (a manager has 3–10 direct
// reports), so a 50,000-person company gets directors and senior directors and a 12-person
// one is a CEO with a few heads. Offices cluster by team: most people sit where their manager does.

import { DEPARTMENTS, managerTitle, type Department } from './departments';
import { OFFICES } from './offices';
import type { Rng } from './random';

export type Level = 'ceo' | 'head' | 'manager' | 'ic';

export interface Position {
  /** Index into DEPARTMENT_OPTIONS (DEPARTMENTS, then Executive). */
  department: number;
  title: string;
  level: Level;
  /** Index of the manager's Position; null only for the CEO. */
  manager: number | null;
  /** Index into OFFICES. */
  office: number;
  /** People in this person's reporting line (0 for individual contributors). */
  reportsBelow: number;
}

const OFFICE_WEIGHTS = OFFICES.map((o) => o.weight);
const EXECUTIVE_INDEX = DEPARTMENTS.length;

/** Splits `total` over weights so that the parts sum exactly to it (largest remainder). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] as number) + 1;
  }
  return parts;
}

/** Department sizes for `people` non-CEO employees: small companies have fewer departments. */
function departmentSizes(people: number): number[] {
  const weights = DEPARTMENTS.map((d) => d.weight);
  if (people >= DEPARTMENTS.length * 2) return apportion(people, weights);
  // Too few people for every department: staff the biggest ones first, one head each, the rest
  // spread in proportion.
  const byWeight = DEPARTMENTS.map((_, i) => i).sort((a, b) => (weights[b] as number) - (weights[a] as number));
  const sizes = DEPARTMENTS.map(() => 0);
  const staffed = byWeight.slice(0, Math.min(people, Math.ceil(people / 2)));
  const extra = apportion(people - staffed.length, staffed.map((i) => weights[i] as number));
  staffed.forEach((d, k) => {
    sizes[d] = 1 + (extra[k] as number);
  });
  return sizes;
}

export function buildPositions(rng: Rng, people: number): Position[] {
  const positions: Position[] = [];
  const officeNear = (managerOffice: number, stickiness: number) =>
    rng.chance(stickiness) ? managerOffice : rng.weightedIndex(OFFICE_WEIGHTS);

  positions.push({
    department: EXECUTIVE_INDEX,
    title: 'Chief Executive Officer',
    level: 'ceo',
    manager: null,
    office: 0, // headquarters
    reportsBelow: people - 1,
  });

  const icTitles = DEPARTMENTS.map((d) => ({ titles: d.ics.map((x) => x[0]), weights: d.ics.map((x) => x[1]) }));

  // Fills in the people under `manager` (an index into positions), `count` of them.
  const staffUnder = (manager: number, count: number, deptIndex: number, dept: Department) => {
    const mgrOffice = (positions[manager] as Position).office;
    const addIc = () => {
      const ic = icTitles[deptIndex] as { titles: string[]; weights: number[] };
      positions.push({
        department: deptIndex,
        title: ic.titles[rng.weightedIndex(ic.weights)] as string,
        level: 'ic',
        manager,
        office: officeNear(mgrOffice, 0.65),
        reportsBelow: 0,
      });
    };
    // Teams of individual contributors are 3–10 people. Bigger groups get sub-managers: one per
    // team of about eight when that is few enough to manage directly, otherwise 3–8 managers of
    // managers. A few senior ICs report to the manager directly.
    if (count <= rng.int(8, 10)) {
      for (let i = 0; i < count; i++) addIc();
      return;
    }
    const teams = Math.ceil(count / 8);
    let subs = teams <= 8 ? teams : Math.max(3, Math.min(8, Math.ceil(teams / 6)));
    let direct = rng.int(0, 2);
    if (count - direct < 4 * subs) direct = 0; // every sub-manager needs at least three people
    subs = Math.min(subs, Math.floor((count - direct) / 4));
    const pool = count - direct - subs;
    const shares = apportion(pool - 3 * subs, Array.from({ length: subs }, () => rng.range(0.5, 1.5)));
    for (let i = 0; i < direct; i++) addIc();
    for (let s = 0; s < subs; s++) {
      const below = 3 + (shares[s] as number);
      const index = positions.length;
      positions.push({
        department: deptIndex,
        title: managerTitle(dept, below),
        level: 'manager',
        manager,
        office: officeNear(mgrOffice, 0.5),
        reportsBelow: below,
      });
      staffUnder(index, below, deptIndex, dept);
    }
  };

  const sizes = departmentSizes(people - 1);
  DEPARTMENTS.forEach((dept, d) => {
    const size = sizes[d] as number;
    if (size === 0) return;
    const head = positions.length;
    positions.push({
      department: d,
      title: dept.head,
      level: 'head',
      manager: 0,
      office: rng.weightedIndex(OFFICE_WEIGHTS),
      reportsBelow: size - 1,
    });
    staffUnder(head, size - 1, d, dept);
  });
  return positions;
}
