import { renderToString } from 'react-dom/server';
import { AppRouterContext, type AppRouterInstance } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import { describe, expect, it } from 'vitest';
import { ProfileActions } from '@/components/person/profile-actions';
import type { Profile } from '@/lib/directory/domain/service-types';

const router = { push() {}, replace() {}, refresh() {}, back() {}, forward() {}, prefetch() {} } as unknown as AppRouterInstance;
const links = { message: 'https://chat.example.com/#narrow/dm/7', open: null };

/** The profile's email action: its link and its words, or null when there is none. */
function emailAction(email: string | null): { href: string; text: string } | null {
  // Only what the actions read of a person.
  const person = { id: 7, email } as Profile['person'];
  const html = renderToString(
    <AppRouterContext.Provider value={router}>
      <ProfileActions person={person} links={links} />
    </AppRouterContext.Provider>,
  );
  const match = /<a href="(mailto:[^"]*)"[^>]*>(.*?)<\/a>/.exec(html);
  const unescape = (text: string) => text.replace(/<[^>]*>/g, '').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
  return match ? { href: unescape(match[1]!), text: unescape(match[2]!) } : null;
}

describe('the profile’s email action', () => {
  it('shows every address Zulip accepts, an apostrophe, & or / included, each part percent-encoded in the link', () => {
    expect(emailAction('ana@example.com')).toEqual({ href: 'mailto:ana@example.com', text: 'Email ana@example.com' });
    expect(emailAction("sean.o'brien@example.com")).toEqual({ href: "mailto:sean.o'brien@example.com", text: "Email sean.o'brien@example.com" });
    // Nothing in an address adds a parameter (?cc=) or another recipient to the mail.
    expect(emailAction('a&b/c%d?cc=x@example.com')?.href).toBe('mailto:a%26b%2Fc%25d%3Fcc%3Dx@example.com');
  });

  it('is not there without an address the viewer may see', () => {
    expect(emailAction(null)).toBeNull();
  });
});
