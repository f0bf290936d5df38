// A new picture is a new address on every generation: from 10.0 Zulip names an upload's version in
// its file name and leaves `?version=` off the URL (zerver/lib/avatar.py get_avatar_field), so the
// app puts `avatar_version` back on it (lib/zulip/parse-users.ts, docs/zulip.md §f). Without it
// every upload read as version 0, and the app's cached link kept showing the old face.
import { afterAll, describe, expect, it } from 'vitest';
import { avatarLink, avatarVersion } from '@/lib/directory/domain/avatar-link';
import { activeHumans, control, startHarness, waitFor, type Harness } from './support';

describe.each([185, 372, 497])('a new picture at feature level %i', (featureLevel) => {
  let h: Harness;
  afterAll(() => h?.close());

  it('gets a new version, and so a new link', async () => {
    h = await startHarness({ seed: 3, featureLevel, users: 30 });
    const someone = activeHumans(h.demo).find((u) => u.avatar_source === 'U')!;
    const url = () => h.runtime.view.people.get(someone.user_id)?.avatarUrl ?? null;
    const before = url()!;
    expect(avatarVersion(before)).toBe(someone.avatar_version);
    await control(h.demo, 'PATCH', `/demo/users/${someone.user_id}`, { avatar_source: 'U' });
    const after = await waitFor(() => url() !== before && url());
    expect(avatarVersion(after)).toBe(someone.avatar_version);
    expect(avatarLink(someone.user_id, avatarVersion(after))).not.toBe(avatarLink(someone.user_id, avatarVersion(before)));
    // The picture itself is served at the URL the app holds.
    expect((await fetch(after)).status).toBe(200);
  }, 30_000);
});
