// The directory's own stores built in this process from a demo Zulip server's register
// snapshot, the way the runtime builds them, for benchmarks of the server-side query path
// without HTTP in the way.
import { PeopleStore } from '../../lib/directory/domain/people-store';
import { PeopleQueries } from '../../lib/directory/search/query-people';
import { PresenceStore } from '../../lib/presence/presence-store';
import { parseRegister } from '../../lib/zulip/parse-register';
import { ignoreIssues } from '../../lib/zulip/record-issues';
import { registerEnvelopeSchema } from '../../lib/zulip/schemas';
import type { Freshness } from '../../lib/directory/domain/types';
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
    client_capabilities: JSON.stringify({ notification_settings_null: true, simplified_presence_events: true, user_list_incomplete: true }),
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
  const state = parseRegister(registerEnvelopeSchema.parse(await response.json()), { endpoint: 'POST /register', report: ignoreIssues });
  const people = new PeopleStore();
  people.replaceAll({ users: state.users, fields: state.fields, statuses: state.statuses, realmUrl: demo.site });
  const presence = new PresenceStore(state.realm.offlineThresholdSeconds ?? 200);
  presence.replaceAll(state.presence.byId, state.presence.serverTimestamp);
  presence.recompute(people.list());
  const queries = new PeopleQueries(people, presence);
  return { people, presence, queries, freshness: { presenceUpdatedAt: Date.now(), stale: false, problem: null, presenceDisabled: false } };
}
