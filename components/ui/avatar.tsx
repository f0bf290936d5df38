'use client';

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { PresenceDot } from '@/components/presence/presence-dot';
import { knownPictureAddress, whenPictureAddressKnown } from '@/components/ui/picture-addresses';
import type { PresenceState } from '@/lib/presence/status';

/** Initials from a name in any script: first letters of the first and last words. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = [...(words[0] ?? '?')][0] ?? '?';
  const last = words.length > 1 ? ([...(words[words.length - 1] ?? '')][0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** How long a new picture waits for the list to stand still (typing changes rows every keystroke). */
const NEW_PICTURE_DELAY_MS = 300;

/**
 * When a picture of a list last changed (performance.now()): any row, not only this one. Module
 * state, as the list is one screen: rows that keep their person while the viewer types on would
 * otherwise fetch their pictures in the middle of the typing.
 */
let listMovedAt = 0;

/**
 * The picture to show now. With `whenStill`, an avatar that changes to another picture (a list
 * row showing someone else: typed, re-sorted, paged) shows the empty circle a loading picture
 * shows, and shows the picture once no row's picture has changed for NEW_PICTURE_DELAY_MS: the
 * people who flash past while a name is typed are never fetched, no picture is fetched while the
 * viewer types on (each fetch takes CPU the next keystroke needs), and a keystroke's frame has no
 * image in it to load, decode and paint, even one the browser holds, nor one the row showed
 * before the last change (bench/README.md §5). A first render shows its picture at once.
 */
function useSettledPicture(url: string | null, whenStill: boolean): { url: string | null; pending: boolean } {
  // The picture the row has stood still on. A change forgets it (in this render, before anything
  // is committed), so a change back to it waits again too.
  const [settled, setSettled] = useState(url);
  if (whenStill && settled !== null && url !== settled) setSettled(null);
  const pending = whenStill && url !== null && url !== settled;
  useEffect(() => {
    if (whenStill) listMovedAt = performance.now();
  }, [url, whenStill]);
  useEffect(() => {
    if (!pending) return;
    let timer: ReturnType<typeof setTimeout>;
    const showOnceStill = () => {
      const stillFor = performance.now() - listMovedAt;
      if (stillFor >= NEW_PICTURE_DELAY_MS) setSettled(url);
      else timer = setTimeout(showOnceStill, NEW_PICTURE_DELAY_MS - stillFor);
    };
    timer = setTimeout(showOnceStill, NEW_PICTURE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [pending, url]);
  return { url: pending ? null : url, pending };
}

/**
 * The address to load for a picture: the app's link for it (a row answered from the people
 * index) is looked up with the rest of the list's (components/ui/picture-addresses.ts); pending
 * until then. Null: no picture to show.
 */
function usePictureAddress(url: string | null): { address: string | null; pending: boolean } {
  // Subscribing asks for the address. An answer that comes between the render and the
  // subscription (another row asked for the same link) is read again once subscribed.
  const subscribe = useCallback((onAnswer: () => void) => (url === null ? () => {} : whenPictureAddressKnown(url, onAnswer)), [url]);
  const read = () => (url === null ? null : knownPictureAddress(url));
  const known = useSyncExternalStore(subscribe, read, read);
  return known === undefined ? { address: null, pending: true } : { address: known, pending: false };
}

/**
 * A person's picture, or their initials on a colour derived from their id when there is no
 * picture or it fails to load. Fixed size, so nothing shifts when images arrive.
 */
export function Avatar({
  name,
  url,
  userId,
  size = 40,
  presence,
  whenStill = false,
}: {
  name: string;
  url: string | null;
  userId: number;
  size?: number;
  presence?: PresenceState | null;
  /** A list row that shows whoever the search finds: a new picture waits for the row to stand still. */
  whenStill?: boolean;
}) {
  const settled = useSettledPicture(url, whenStill);
  const source = usePictureAddress(settled.url);
  const picture = { url: source.address, pending: settled.pending || source.pending };
  // Which picture failed, not whether: a list row is reused for another person (and picture).
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const failed = picture.url !== null && failedUrl === picture.url;
  const image = useRef<HTMLImageElement>(null);
  // An image that failed before React hydrated fired its error event to no one: check once.
  useEffect(() => {
    const img = image.current;
    if (!img?.complete || picture.url === null) return;
    if (img.naturalWidth === 0) setFailedUrl(picture.url);
  }, [picture.url]);
  const hue = (userId * 137) % 360;
  return (
    <span className="relative inline-block shrink-0" style={{ width: size, height: size }}>
      {picture.pending ? (
        <span className="block h-full w-full rounded-full bg-surface-sunken" />
      ) : picture.url && !failed ? (
        // Avatars come from the Zulip server (any origin, or an unguessable upload path);
        // next/image would proxy them through this app for no gain.
        // eslint-disable-next-line @next/next/no-img-element
        <img
          // A new element per picture: a reused list row must not show the last person's face
          // while the next loads, nor hear the old picture's error.
          key={picture.url}
          ref={image}
          src={picture.url}
          alt=""
          width={size}
          height={size}
          loading="lazy"
          decoding="async"
          referrerPolicy="no-referrer"
          onError={() => setFailedUrl(picture.url)}
          className="h-full w-full rounded-full object-cover bg-surface-sunken"
        />
      ) : (
        <span
          aria-hidden="true"
          className="flex h-full w-full items-center justify-center rounded-full font-semibold text-white select-none"
          style={{ backgroundColor: `hsl(${hue} 40% 28%)`, fontSize: size * 0.38 }}
        >
          {initials(name)}
        </span>
      )}
      {presence && (
        <span className="absolute -right-0.5 -bottom-0.5 rounded-full bg-surface p-[2px]">
          <PresenceDot state={presence} size={Math.max(10, Math.round(size / 4))} />
        </span>
      )}
    </span>
  );
}
