'use client';

import { Avatar } from '@/components/ui/avatar';
import { LocalTime, useViewerZone } from '@/components/ui/local-time';
import { PresenceBadge } from '@/components/presence/presence-badge';
import { BreakdownPanel } from '@/components/presence/breakdown-panel';
import { usePersonPresence, usePresenceShown } from '@/components/presence/live-presence';
import { FieldValue } from '@/components/person/field-value';
import { PeopleSection } from '@/components/person/people-section';
import { ManagerLine, ReportingChain } from '@/components/person/reporting-line';
import { ProfileActions } from '@/components/person/profile-actions';
import { AvailabilityLine, useAvailability } from '@/components/person/availability-line';
import { NewMark } from '@/components/person/new-mark';
import { TeamChips } from '@/components/person/team-chips';
import { WorkingHoursLine } from '@/components/person/working-hours-line';
import type { Profile } from '@/lib/directory/domain/service-types';

/** Everything about one person: header, actions, presence breakdown, reporting line, fields. */
export function ProfileView({ profile }: { profile: Profile }) {
  const { person, line, fields, links } = profile;
  const presence = usePersonPresence(person.id, person.presence);
  const { availability, nowMs, dot } = useAvailability(person, presence);
  const showPresence = usePresenceShown(profile.freshness);
  const joined = new Date(person.dateJoined);
  // The day they joined in the viewer's zone, as Zulip's own profile says it (UTC until the page has hydrated).
  const viewerZone = useViewerZone();
  const lists = { showPresence, chartHref: `/org?focus=${person.id}` };
  // The chart opened at one of the reports shows the person's whole level of them, open; at the
  // person it would show their row, closed.
  const firstReport = profile.reports.items.find((p) => !p.left);
  return (
    <article className="space-y-6">
      <ReportingChain line={line} name={person.name} />
      <header className="flex flex-wrap items-start gap-4">
        <Avatar name={person.name} url={person.avatarUrl} userId={person.id} size={96} presence={showPresence ? dot : null} />
        <div className="min-w-0 flex-1 space-y-1">
          <h1 className="text-2xl font-semibold break-words">
            {person.name} {person.pronouns && <span className="text-base font-normal text-ink-muted">({person.pronouns})</span>}{' '}
            <NewMark dateJoined={person.dateJoined} nowMs={nowMs} />
          </h1>
          {(person.title || person.department) && <p className="text-ink-muted">{[person.title, person.department].filter(Boolean).join(' · ')}</p>}
          <ManagerLine managers={line.managers} />
          <p className="flex flex-wrap gap-x-3 text-sm text-ink-muted">
            {person.office && <span>{person.office}</span>}
            {person.timezone && <span>{person.timezone}</span>}
          </p>
          {/* A line of its own, its height kept: the time is filled in after hydration (LocalTime). */}
          {person.timezone && <LocalTime timeZone={person.timezone} className="block min-h-5 text-sm text-ink-muted" />}
          <AvailabilityLine person={person} availability={availability} nowMs={nowMs} className="wrap-anywhere" />
          {availability.workingHours && <WorkingHoursLine hours={availability.workingHours} personZone={person.timezone} usual={profile.usualHours} />}
          {showPresence && <PresenceBadge presence={presence} className="text-base" />}
        </div>
      </header>

      <ProfileActions person={person} links={links} />

      {profile.teams.length > 0 && (
        <section aria-labelledby="teams-heading">
          <h2 id="teams-heading" className="font-semibold">
            Teams
          </h2>
          <TeamChips teams={profile.teams} />
        </section>
      )}

      {showPresence && (
        <section aria-labelledby="presence-heading" className="space-y-2">
          <h2 id="presence-heading" className="font-semibold">
            Presence by device
          </h2>
          <BreakdownPanel personId={person.id} rendered={person.presence} />
        </section>
      )}

      <PeopleSection id="reports" heading="Direct reports" list={profile.reports} {...lists} chartHref={firstReport ? `/org?focus=${firstReport.id}` : lists.chartHref} />
      <PeopleSection id="also-reports" heading={`Also report to ${person.name}`} list={profile.alsoReports} {...lists} />
      <PeopleSection id="peers" heading="Peers" list={profile.peers} {...lists} />

      <section aria-labelledby="details-heading">
        <h2 id="details-heading" className="font-semibold">
          Details
        </h2>
        <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-[12rem_minmax(0,1fr)]">
          {fields.map((f) => (
            <div key={f.id} className="contents">
              <dt className="text-sm text-ink-muted">{f.name}</dt>
              <dd>
                <FieldValue field={f.rendered} />
                {f.setByOrganization && <span className="block text-xs text-ink-muted">Set by your organization</span>}
              </dd>
            </div>
          ))}
          <div className="contents">
            <dt className="text-sm text-ink-muted">Joined Zulip</dt>
            <dd>
              <time dateTime={person.dateJoined}>
                {Number.isNaN(joined.getTime()) ? person.dateJoined : joined.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: viewerZone ?? 'UTC' })}
              </time>
            </dd>
          </div>
        </dl>
      </section>
    </article>
  );
}
