import { z } from 'zod';

// Team ids in addresses: `/groups/{id}` and `?team={id}`. Zulip's user group ids are positive
// database integers (docs/zulip.md §n); anything else is refused with a 400 rather than looked up.

const TEAM_ID = /^[1-9][0-9]{0,9}$/;
/** Zulip's ids are PostgreSQL integers. */
const MAX_TEAM_ID = 2_147_483_647;

export const TEAM_ID_MESSAGE = 'must be a team id (a whole number from 1)';

/** The id a text names, or null when it is not one. */
export function teamIdFrom(text: string): number | null {
  if (!TEAM_ID.test(text)) return null;
  const id = Number(text);
  return id <= MAX_TEAM_ID ? id : null;
}

/** `/groups/{id}`'s segment (the route table describes the address with it). */
export const teamIdSchema = z
  .string()
  .regex(TEAM_ID, TEAM_ID_MESSAGE)
  .transform((text, ctx) => teamIdFrom(text) ?? (ctx.addIssue(TEAM_ID_MESSAGE), z.NEVER));

export function parseTeamId(text: string): { ok: true; id: number } | { ok: false; error: string } {
  const parsed = teamIdSchema.safeParse(text);
  return parsed.success ? { ok: true, id: parsed.data } : { ok: false, error: 'A team’s address ends in its id, a whole number from 1' };
}
