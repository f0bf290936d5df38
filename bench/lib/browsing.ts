// The "same browsing" of the upstream-cost benchmarks (bench:upstream, bench:cluster): a fixed
// script per viewer of the directory, searches, paging, a department, profiles and breakdowns.
import { Limiter } from './http';
import { sleep } from './proc';

export type Action =
  | { at: number; kind: 'page'; path: string }
  | { at: number; kind: 'api'; path: string }
  | { at: number; kind: 'profile'; person: number }
  | { at: number; kind: 'breakdown'; person: number };

/** One viewer's browsing over a phase: 24 actions, 7 profiles and 7 breakdowns of 8 people, some twice. */
export function browsing(people: number[], departments: string[], phaseS: number): Action[] {
  const [p1, p2, p3, p4, p5, p6, p7, p8] = people as [number, number, number, number, number, number, number, number];
  const script: Action[] = [
    { at: 0, kind: 'page', path: '/' },
    { at: 4, kind: 'api', path: '/api/people?q=a' },
    { at: 5, kind: 'api', path: '/api/people?q=an' },
    { at: 6, kind: 'api', path: '/api/people?q=ana' },
    { at: 9, kind: 'breakdown', person: p1 },
    { at: 14, kind: 'profile', person: p2 },
    { at: 22, kind: 'page', path: '/?offset=50' },
    { at: 27, kind: 'breakdown', person: p3 },
    { at: 33, kind: 'api', path: `/api/people?department=${encodeURIComponent(departments[0] ?? '')}` },
    { at: 38, kind: 'profile', person: p4 },
    { at: 46, kind: 'page', path: '/?sort=name' },
    { at: 52, kind: 'breakdown', person: p5 },
    { at: 58, kind: 'profile', person: p1 },
    { at: 66, kind: 'api', path: '/api/people?q=eng' },
    { at: 72, kind: 'profile', person: p6 },
    { at: 80, kind: 'page', path: '/?status=reachable' },
    { at: 86, kind: 'breakdown', person: p7 },
    { at: 95, kind: 'profile', person: p2 },
    { at: 104, kind: 'api', path: '/api/people?q=mar' },
    { at: 110, kind: 'breakdown', person: p8 },
    { at: 118, kind: 'page', path: '/' },
    { at: 126, kind: 'profile', person: p3 },
    { at: 134, kind: 'breakdown', person: p4 },
    { at: 140, kind: 'profile', person: p5 },
  ];
  // The quick run compresses the same script into its shorter phase.
  const scale = Math.min(1, (phaseS - 5) / 145);
  return script.map((a) => ({ ...a, at: a.at * scale }));
}

/**
 * Runs the browsing script as `viewers` viewers (each action jittered 0–`jitterS` s when there
 * are several) until the phase ends. `base()` picks the app for each request: one URL, or the
 * next instance behind a round-robin balancer.
 */
export async function browse(base: () => string, script: Action[], viewers: number, startedAt: number, random: () => number, jitterS = 2): Promise<{ errors: number; requests: number }> {
  const limiter = new Limiter(64);
  let errors = 0;
  let requests = 0;
  const get = async (path: string) => {
    requests++;
    try {
      const response = await limiter.run(() => fetch(`${base()}${path}`));
      await response.arrayBuffer();
      if (!response.ok) errors++;
    } catch {
      errors++;
    }
  };
  const tasks: Promise<void>[] = [];
  for (let v = 0; v < viewers; v++) {
    for (const action of script) {
      const at = startedAt + (action.at + (viewers > 1 ? random() * jitterS : 0)) * 1000;
      tasks.push(
        (async () => {
          await sleep(Math.max(0, at - Date.now()));
          if (action.kind === 'page' || action.kind === 'api') await get(action.path);
          else if (action.kind === 'breakdown') await get(`/api/people/${action.person}/presence`);
          else {
            // A profile page, then the breakdown its panel loads.
            await get(`/people/${action.person}`);
            await get(`/api/people/${action.person}/presence`);
          }
        })(),
      );
    }
  }
  await Promise.all(tasks);
  return { errors, requests };
}
