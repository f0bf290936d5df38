import { AppLink } from '@/components/ui/app-link';
import type { ReactNode } from 'react';
import { DemoBanner } from '@/components/ui/demo-banner';

/** The frame of every page: demo banner, the organization's name, and the main landmark. */
export function PageShell({ orgName, demo, children, aside }: { orgName: string; demo: boolean; children: ReactNode; aside?: ReactNode }) {
  return (
    <>
      {demo && <DemoBanner />}
      <header className="border-b border-line bg-surface-raised">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-2 gap-y-1 px-4 py-2 sm:gap-y-2 sm:py-3">
          <div className="flex flex-wrap items-baseline gap-x-4">
            <AppLink href="/" className="text-lg font-semibold hover:underline">
              {orgName} <span className="font-normal text-ink-muted">directory</span>
            </AppLink>
            <AppLink href="/org" className="text-sm text-accent underline">
              Org chart
            </AppLink>
            {/* Not on a phone's width: its keyboard types into fields, so the one key it is about never fires there. */}
            <AppLink href="/shortcuts" className="hidden text-sm text-accent underline sm:inline">
              Shortcuts
            </AppLink>
          </div>
          {aside}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-3 sm:py-4">
        {children}
      </main>
    </>
  );
}
