import { describe, expect, it } from 'vitest';
import { MemorySessionRevocations } from '@/lib/access/revocations';

const HOUR = 3_600_000;

describe('MemorySessionRevocations', () => {
  it('refuses that person’s sessions issued up to the sign-out, and nobody else’s or later ones', async () => {
    let now = 1_000 * HOUR;
    const revocations = new MemorySessionRevocations({ now: () => now });
    await revocations.revokeBefore(7, now, now + 12 * HOUR);
    expect(await revocations.isRevoked(7, now - 5 * HOUR)).toBe(true);
    expect(await revocations.isRevoked(7, now)).toBe(true);
    expect(await revocations.isRevoked(7, now + 1)).toBe(false);
    expect(await revocations.isRevoked(8, now - 5 * HOUR)).toBe(false);
    // A later sign-out moves the line; an earlier one (a replay) does not move it back.
    now += HOUR;
    await revocations.revokeBefore(7, now, now + 12 * HOUR);
    await revocations.revokeBefore(7, now - 2 * HOUR, now + 10 * HOUR);
    expect(await revocations.isRevoked(7, now - 1)).toBe(true);
  });

  it('forgets a revocation once every session it covers has expired', async () => {
    let now = 1_000 * HOUR;
    const revocations = new MemorySessionRevocations({ now: () => now });
    await revocations.revokeBefore(1, now, now + 12 * HOUR);
    await revocations.revokeBefore(2, now + HOUR, now + 13 * HOUR);
    expect(revocations.size).toBe(2);
    now += 12 * HOUR;
    expect(await revocations.isRevoked(1, now - 13 * HOUR)).toBe(false);
    await revocations.revokeBefore(3, now, now + 12 * HOUR);
    expect(revocations.size).toBe(2);
    now += 2 * HOUR;
    await revocations.revokeBefore(4, now, now + 12 * HOUR);
    expect(revocations.size).toBe(2);
  });

  it('is bounded, and fails closed when full: the oldest revocation becomes a line for everyone', async () => {
    const now = 1_000 * HOUR;
    const revocations = new MemorySessionRevocations({ maxPeople: 2, now: () => now });
    await revocations.revokeBefore(1, now - 3 * HOUR, now + 9 * HOUR);
    await revocations.revokeBefore(2, now - 2 * HOUR, now + 10 * HOUR);
    await revocations.revokeBefore(3, now - HOUR, now + 11 * HOUR);
    expect(revocations.size).toBe(2);
    // Person 1 is still signed out…
    expect(await revocations.isRevoked(1, now - 4 * HOUR)).toBe(true);
    // …at the cost of anyone's session older than that (they sign in again).
    expect(await revocations.isRevoked(9, now - 4 * HOUR)).toBe(true);
    expect(await revocations.isRevoked(9, now - 3 * HOUR + 1)).toBe(false);
    for (let id = 10; id < 1_000; id++) await revocations.revokeBefore(id, now, now + 12 * HOUR);
    expect(revocations.size).toBe(2);
  });
});
