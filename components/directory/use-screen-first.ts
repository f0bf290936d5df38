'use client';

import { startTransition, useEffect, useState, type RefObject } from 'react';

/** The shortest a row gets: its 40 px picture and padding (61 px with the Devices button). */
const ROW_MIN_PX = 56;

/**
 * From the list's top to the bottom of the window, at the shortest a row gets. Null with no list
 * (no one matched): the count measured when there was one still holds, and a page that opens on
 * no one renders its first results whole.
 */
function rowsOnScreen(list: HTMLElement | null): number | null {
  if (!list) return null;
  const top = Math.max(0, list.getBoundingClientRect().top);
  return Math.max(1, Math.ceil((window.innerHeight - top) / ROW_MIN_PX));
}

export interface ShownRow<T> {
  row: T;
  /** The search this row is the result of: its highlight. */
  q: string;
}

/**
 * The rows to render when a keystroke answered from the people index brings new results: those
 * that can be on the screen now, and below them the rows already there, until the frame that shows
 * the new ones is painted; then the rest, in a render the next keystroke may interrupt.
 *
 * Why: the browser paints a keystroke's frame once React has rendered every row in it, and a row
 * below the fold costs as much to render as one above (content-visibility spares only its layout
 * and paint). At 2,000 people in Chromium on two cores, 12 rows instead of 50 took key → painted
 * from 41–43 to 25 ms at p95 (bench/README.md §5). A row kept from the last results has the same
 * props, so React skips it; it is below the first screen and stands for one frame, and a screen
 * reader hears the count line, which is already new.
 *
 * `enabled` is off while the server answers: its results arrive whole, a frame apart from typing.
 */
export function useScreenFirst<T>(rows: T[], q: string, enabled: boolean, list: RefObject<HTMLElement | null>): ShownRow<T>[] {
  const [complete, setComplete] = useState<{ rows: T[]; q: string }>({ rows, q });
  // How many rows can be on the screen, measured once layout is clean: after mount, when the
  // window is resized (a taller one shows more rows), and after each frame of new rows is painted.
  const [firstScreen, setFirstScreen] = useState(Infinity);
  useEffect(() => {
    const measure = () => setFirstScreen((last) => rowsOnScreen(list.current) ?? last);
    const timer = setTimeout(measure);
    window.addEventListener('resize', measure);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('resize', measure);
    };
  }, [list]);
  const behind = complete.rows !== rows || complete.q !== q;

  useEffect(() => {
    if (!behind) return;
    // requestAnimationFrame runs just before the next frame is drawn; a task posted from it runs
    // once that frame is painted.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() =>
        startTransition(() => {
          setComplete({ rows, q });
          setFirstScreen((last) => rowsOnScreen(list.current) ?? last);
        }),
      );
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [behind, rows, q, list]);

  if (!enabled || !behind || rows.length <= firstScreen) return rows.map((row) => ({ row, q }));
  const shown: ShownRow<T>[] = rows.slice(0, firstScreen).map((row) => ({ row, q }));
  // Below the first screen: what was there, as many rows as the new results have (no more).
  for (let i = firstScreen; i < rows.length && i < complete.rows.length; i++) shown.push({ row: complete.rows[i]!, q: complete.q });
  return shown;
}
