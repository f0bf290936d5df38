// GET /events answers → the app's updates (docs/zulip.md §e). Each event is read on its own: a
// type the app does not use is ignored, a used type that does not fit is reported and skipped,
// and every id (heartbeats, ignored and skipped events included) is acknowledged.
import type { EventBatch, ZulipUpdate } from './records';
import { read } from './record-issues';
import { parsePresenceEvent } from './parse-presence';
import { parseFieldDefinitions, parseStatus, parseUser, parseUserChanges, type ParseContext } from './parse-users';
import { parseUserGroupEvent } from './parse-user-groups';

export function parseEvents(events: unknown[], ctx: ParseContext & { featureLevel: number }): EventBatch {
  const updates: ZulipUpdate[] = [];
  let lastEventId: number | null = null;
  for (const raw of events) {
    const event = read.object(raw);
    const id = read.int(event?.id);
    if (!event || id === null || typeof event.type !== 'string') {
      ctx.report({ kind: 'event', id: read.idOf(raw, 'id'), reason: 'needs an integer id and a string type', endpoint: ctx.endpoint });
      continue;
    }
    lastEventId = Math.max(lastEventId ?? id, id);
    const update = toUpdate(event, ctx);
    if (typeof update === 'string') {
      ctx.report({ kind: 'event', id: String(id), reason: `${event.type.slice(0, 40)}: ${update}`, endpoint: ctx.endpoint });
    } else if (update !== null) {
      updates.push(update);
    }
  }
  return { updates, lastEventId };
}

/** The update an event means; null for one the app does not use; a string says why it does not fit. */
function toUpdate(event: Record<string, unknown>, ctx: ParseContext & { featureLevel: number }): ZulipUpdate | null | string {
  switch (event.type) {
    case 'presence': {
      const presence = parsePresenceEvent(event, ctx);
      if (typeof presence === 'string') return presence;
      // Nothing left once its odd entries were reported and skipped.
      return presence.byId.size + presence.byApiEmail.size > 0 ? { kind: 'presence_changed', presence } : null;
    }
    case 'realm_user':
      return realmUser(event, ctx);
    case 'user_status': {
      const userId = read.int(event.user_id);
      return userId === null ? 'user_id is not an integer' : { kind: 'status_changed', userId, status: parseStatus(event) };
    }
    case 'custom_profile_fields':
      return Array.isArray(event.fields) ? { kind: 'fields_changed', fields: parseFieldDefinitions(event.fields, ctx) } : 'fields is not a list';
    case 'realm':
      return presenceDisabledChange(event);
    case 'user_group':
      return parseUserGroupEvent(event, ctx);
    case 'restart':
      return { kind: 'restart', featureLevel: read.int(event.zulip_feature_level) };
    default:
      return null;
  }
}

function realmUser(event: Record<string, unknown>, ctx: ParseContext): ZulipUpdate | null | string {
  const person = read.object(event.person);
  if (!person) return 'person is not an object';
  if (event.op === 'add') {
    // parseUser reports a user it cannot read itself.
    const user = parseUser(person, ctx);
    return user ? { kind: 'user_added', user } : null;
  }
  const userId = read.int(person.user_id);
  if (userId === null) return 'person.user_id is not an integer';
  if (event.op === 'remove') return { kind: 'user_removed', userId };
  if (event.op === 'update') return { kind: 'user_updated', userId, changes: parseUserChanges(person, ctx) };
  return null;
}

/**
 * `presence_disabled` switched by an administrator: `{op: "update", property, value}` from
 * do_set_realm_property, or inside an `update_dict`'s `data` (docs/zulip.md §e).
 */
function presenceDisabledChange(event: Record<string, unknown>): ZulipUpdate | null | string {
  let value: unknown;
  if (event.op === 'update' && event.property === 'presence_disabled') value = event.value;
  else if (event.op === 'update_dict' && read.object(event.data) && 'presence_disabled' in read.object(event.data)!) value = read.object(event.data)!.presence_disabled;
  else return null;
  return typeof value === 'boolean' ? { kind: 'realm_changed', presenceDisabled: value } : 'presence_disabled is not a boolean';
}
