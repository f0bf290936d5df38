import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { connection } from 'next/server';
import { AccountMenu } from '@/components/access/account-menu';
import { PageShell } from '@/components/ui/page-shell';
import { SlashShortcutSetting } from '@/components/ui/slash-shortcut-setting';
import { getOrganization } from '@/lib/server/directory-service';
import { checkPageViewer, requirePageViewer } from '@/lib/server/viewer';
import { theApp } from '@/lib/server/app-handle';

export async function generateMetadata(): Promise<Metadata> {
  await connection();
  // Nothing about the organization before the viewer is allowed in (the page then answers 401/403).
  if (!(await checkPageViewer(theApp())).ok) return {};
  const org = await getOrganization(theApp());
  return { title: `Keyboard shortcuts · ${org.name} directory` };
}

type Shortcut = [keys: ReactNode, where: string, what: string];

const k = (key: string) => <kbd className="rounded border border-line px-1.5 font-sans">{key}</kbd>;

const DIRECTORY: Shortcut[] = [
  [k('/'), 'anywhere but a field', 'Move to the search box'],
  [k('↓'), 'in the search box', 'Move into the results'],
  [<>{k('↑')} {k('↓')}</>, 'on a result', 'Move through the results (↑ on the first goes back to the search box)'],
  [k('Enter'), 'in the search box', 'Open the first result'],
  [k('Escape'), 'in the search box', 'Clear the search'],
  [k('Escape'), 'in a person’s devices', 'Close them'],
];

const ORG_CHART: Shortcut[] = [
  [k('/'), 'anywhere but a field', 'Move to Find a person'],
  [<>{k('↑')} {k('↓')}</>, 'in the chart', 'Previous or next person'],
  [k('→'), 'in the chart', 'Open a person’s reports, or move to the first of them'],
  [k('←'), 'in the chart', 'Close a person’s reports, or move to their manager'],
  [<>{k('Home')} {k('End')}</>, 'in the chart', 'First or last person shown'],
  [k('Enter'), 'in the chart', 'Open the profile'],
  [k('a–z'), 'in the chart', 'Next person whose name starts with what you type'],
  [<>{k('↑')} {k('↓')} {k('Enter')}</>, 'in Find a person', 'Choose a name and show them in the chart'],
  [k('Escape'), 'in Find a person', 'Close the names, then clear the box'],
];

function ShortcutTable({ caption, rows }: { caption: string; rows: Shortcut[] }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="pb-2 text-left text-lg font-semibold">{caption}</caption>
      <thead className="sr-only">
        <tr>
          <th scope="col">Keys</th>
          <th scope="col">Where</th>
          <th scope="col">What they do</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([keys, where, what]) => (
          <tr key={`${where} ${what}`} className="border-t border-line align-baseline">
            <td className="py-2 pr-4 whitespace-nowrap">{keys}</td>
            <td className="py-2 pr-4 text-ink-muted">{where}</td>
            <td className="py-2">{what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Which keys do what, and the switch for the one single-key shortcut (WCAG 2.1.4). */
export default async function ShortcutsPage() {
  await connection();
  const viewer = await requirePageViewer(theApp());
  const org = await getOrganization(theApp());
  return (
    <PageShell orgName={org.name} demo={org.demo} aside={<AccountMenu viewer={viewer} />}>
      <div className="max-w-2xl space-y-8 py-2">
        <h1 className="text-2xl font-semibold">Keyboard shortcuts</h1>
        <SlashShortcutSetting />
        <ShortcutTable caption="Directory and team pages" rows={DIRECTORY} />
        <ShortcutTable caption="Org chart" rows={ORG_CHART} />
      </div>
    </PageShell>
  );
}
