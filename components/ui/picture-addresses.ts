'use client';

import { fetchAvatarUrls } from '@/lib/directory/client/queries';
import { AVATARS_PER_REQUEST, avatarVersion, readAvatarLink } from '@/lib/directory/domain/avatar-link';

// Where the pictures the people index names by the app's link (lib/directory/domain/avatar-link.ts)
// really are. Every picture a list shows once it stands still is asked for in one request
// (/api/people/avatars), not one redirect each: each request costs the server a few ms of the CPU
// the browser shares on a small machine (bench/README.md §5), and the image then loads with no
// hop in between. Kept for the tab's life: a new picture is a new link (its version).

/** What a link stands for: the picture's URL, or null when there is none the viewer may see. */
const found = new Map<string, string | null>();
/** Links asked for by some avatar, not yet answered, and who waits for each. */
const waiting = new Map<string, Set<() => void>>();
const asked = new Set<string>();
let askScheduled = false;

/**
 * Avatars that settle together (a list standing still) register within a few ms of each other,
 * from their own timers and effects: they are asked for together.
 */
const GATHER_MS = 20;

/**
 * The address to load for `url`: itself when it is not the app's link (an address the server's
 * page gave), what the link stands for once known (null: show the initials), undefined while not.
 */
export function knownPictureAddress(url: string): string | null | undefined {
  return readAvatarLink(url) === null ? url : found.get(url);
}

/** Calls `then` once `link`'s address is known (knownPictureAddress); the returned function stops waiting. */
export function whenPictureAddressKnown(link: string, then: () => void): () => void {
  // Known already, or not the app's link (the address is the link itself): nothing to wait for.
  if (knownPictureAddress(link) !== undefined) return () => {};
  const waiters = waiting.get(link) ?? new Set();
  waiting.set(link, waiters);
  waiters.add(then);
  if (!askScheduled) {
    askScheduled = true;
    setTimeout(askForWaiting, GATHER_MS);
  }
  return () => waiters.delete(then);
}

function askForWaiting(): void {
  askScheduled = false;
  const linksByPerson = new Map<number, string[]>();
  for (const [link, waiters] of waiting) {
    // No one waits any more (the row showed someone else first): not asked for.
    if (waiters.size === 0) {
      waiting.delete(link);
      continue;
    }
    if (asked.has(link) || found.has(link)) continue;
    asked.add(link);
    const { id } = readAvatarLink(link)!;
    linksByPerson.set(id, [...(linksByPerson.get(id) ?? []), link]);
  }
  const people = [...linksByPerson];
  for (let start = 0; start < people.length; start += AVATARS_PER_REQUEST) void askFor(people.slice(start, start + AVATARS_PER_REQUEST));
}

async function askFor(people: Array<[id: number, links: string[]]>): Promise<void> {
  let urls: Record<string, string> | null = null;
  try {
    const { avatars } = await fetchAvatarUrls(people.map(([id]) => id));
    // An answer of another shape would leave the rows waiting for good: their redirects, then.
    if (typeof avatars === 'object' && avatars !== null) urls = avatars;
  } catch {
    // Offline, refused or cut: each link then loads by its own redirect, which says the same.
  }
  for (const [id, links] of people) {
    for (const link of links) {
      const url = urls === null ? link : urls[String(id)];
      // The instance that answered may not have the picture the index names yet (several
      // instances, one a moment behind): its answer for another version, or none, is not kept
      // for the tab's life; the link's own redirect, which checks the version, shows it.
      found.set(link, typeof url === 'string' && avatarVersion(url) === readAvatarLink(link)!.version ? url : link);
      asked.delete(link);
      const waiters = waiting.get(link);
      waiting.delete(link);
      waiters?.forEach((then) => then());
    }
  }
}
