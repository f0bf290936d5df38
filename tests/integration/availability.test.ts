// Availability end to end (docs/architecture.md §18): the demo Zulip server of each generation
// over HTTP, the runtime reading statuses and working hours from it, and /api/people and
// /api/people/{ref} answering the contract; live status and profile changes; hidden fields
// nowhere in any answer; fields Zulip marks as not editable by their owner (FL 296).
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GET as peopleRoute } from '@/app/api/people/route';
import { GET as personRoute } from '@/app/api/people/[ref]/route';
import type { DemoUser } from '@/lib/demo-zulip/types';
import type { PeoplePage } from '@/lib/directory/domain/types';
import type { Profile } from '@/lib/directory/domain/service-types';
import { startTestDirectory, type TestDirectory } from '../support/directory';
import { activeHumans, basic, waitFor } from './support';

const ORIGIN = 'http://directory.test';
const contract = z
  .object({
    reachable: z.boolean(),
    out: z.object({ reason: z.string(), until: z.string().regex(/^\d{4}-\d\d-\d\d$/).nullable(), lastDay: z.boolean() }).strict().nullable(),
    busy: z.boolean(),
    workingHours: z
      .object({
        text: z.string(),
        days: z.array(z.number().int().min(0).max(6)),
        start: z.string().regex(/^\d\d:\d\d$/),
        end: z.string().regex(/^\d\d:\d\d$/),
        timeZone: z.string().min(1),
      })
      .strict()
      .nullable(),
    withinWorkingHours: z.boolean().nullable(),
  })
  .strict();

describe.each([65, 185, 372, 497])('availability at feature level %i', (featureLevel) => {
  let dir: TestDirectory;
  const people = async (search: string) => (await (await peopleRoute(new NextRequest(`${ORIGIN}/api/people${search}`))).json()) as PeoplePage;
  const person = async (id: number) =>
    (await (await personRoute(new Request(`${ORIGIN}/api/people/${id}`), { params: Promise.resolve({ ref: String(id) }) })).json()) as Profile;
  const setStatus = async (user: DemoUser, text: string) => {
    const res = await fetch(`${dir.demo.site}/api/v1/users/me/status`, {
      method: 'POST',
      headers: { Authorization: basic(user.delivery_email, user.api_key), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ status_text: text }),
    });
    expect(res.status).toBe(200);
  };
  const listed = () => activeHumans(dir.demo).filter((u) => dir.runtime.view.people.get(u.user_id));

  beforeAll(async () => {
    dir = await startTestDirectory({
      demo: { users: 60, seed: 11, featureLevel },
      settings: { DIRECTORY_WORKING_HOURS: 'Mon-Fri 09:00-17:00', DIRECTORY_HIDDEN_FIELDS: ['Personal website', '6'] },
    });
  }, 30_000);
  afterAll(() => dir?.close());

  it('answers every row and profile with the availability contract', async () => {
    const page = await people('?limit=200');
    expect(page.items.length).toBe(listed().length);
    for (const item of page.items) contract.parse(item.availability);
    expect(page.out).toBe(page.items.filter((p) => p.availability.out).length);
    expect(page.reachable).toBe(page.items.filter((p) => p.availability.reachable).length);
    // Most demo people write their hours; the rest have the organization's default unless theirs is unreadable.
    expect(page.items.filter((p) => p.availability.workingHours).length).toBeGreaterThan(page.items.length * 0.8);
    const profile = await person(page.items[0]!.id);
    contract.parse(profile.person.availability);
  });

  it('follows a status change within one refresh: out with a return date, then busy, then back', async () => {
    const [someone] = listed();
    await setStatus(someone!, 'Out sick, back on Monday');
    await waitFor(() => dir.runtime.view.people.get(someone!.user_id)?.statusMeaning?.kind === 'out');
    const out = (await person(someone!.user_id)).person.availability;
    expect(out).toMatchObject({ reachable: false, out: { reason: 'Out sick, back on Monday' } });
    // A date only where the person has a zone to say which Monday.
    expect(out.out!.until === null).toBe(someone!.timezone === '');
    expect((await people('?status=out&limit=200')).items.map((p) => p.id)).toContain(someone!.user_id);

    await setStatus(someone!, 'In a meeting');
    await waitFor(() => dir.runtime.view.people.get(someone!.user_id)?.statusMeaning?.kind === 'busy');
    expect((await person(someone!.user_id)).person.availability).toMatchObject({ out: null, busy: true });
    await setStatus(someone!, '');
    await waitFor(() => dir.runtime.view.people.get(someone!.user_id)?.statusMeaning === null);
  });

  it('follows a working-hours change, an unreadable value and an empty time zone', async () => {
    const someone = listed().find((u) => u.timezone)!;
    const hoursField = dir.demo.org.profileFields.find((f) => f.name === 'Working hours')!.id;
    const patch = (body: unknown) => dir.control('PATCH', `/demo/users/${someone.user_id}`, body);
    const hours = () => dir.runtime.view.people.get(someone.user_id)?.workingHours;

    await patch({ profile_data: { [hoursField]: '24/7' } });
    await waitFor(() => hours()?.text === '24/7');
    expect((await person(someone.user_id)).person.availability).toMatchObject({ withinWorkingHours: true, workingHours: { days: [0, 1, 2, 3, 4, 5, 6] } });
    expect((await person(someone.user_id)).usualHours).toBe(false);

    await patch({ profile_data: { [hoursField]: 'by appointment' } });
    await waitFor(() => hours() === null);
    expect((await person(someone.user_id)).person.availability).toMatchObject({ workingHours: null, withinWorkingHours: null });

    await patch({ profile_data: { [hoursField]: null } });
    await waitFor(() => hours()?.text === 'Mon-Fri 09:00-17:00');
    // None of their own: the profile says these are the organization's (DIRECTORY_WORKING_HOURS).
    expect((await person(someone.user_id)).usualHours).toBe(true);
    await patch({ timezone: '' });
    await waitFor(() => hours() === null);
  });

  it('never sends, searches or offers a hidden field', async () => {
    const hidden = dir.demo.org.profileFields.filter((f) => f.name === 'Personal website' || f.id === 6).map((f) => String(f.id));
    const values = listed().flatMap((u) => hidden.map((id) => u.profile_data[id]?.value).filter((v): v is string => !!v));
    expect(values.length).toBeGreaterThan(0);
    const body = JSON.stringify(await people('?limit=200'));
    const profiles = await Promise.all(listed().slice(0, 20).map((u) => person(u.user_id)));
    for (const value of values) expect(body).not.toContain(value);
    for (const p of profiles) {
      expect(p.fields.map((f) => f.name)).not.toContain('Personal website');
      expect(p.fields.map((f) => f.name)).not.toContain('GitHub');
      for (const id of hidden) expect(p.person.fields[id]).toBeUndefined();
    }
    expect((await people(`?q=${encodeURIComponent(values[0]!)}`)).total).toBe(0);
  });

  it('marks fields set by the organization where Zulip says so (FL 296)', async () => {
    const withStart = listed().find((u) => u.profile_data['5'])!;
    const fields = (await person(withStart.user_id)).fields;
    expect(fields.find((f) => f.name === 'Start date')?.setByOrganization).toBe(featureLevel >= 296);
    expect(fields.find((f) => f.name === 'Working hours')?.setByOrganization ?? false).toBe(false);
  });
});
