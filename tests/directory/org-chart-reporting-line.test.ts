import { describe, expect, it } from 'vitest';
import { buildOrgChart, type OrgMember } from '@/lib/directory/domain/org-chart';
import { reportingLine, shortChain } from '@/lib/directory/domain/org-chart-reporting-line';

// A profile's reporting line (lib/directory/domain/org-chart-reporting-line.ts), read from the org
// chart's index: for each messy case of a real manager field it says what the chart draws.

const m = (id: number, managerIds: number[] = [], name = `Person ${String(id).padStart(3, '0')}`): OrgMember => ({ id, name, managerIds });
const here = (id: number, name = `Person ${String(id).padStart(3, '0')}`) => ({ id, name, left: false });

function lineOf(id: number, listed: OrgMember[], left: OrgMember[] = []) {
  const former = new Map(left.map((p) => [p.id, p]));
  return reportingLine(buildOrgChart(listed, (other) => former.get(other)), id);
}

describe('reportingLine', () => {
  const org = [m(1, [], 'Noah Bennett'), m(2, [1], 'Olga Morozova'), m(3, [2], 'Letícia Souza'), m(4, [2], 'Ben Adler'), m(5, [3]), m(6, [1])];

  it('the chain from the top down to the person, their manager, reports and peers by name', () => {
    expect(lineOf(3, org)).toEqual({
      chain: [here(1, 'Noah Bennett'), here(2, 'Olga Morozova'), here(3, 'Letícia Souza')],
      managers: [here(2, 'Olga Morozova')],
      loops: false,
      reports: [5],
      alsoReports: [],
      peers: [4],
    });
    // The top: no manager, no peers.
    expect(lineOf(1, org)).toMatchObject({ chain: [here(1, 'Noah Bennett')], managers: [], peers: [], reports: [2, 6] });
  });

  it('a manager who has left: in the chain and named as the manager, marked left; their reports are still peers', () => {
    const listed = org.filter((p) => p.id !== 2);
    const line = lineOf(3, listed, [m(2, [1], 'Olga Morozova')])!;
    expect(line.chain).toEqual([here(1, 'Noah Bennett'), { id: 2, name: 'Olga Morozova', left: true }, here(3, 'Letícia Souza')]);
    expect(line.managers).toEqual([{ id: 2, name: 'Olga Morozova', left: true }]);
    expect(line.peers).toEqual([4]);
    // And the one above them still has them as a report.
    expect(lineOf(1, listed, [m(2, [1], 'Olga Morozova')])!.reports).toEqual([2, 6]);
  });

  it('two managers: both named, the first one known is the chain and the peers; the second has them as "also reports"', () => {
    const listed = [...org.filter((p) => p.id !== 5), m(5, [404, 3, 6])];
    const line = lineOf(5, listed)!;
    expect(line.managers.map((p) => p.id)).toEqual([3, 6]);
    expect(line.chain.map((p) => p.id)).toEqual([1, 2, 3, 5]);
    expect(lineOf(3, listed)!.reports).toEqual([5]);
    expect(lineOf(6, listed)).toMatchObject({ reports: [], alsoReports: [5] });
  });

  it('a cycle: the member it is cut at heads the chain yet keeps their manager, and the loop is said', () => {
    // 7 → 8 → 9 → 7 (each reports to the next); 10 reports to 9.
    const listed = [m(7, [8]), m(8, [9]), m(9, [7]), m(10, [9])];
    const top = lineOf(7, listed)!;
    expect(top).toMatchObject({ chain: [here(7)], managers: [here(8)], loops: true, reports: [9] });
    const inside = lineOf(8, listed)!;
    expect(inside).toMatchObject({ chain: [here(7), here(9), here(8)], managers: [here(9)], loops: false, peers: [10] });
    // 7 is under 8 by the field (the chart's repeat row), so 8 has them as a report.
    expect(inside.reports).toEqual([7]);
  });

  it('someone who lists themselves: that entry is ignored', () => {
    expect(lineOf(2, [m(1), m(2, [2])])).toMatchObject({ chain: [here(2)], managers: [], loops: false, peers: [] });
    expect(lineOf(2, [m(1), m(2, [2, 1])])).toMatchObject({ chain: [here(1), here(2)], managers: [here(1)] });
  });

  it('someone the chart does not have: null (an unknown id, or someone who left with no one under them)', () => {
    expect(lineOf(999, org)).toBeNull();
    expect(lineOf(20, org, [m(20, [1])])).toBeNull();
  });
});

describe('shortChain', () => {
  it('keeps a chain up to the limit whole, and a longer one as its top and its nearest steps', () => {
    const chain = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(shortChain(chain.slice(0, 25), 25)).toEqual({ chain: chain.slice(0, 25), skipped: 0 });
    const short = shortChain(chain, 25);
    expect(short.chain).toEqual([1, ...chain.slice(6)]);
    expect(short.chain).toHaveLength(25);
    expect(short.skipped).toBe(5);
    expect(short.chain.length + short.skipped).toBe(30);
  });
});
