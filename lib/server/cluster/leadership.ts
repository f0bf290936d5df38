import 'server-only';

export type Role = 'leader' | 'follower';

export interface LeadershipHandlers {
  /** This instance is now the one that talks to Zulip; `fence` goes with each of its writes. */
  lead(fence: number): void;
  /** It is not (any more): follow the leader's feed. */
  follow(): void;
}

export interface LeadershipStatus {
  role: Role;
  /** The leader's instance id, as last seen; null when none is known. */
  leader: string | null;
  /** This instance's fence while it leads. */
  fence: number | null;
}

/** Who talks to Zulip: the only instance (SoleLeadership), or the holder of a lease in Redis (redis-lease.ts). */
export interface Leadership {
  start(handlers: LeadershipHandlers): void;
  /** Steps down now (a write was refused: another instance leads). */
  stepDown(): void;
  /** The leader gave the lease up (a clean stop): a follower tries to take it now. */
  tryNow(): void;
  status(): LeadershipStatus;
  close(): Promise<void>;
}

/** One process on its own leads, always. */
export class SoleLeadership implements Leadership {
  constructor(private readonly instanceId: string) {}

  start(handlers: LeadershipHandlers): void {
    handlers.lead(0);
  }

  stepDown(): void {}

  tryNow(): void {}

  status(): LeadershipStatus {
    return { role: 'leader', leader: this.instanceId, fence: null };
  }

  async close(): Promise<void> {}
}
