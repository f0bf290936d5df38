'use client';

import { useDisclosure } from '@/components/ui/use-disclosure';
import { AppLink } from '@/components/ui/app-link';
import { CopyLinkButton } from '@/components/person/copy-link-button';
import type { Profile } from '@/lib/directory/domain/service-types';

const actionBase =
  'inline-flex min-h-11 items-center rounded-md border px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent sm:min-h-0 sm:py-1.5';
const action = `${actionBase} border-line hover:bg-surface-sunken max-sm:w-full max-sm:border-0 max-sm:rounded-none`;
const primaryAction = `${actionBase} border-accent bg-accent text-accent-ink hover:underline`;

/**
 * A mailto: link to the address as Zulip accepts it (an apostrophe, `&`, `%` or `/` included):
 * each part percent-encoded (RFC 6068), so nothing in it adds parameters (?cc=…) or changes the scheme.
 */
function mailto(address: string): string {
  const at = address.lastIndexOf('@');
  return `mailto:${encodeURIComponent(address.slice(0, at))}@${encodeURIComponent(address.slice(at + 1))}`;
}

/**
 * What one can do about a person. From `sm` up, a row of buttons; on a phone, the one that
 * matters most ("Message in Zulip") and the rest behind "More" (a disclosure: a button that
 * shows a list of links, which Escape, a click elsewhere or focus moving away close again).
 */
export function ProfileActions({ person, links }: { person: Profile['person']; links: Profile['links'] }) {
  const { open, toggle, buttonRef, rootProps } = useDisclosure();

  return (
    <nav aria-label="Actions" className="flex flex-wrap items-start gap-2">
      <a href={links.message} className={primaryAction} target="_blank" rel="noopener noreferrer">
        Message in Zulip
      </a>
      <div {...rootProps} className="relative sm:contents">
        <button
          ref={buttonRef}
          type="button"
          aria-expanded={open}
          aria-controls="profile-more-actions"
          onClick={toggle}
          className={`${actionBase} gap-1 border-line hover:bg-surface-sunken sm:hidden`}
        >
          More
          <svg aria-hidden="true" viewBox="0 0 12 12" className={`h-3 w-3 ${open ? 'rotate-180' : ''}`}>
            <path d="M2 4l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.5" />
          </svg>
        </button>
        <ul
          id="profile-more-actions"
          className={`${open ? 'flex' : 'hidden'} absolute left-0 z-20 mt-1 min-w-56 flex-col divide-y divide-line rounded-md border border-line bg-surface-raised shadow-lg sm:contents`}
        >
          {links.open && (
            <li className="sm:contents">
              <a href={links.open} className={action} target="_blank" rel="noopener noreferrer">
                Open in Zulip
              </a>
            </li>
          )}
          <li className="sm:contents">
            <CopyLinkButton path={`/people/${person.id}`} className={action} />
          </li>
          <li className="sm:contents">
            <AppLink href={`/org?focus=${person.id}`} className={action}>
              View in org chart
            </AppLink>
          </li>
          <li className="sm:contents">
            <a href={`/people/${person.id}/vcard`} download className={action}>
              Add to contacts (vCard)
            </a>
          </li>
          {person.email?.includes('@') && (
            <li className="sm:contents">
              <a href={mailto(person.email)} className={`${action} min-w-0 max-w-full`}>
                <span className="truncate">Email {person.email}</span>
              </a>
            </li>
          )}
        </ul>
      </div>
    </nav>
  );
}
