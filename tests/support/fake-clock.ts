// A clock that moves only when a test moves it (lib/clock.ts): timers fire in order of their
// time as `advance` passes it, with the event loop given a turn after each, so the parts' real
// I/O (HTTP to the demo Zulip, Redis) completes before time moves on.
import type { Clock, Timer } from '@/lib/clock';

type Pending = { id: number; at: number; every: number | null; callback: () => void; timer: Timer };

export class FakeClock implements Clock {
  private nowMs: number;
  private pending: Pending[] = [];
  private nextId = 1;

  constructor(startMs = Date.UTC(2026, 11, 7, 9, 0, 0)) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, ms: number): Timer {
    return this.add(callback, ms, null);
  }

  setInterval(callback: () => void, ms: number): Timer {
    return this.add(callback, ms, Math.max(1, ms));
  }

  clearTimeout(timer: Timer | null | undefined): void {
    this.pending = this.pending.filter((p) => p.timer !== timer);
  }

  clearInterval(timer: Timer | null | undefined): void {
    this.clearTimeout(timer);
  }

  /** Moves time on by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (;;) {
      await turn();
      const due = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.nowMs = Math.max(this.nowMs, due.at);
      if (due.every === null) this.pending = this.pending.filter((p) => p !== due);
      else due.at += due.every;
      due.callback();
    }
    this.nowMs = end;
    await turn();
  }

  /** Timers waiting (for tests that check nothing is left behind). */
  get size(): number {
    return this.pending.length;
  }

  private add(callback: () => void, ms: number, every: number | null): Timer {
    const timer: Timer = { unref: () => timer };
    this.pending.push({ id: this.nextId++, at: this.nowMs + Math.max(0, ms), every, callback, timer });
    return timer;
  }
}

/** One turn of the event loop: promise continuations and ready I/O run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
