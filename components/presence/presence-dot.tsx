import type { PresenceState } from '@/lib/presence/status';

const COLOR: Record<PresenceState, string> = {
  active: 'text-presence-active',
  idle: 'text-presence-idle',
  offline: 'text-presence-offline',
};

/**
 * Zulip's presence circle, told apart by shape as well as colour: filled (active), half-filled
 * (idle), hollow ring (offline). Decorative: the words always sit next to it.
 */
export function PresenceDot({ state, size = 10, className = '' }: { state: PresenceState; size?: number; className?: string }) {
  return (
    <svg
      viewBox="0 0 10 10"
      width={size}
      height={size}
      aria-hidden="true"
      data-presence-shape={state}
      className={`${COLOR[state]} shrink-0 ${className}`}
    >
      {state === 'active' && <circle cx="5" cy="5" r="4.5" fill="currentColor" />}
      {state === 'idle' && (
        <>
          <circle cx="5" cy="5" r="4" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M5 0.5 A4.5 4.5 0 0 0 5 9.5 Z" fill="currentColor" />
        </>
      )}
      {state === 'offline' && <circle cx="5" cy="5" r="3.75" fill="none" stroke="currentColor" strokeWidth="1.5" />}
    </svg>
  );
}
