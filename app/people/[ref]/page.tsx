import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { ProfileView } from '@/components/person/profile-view';
import { checkPageViewer, requirePageViewer } from '@/lib/server/viewer';
import { LivePage } from '@/components/ui/live-page';
import { renderClock } from '@/lib/server/render-time';
import { readRouteParams } from '@/lib/http/routes';
import { getProfile } from '@/lib/server/directory-service';
import { theApp } from '@/lib/server/app-handle';

type Props = { params: Promise<{ ref: string }> };

async function loadProfile(params: Props['params']) {
  const parsed = readRouteParams('/people/[ref]', await params);
  return parsed.ok ? getProfile(theApp(), parsed.value.ref) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await connection();
  // Who may see staff data is decided before any is read: the title names the person.
  if (!(await checkPageViewer(theApp())).ok) return {};
  const profile = await loadProfile(params);
  // Deciding here, before anything streams, is what makes an unknown person a real 404.
  if (!profile) notFound();
  const { person, org } = profile;
  const title = [person.name, person.department, `${org.name} directory`].filter(Boolean).join(' · ');
  const description = [person.title, person.department, person.office].filter(Boolean).join(' · ') || `${person.name} at ${org.name}`;
  return {
    title,
    description,
    alternates: { canonical: `/people/${person.id}` },
    openGraph: {
      type: 'profile',
      title: person.name,
      description,
      siteName: `${org.name} directory`,
      url: `/people/${person.id}`,
      ...(person.avatarUrl ? { images: [{ url: person.avatarUrl, alt: '' }] } : {}),
    },
    twitter: { card: 'summary', title: person.name, description },
  };
}

export default async function PersonPage({ params }: Props) {
  await connection();
  const viewer = await requirePageViewer(theApp());
  const profile = await loadProfile(params);
  if (!profile) notFound();
  return (
    <LivePage clock={await renderClock(theApp())} org={profile.org} live={profile} viewer={viewer}>
      <ProfileView profile={profile} />
    </LivePage>
  );
}
