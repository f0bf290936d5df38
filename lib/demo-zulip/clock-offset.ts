// The demo server's clock offset: how far its clock is off, in seconds, so an app can be tested
// against a Zulip server whose clock is wrong (docs/zulip-versions.md §7). Shared by the CLI flag
// (--clock-offset-seconds) and the DEMO_ZULIP_CLOCK_OFFSET_SECONDS variable.

/** Ten years either way: enough for any skew worth testing, and keeps timestamps sane. */
export const MAX_CLOCK_OFFSET_SECONDS = 10 * 365 * 86_400;

export const CLOCK_OFFSET_ENV = 'DEMO_ZULIP_CLOCK_OFFSET_SECONDS';

/** A decimal number of seconds ("3600", "-90", "0.5") within the limit, or null. */
export function parseClockOffset(text: string | undefined): number | null {
  if (text === undefined || !/^\s*[+-]?\d+(\.\d+)?\s*$/.test(text)) return null;
  const value = Number(text);
  return isValidClockOffset(value) ? value : null;
}

export function isValidClockOffset(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= MAX_CLOCK_OFFSET_SECONDS;
}
