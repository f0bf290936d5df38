// The directory's own stores built in this process from a demo Zulip server's register
// snapshot, the way the runtime builds them, for benchmarks of the server-side query path
// without HTTP in the way.
import { PeopleStore } from '../../lib/directory/people-store';
import { registerUsers } from '../../lib/directory/to-person';
import { PeopleQueries } from '../../lib/directory/query-people';
import { PresenceStore, type ModernPresence } from '../../lib/presence/presence-store';
import type { Freshness } from '../../lib/directory/types';
import type { Demo } from './demo';

export interface LoadedDirectory {
  people: PeopleStore;
  presence: PresenceStore;
  queries: PeopleQueries;
  freshness: Freshness;
}

export async function loadDirectory(demo: Demo): Promise<LoadedDirectory> {
  const body = new URLSearchParams({
    event_types: JSON.stringify(['realm_user', 'user_status', 'custom_profile_fields', 'presence']),
    fetch_event_types: JSON.stringify(['realm_user', 'user_status', 'custom_profile_fields', 'presence', 'realm']),
    slim_presence: 'true',
    presence_history_limit_days: '365',
    client_gravatar: 'false',
    include_subscribers: 'false',
    client_capabilities: JSON.stringify({ simplified_presence_events: true, user_list_incomplete: true }),
  });
  const response = await fetch(`${demo.site}/api/v1/register`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${demo.bot.email}:${demo.bot.key}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: body.toString(),
  });
  if (!response.ok) throw new Error(`register: ${response.status}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const state = (await response.json()) as any;
  const people = new PeopleStore();
  people.replaceAll({
    users: registerUsers(state.realm_users, state.realm_non_active_users),
    fields: state.custom_profile_fields ?? [],
    statuses: state.user_status ?? {},
    realmUrl: demo.site,
  });
  const presence = new PresenceStore(state.server_presence_offline_threshold_seconds ?? 200);
  presence.replaceAll(state.presences as Record<string, ModernPresence>, state.server_timestamp);
  presence.recompute(people.list().map((p) => p.id));
  const queries = new PeopleQueries(people, presence);
  return { people, presence, queries, freshness: { presenceUpdatedAt: Date.now(), stale: false, problem: null, presenceDisabled: false } };
}
