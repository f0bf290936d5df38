'use client';

import { Fragment, type ReactNode } from 'react';
import { AppLink } from '@/components/ui/app-link';
import { NamedPerson, nameLinkClass } from '@/components/person/named-person';
import type { OrgPersonRef } from '@/lib/directory/domain/org-chart-types';
import type { Profile } from '@/lib/directory/domain/service-types';

// A profile's place in the organization, as the org chart draws it (docs/architecture.md §14):
// "Manager: …" in the header, and the chain from the top down to the person as a breadcrumb.

/** "A", "A and B", "A, B and C". */
function Names({ people }: { people: OrgPersonRef[] }) {
  return people.map((person, i) => (
    <Fragment key={person.id}>
      {i > 0 && (i === people.length - 1 ? ' and ' : ', ')}
      <NamedPerson person={person} />
    </Fragment>
  ));
}

/** "Manager: Olga Morozova", or "Managers: A and B" when the field lists several; nothing when none. */
export function ManagerLine({ managers }: { managers: OrgPersonRef[] }) {
  if (managers.length === 0) return null;
  return (
    <p className="text-sm [overflow-wrap:anywhere]" data-testid="managers">
      <span className="text-ink-muted">{managers.length === 1 ? 'Manager' : 'Managers'}:</span> <Names people={managers} />
    </p>
  );
}

/** One step of the breadcrumb before the person, and the separator after it (not read out). */
function Step({ children }: { children: ReactNode }) {
  return (
    <li className="flex min-w-0 items-center gap-x-1.5">
      {children}
      <span aria-hidden="true" className="text-ink-muted">
        ›
      </span>
    </li>
  );
}

/**
 * The chain from the top of the organization down to the person (last, the current page), each
 * step the manager the chart places them under; a very long one skips its middle, linking to the
 * chart. A loop in the manager field is said in words.
 */
export function ReportingChain({ line, name }: { line: Profile['line']; name: string }) {
  const { chain, skipped, managers, loops } = line;
  if (chain.length < 2 && !loops) return null;
  const person = chain.at(-1)!;
  return (
    <nav aria-label="Reporting line" className="text-sm">
      <ol className="flex flex-wrap items-center gap-x-1.5 gap-y-1">
        {chain.slice(0, -1).map((step, i) => (
          <Fragment key={step.id}>
            <Step>
              <NamedPerson person={step} />
            </Step>
            {i === 0 && skipped > 0 && (
              <Step>
                <AppLink href={`/org?focus=${chain.at(-1)!.id}`} className={nameLinkClass}>
                  {skipped.toLocaleString('en-US')} more
                </AppLink>
              </Step>
            )}
          </Fragment>
        ))}
        <li className="min-w-0">
          <AppLink href={`/people/${person.id}`} aria-current="page" className="font-medium [overflow-wrap:anywhere]">
            {person.name}
          </AppLink>
        </li>
      </ol>
      {loops && (
        <p className="mt-1 text-ink-muted [overflow-wrap:anywhere]">
          The reporting line loops: following managers up from {managers[0]!.name} comes back to {name}, so the org chart shows {name} at the top.
        </p>
      )}
    </nav>
  );
}
