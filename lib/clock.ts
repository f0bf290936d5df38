// Time, as the parts of the directory read it and wait on it (docs/architecture.md §16): handed
// to each part by the composition root (lib/server/app.ts), so a test can hand a fake one and
// move time itself rather than wait on the real clock (tests/support/fake-clock.ts).

/** A pending timer; `unref()` lets the process exit while it waits (as Node's timers). */
export interface Timer {
  unref(): Timer;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): Timer;
  clearTimeout(timer: Timer | null | undefined): void;
  setInterval(callback: () => void, ms: number): Timer;
  clearInterval(timer: Timer | null | undefined): void;
}

/** The real clock: the process's own time and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout> | undefined),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (timer) => clearInterval(timer as ReturnType<typeof setInterval> | undefined),
};

/** The longest wait a timer takes (2^31 - 1 ms, about 24.8 days): Node fires a longer one after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** An abortable delay on `clock`: rejects with the signal's reason as soon as it aborts, so loops that wait stop promptly on shutdown. */
export function sleep(ms: number, signal?: AbortSignal, clock: Clock = systemClock): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
