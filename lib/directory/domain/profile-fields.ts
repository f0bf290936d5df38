// How one custom profile field value is shown, per Zulip field type (docs/zulip.md §f). The result
// is plain JSON that components render as text nodes: Zulip's `rendered_value` HTML is never
// used, and nothing becomes a link unless it parses as an http(s) URL.

import { PROFILE_FIELD_TYPE } from '@/lib/directory/domain/field-types';
import { inertText } from '@/lib/directory/domain/safe-text';
import { isCalendarDate } from '@/lib/directory/domain/availability/zoned-time';

export type RenderedField =
  | { kind: 'text'; text: string }
  | { kind: 'paragraphs'; paragraphs: string[] }
  | { kind: 'option'; text: string }
  | { kind: 'date'; iso: string; text: string }
  | { kind: 'link'; href: string; text: string }
  /** `left`: deactivated in Zulip, named but not linked (as the org chart and reporting line show them). */
  | { kind: 'people'; people: Array<{ id: number; name: string | null; left: boolean }> }
  | { kind: 'external'; href: string; text: string };

export interface FieldForRender {
  id: number;
  type: number;
  name: string;
  field_data: string;
}

export interface RenderContext {
  /** Resolves a person-picker id (someone who left: `left`); undefined for someone the directory does not know. */
  lookup: (id: number) => { id: number; name: string; left?: boolean } | undefined;
  /** Unused on purpose: a date field is a calendar date and reads the same in every zone. */
  timeZone?: string;
}

const USERNAME_PLACEHOLDER = '%(username)s';

/**
 * Zulip's built-in external accounts (DEFAULT_EXTERNAL_ACCOUNTS in zerver/lib/external_accounts.py,
 * which register also sends as `realm_default_external_accounts`): fixed in Zulip's code, not set
 * per organization, so the directory knows them all. A subtype exists only in the versions that
 * define it, so the union of the versions' lists serves every version: GitHub and Twitter until
 * 11.x; 12.0-dev added the rest, and rewrote every "twitter" field as "x" (docs/zulip.md §f). An
 * empty pattern is plain text (Discord); the bare placeholder takes a whole address (Mastodon).
 */
const BUILT_IN_EXTERNAL_ACCOUNTS: Record<string, string> = {
  behance: 'https://www.behance.net/%(username)s',
  bitbucket: 'https://bitbucket.org/%(username)s',
  bluesky: 'https://bsky.app/profile/%(username)s',
  codeberg: 'https://codeberg.org/%(username)s',
  discord: '',
  dribbble: 'https://dribbble.com/%(username)s',
  facebook: 'https://www.facebook.com/%(username)s',
  github: 'https://github.com/%(username)s',
  gitlab: 'https://gitlab.com/%(username)s',
  instagram: 'https://www.instagram.com/%(username)s',
  linkedin: 'https://www.linkedin.com/in/%(username)s',
  mastodon: USERNAME_PLACEHOLDER,
  medium: 'https://%(username)s.medium.com',
  pinterest: 'https://www.pinterest.com/%(username)s',
  reddit: 'https://www.reddit.com/user/%(username)s',
  snapchat: 'https://www.snapchat.com/@%(username)s',
  threads: 'https://www.threads.com/@%(username)s',
  tiktok: 'https://www.tiktok.com/@%(username)s',
  twitch: 'https://www.twitch.tv/%(username)s',
  twitter: 'https://twitter.com/%(username)s',
  x: 'https://x.com/%(username)s',
  youtube: 'https://www.youtube.com/%(username)s',
};

/** How a value is shown; null when it shows nothing (long text of blanks, a person field of no one), so no label stands alone. */
export function renderFieldValue(field: FieldForRender, value: string, ctx: RenderContext): RenderedField | null {
  switch (field.type) {
    case PROFILE_FIELD_TYPE.LONG_TEXT: {
      const paragraphs = toParagraphs(value);
      return paragraphs.length > 0 ? { kind: 'paragraphs', paragraphs } : null;
    }
    case PROFILE_FIELD_TYPE.SELECT: {
      const options = parseOptionFieldData(field.field_data);
      // A key the options do not hold never gets here (to-person.ts drops it, as Zulip deletes it) unless the options cannot be read.
      return { kind: 'option', text: inertText(options[value]?.text ?? value) };
    }
    case PROFILE_FIELD_TYPE.DATE: {
      const date = parseCalendarDate(value);
      return date ? { kind: 'date', ...date } : text(value);
    }
    case PROFILE_FIELD_TYPE.URL: {
      const href = safeHttpUrl(value);
      return href ? { kind: 'link', href, text: value.trim() } : text(value);
    }
    case PROFILE_FIELD_TYPE.USER: {
      const ids = parseUserIds(value);
      if (!ids) return text(value);
      if (ids.length === 0) return null;
      return {
        kind: 'people',
        people: ids.map((id) => {
          const person = ctx.lookup(id);
          return { id, name: person?.name ?? null, left: person?.left ?? false };
        }),
      };
    }
    case PROFILE_FIELD_TYPE.EXTERNAL_ACCOUNT: {
      const username = value.trim();
      const pattern = externalAccountPattern(field.field_data);
      // "." and ".." are no one's name: in an address they would climb its path ("github.com/..").
      if (!pattern || username === '' || username === '.' || username === '..') return text(value);
      // A pattern that is the placeholder alone asks for the whole address; anywhere else the name
      // is one part of an address, so it cannot reach into the rest ("ana/../x").
      const href = safeHttpUrl(pattern === USERNAME_PLACEHOLDER ? username : pattern.split(USERNAME_PLACEHOLDER).join(encodeURIComponent(username)));
      return href ? { kind: 'external', href, text: username } : text(value);
    }
    // Short text, pronouns and any type this code does not know yet: the raw value as text.
    default:
      return text(value);
  }
}

function text(value: string): RenderedField {
  return { kind: 'text', text: value };
}

/** Long text as plain paragraphs: split on blank lines; single line breaks stay inside. */
export function toParagraphs(value: string): string[] {
  return value
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** The href for http(s) URLs only (after real URL parsing); null for javascript:, data:, junk. */
export function safeHttpUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** Option fields: `{"0":{"text":"Vim","order":"1"},…}`; {} when unparseable. */
export function parseOptionFieldData(fieldData: string): Record<string, { text: string; order: number }> {
  const out: Record<string, { text: string; order: number }> = {};
  const data = parseJsonObject(fieldData);
  if (!data) return out;
  for (const [key, option] of Object.entries(data)) {
    if (typeof option !== 'object' || option === null) continue;
    const { text: label, order } = option as Record<string, unknown>;
    if (typeof label !== 'string') continue;
    out[key] = { text: label, order: Number(order) || 0 };
  }
  return out;
}

/** External account fields: `{"subtype":"github"|"twitter"|"custom","url_pattern"?}`. */
export function parseExternalAccountFieldData(fieldData: string): { subtype: string; url_pattern?: string } | null {
  const data = parseJsonObject(fieldData);
  if (!data || typeof data.subtype !== 'string') return null;
  return typeof data.url_pattern === 'string'
    ? { subtype: data.subtype, url_pattern: data.url_pattern }
    : { subtype: data.subtype };
}

function externalAccountPattern(fieldData: string): string | null {
  const data = parseExternalAccountFieldData(fieldData);
  if (!data) return null;
  if (data.subtype === 'custom') return data.url_pattern ?? null;
  return (Object.hasOwn(BUILT_IN_EXTERNAL_ACCOUNTS, data.subtype) ? BUILT_IN_EXTERNAL_ACCOUNTS[data.subtype] : null) || null;
}

/** Person-picker values: JSON text of a list of user ids, e.g. "[11]", each once; null if not that. */
export function parseUserIds(value: string): number[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || !parsed.every((id) => Number.isSafeInteger(id) && id > 0)) return null;
  return [...new Set(parsed as number[])];
}

const LONG_DATE = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

/**
 * "2021-03-04" → { iso: "2021-03-04", text: "March 4, 2021" }. Parsed as a calendar date and
 * formatted in UTC, so no viewer's zone can shift it to the day before.
 */
export function parseCalendarDate(value: string): { iso: string; text: string } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Rejects 2021-02-30 and friends, which Date would silently roll over.
  if (!isCalendarDate(y, mo, d)) return null;
  return { iso: m[0], text: LONG_DATE.format(new Date(Date.UTC(y, mo - 1, d))) };
}

function parseJsonObject(s: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
