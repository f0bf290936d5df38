// The demo control surface for user groups (docs/zulip-versions.md §8), listed with the rest in
// demo-control.ts. Each change goes through core/user-groups.ts, which sends the `user_group`
// events the server's feature level sends. Bodies are JSON, checked strictly.
import type { DemoApp } from '../core/app';
import { GroupInputError } from '../core/user-groups';
import type { DemoUserGroup } from '../types';

export type GroupControlAnswer = { status: 200; body: Record<string, unknown> } | { status: 400 | 404 | 405; msg: string; extra?: Record<string, unknown> };

function body(text: string, allowed: string[]): Record<string, unknown> {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new GroupInputError('The body must be valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new GroupInputError('The body must be a JSON object.');
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw new GroupInputError(`Unknown field "${key}". Allowed: ${allowed.join(', ')}.`);
  return value as Record<string, unknown>;
}

function text(input: Record<string, unknown>, key: string, max: number): string | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max) throw new GroupInputError(`"${key}" must be a string of at most ${max} characters.`);
  return value;
}

function idList(input: Record<string, unknown>, key: string): number[] {
  const value = input[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v) && v > 0)) throw new GroupInputError(`"${key}" must be a list of ids.`);
  return [...new Set(value as number[])];
}

/** The demo's own view of a group: what it holds, whatever the level shows. */
function describe(app: DemoApp, group: DemoUserGroup): Record<string, unknown> {
  const shown = app.groups.format(group);
  return { id: group.id, name: shown.name, description: group.description, members: app.groups.members(group), subgroups: group.subgroups, is_system_group: group.system !== null, deactivated: group.deactivated };
}

/**
 *   GET    /demo/user_groups                   every group that exists at this level, deactivated ones included
 *   POST   /demo/user_groups                   {name, description?, members?, subgroups?} → `add`
 *   PATCH  /demo/user_groups/{id}              {name?, description?} → `update` per property
 *   POST   /demo/user_groups/{id}/members      {add?: [user ids], delete?: [user ids]} → `add_members` / `remove_members`
 *   POST   /demo/user_groups/{id}/subgroups    {add?: [group ids], delete?: [group ids]} (FL 127+) → `add_subgroups` / `remove_subgroups`
 *   POST   /demo/user_groups/{id}/deactivate   → `remove` before FL 290 (deleted); `update {deactivated}` or `remove` per queue from FL 290
 * Returns null for a path that is not one of these.
 */
export function handleGroupControl(app: DemoApp, method: string, path: string, bodyText: string): GroupControlAnswer | null {
  const match = /^\/demo\/user_groups(?:\/(\d+)(?:\/(members|subgroups|deactivate))?)?$/.exec(path);
  if (!match) return null;
  const notAllowed = (allowed: string[]): GroupControlAnswer => ({ status: 405, msg: 'Method Not Allowed', extra: { allowed_methods: allowed } });
  try {
    if (match[1] === undefined) {
      if (method === 'GET') return { status: 200, body: { user_groups: app.groups.list(true).map((g) => describe(app, g)) } };
      if (method !== 'POST') return notAllowed(['GET', 'POST']);
      const input = body(bodyText, ['name', 'description', 'members', 'subgroups']);
      const name = text(input, 'name', 100);
      if (name === undefined) throw new GroupInputError('"name" is required.');
      const group = app.groups.create({
        name,
        description: text(input, 'description', 1024) ?? '',
        members: idList(input, 'members'),
        subgroups: idList(input, 'subgroups'),
        creatorId: app.state.org.ceoId,
        now: app.now(),
      });
      return { status: 200, body: { user_group: describe(app, group) } };
    }
    const group = app.groups.get(Number(match[1]));
    if (!group) return { status: 400, msg: 'Invalid user group' };
    const action = match[2];
    if (action === undefined) {
      if (method !== 'PATCH') return notAllowed(['PATCH']);
      const input = body(bodyText, ['name', 'description']);
      const patch = { name: text(input, 'name', 100), description: text(input, 'description', 1024) };
      if (patch.name === undefined && patch.description === undefined) throw new GroupInputError('No new data supplied');
      app.groups.update(group, patch);
    } else {
      if (method !== 'POST') return notAllowed(['POST']);
      if (action === 'deactivate') {
        body(bodyText, []);
        app.groups.deactivate(group);
      } else {
        const input = body(bodyText, ['add', 'delete']);
        const add = idList(input, 'add');
        const remove = idList(input, 'delete');
        if (add.length === 0 && remove.length === 0) throw new GroupInputError('Nothing to do. Specify at least one of "add" or "delete".');
        if (action === 'members') app.groups.changeMembers(group, add, remove);
        else app.groups.changeSubgroups(group, add, remove);
      }
    }
    return { status: 200, body: { user_group: app.groups.get(group.id) ? describe(app, group) : null } };
  } catch (error) {
    if (error instanceof GroupInputError) return { status: 400, msg: error.message };
    throw error;
  }
}
