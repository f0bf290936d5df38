/**
 * Runs `task` when the browser is next idle (at the latest after `timeoutMs`, if given), so it
 * never shares a frame with what the viewer is doing; in a browser that cannot say (Safari),
 * after `fallbackMs`.
 */
export function whenIdle(task: () => void, { timeoutMs, fallbackMs = 0 }: { timeoutMs?: number; fallbackMs?: number } = {}): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, timeoutMs === undefined ? undefined : { timeout: timeoutMs });
  else setTimeout(task, fallbackMs);
}
