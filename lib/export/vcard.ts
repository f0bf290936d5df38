// vCard 4.0 (RFC 6350), written the way the RFC says a producer writes it. Pure: the routes
// (app/people/[ref]/vcard, app/export/people.vcf) send what this returns.
//
// - Lines end in CRLF (§3.2) and are folded so that no line is longer than 75 octets: a CRLF
//   and one space are put before the octet that would pass the limit, never inside a multi-octet
//   UTF-8 character (§3.2 says such a character must stay whole).
// - In text values, backslash, comma, semicolon and line breaks are escaped as \\ \, \; \n
//   (§3.4). Comma and semicolon are escaped in every text value, compound or not: the RFC lets a
//   reader unescape them anywhere, and escaping in one place only is how cards go wrong.
// - URIs (PHOTO, URL, UID) are not text and are not backslash-escaped; the few characters that
//   would end or split a value (comma, semicolon, backslash, white space) are percent-encoded
//   instead, which leaves an http(s) address meaning the same.

export interface VCardInput {
  /** The name as the person writes it (FN, required by the RFC). */
  fullName: string;
  /** N: family and given names (§6.2.2); the rest of N's five components are left empty. */
  name: { family: string; given: string };
  title?: string | null;
  /** ORG's components: the organization, then the unit (the department). Empty ones are dropped from the end. */
  org?: ReadonlyArray<string | null | undefined>;
  email?: string | null;
  /** An IANA zone name ("Europe/Berlin"), as a text value (§6.5.1). */
  timeZone?: string | null;
  /** PHOTO, as a URI (§6.2.4). */
  photoUrl?: string | null;
  /** URL: where this person's page is (§6.7.8). */
  url?: string | null;
  /** UID (§6.7.6): the same person gets the same one, so importing twice updates rather than duplicates. */
  uid?: string | null;
  note?: string | null;
}

const CRLF = '\r\n';
/** RFC 6350 §3.2: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break." */
export const MAX_LINE_OCTETS = 75;
const TEXT_SPECIALS = /[\\,;\r\n]/;
const URI_SPECIALS = /[,;\\\s"]/;

/** A text value with \ , ; and line breaks escaped (§3.4). */
export function escapeText(value: string): string {
  // Most values have nothing to escape: one test instead of two replacements.
  if (!TEXT_SPECIALS.test(value)) return value;
  return value.replace(/[\\,;]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

/** A URI as a property value: characters that would end or split it percent-encoded. */
export function uriValue(uri: string): string {
  return URI_SPECIALS.test(uri) ? uri.replace(/[,;\\\s"]/g, (c) => encodeURIComponent(c)) : uri;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * One content line folded at 75 octets (CRLF + space), CRLF at the end. Most lines are short
 * and ASCII, and are returned as they are; a long ASCII line is cut every 75 (then 74) characters;
 * only a long line with other characters is encoded, cut at byte offsets moved back to the start
 * of a character (a UTF-8 continuation byte is 10xxxxxx), and decoded piece by piece. No loop
 * runs per character: the vCard export writes ~20 lines per person.
 */
export function foldLine(line: string): string {
  // A UTF-16 code unit is at most 3 octets: up to 25 units always fit.
  if (line.length <= 25) return line + CRLF;
  if (ASCII_ONLY.test(line)) {
    if (line.length <= MAX_LINE_OCTETS) return line + CRLF;
    const pieces = [line.slice(0, MAX_LINE_OCTETS)];
    // A continuation line starts with the space, which counts.
    for (let at = MAX_LINE_OCTETS; at < line.length; at += MAX_LINE_OCTETS - 1) pieces.push(line.slice(at, at + MAX_LINE_OCTETS - 1));
    return pieces.join(`${CRLF} `) + CRLF;
  }
  const bytes = encoder.encode(line);
  if (bytes.length <= MAX_LINE_OCTETS) return line + CRLF;
  const pieces: string[] = [];
  for (let start = 0, room = MAX_LINE_OCTETS; start < bytes.length; room = MAX_LINE_OCTETS - 1) {
    let end = Math.min(start + room, bytes.length);
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    pieces.push(decoder.decode(bytes.subarray(start, end)));
    start = end;
  }
  return pieces.join(`${CRLF} `) + CRLF;
}

/**
 * N's family and given names from a full name. Zulip has one name field, so this is a guess
 * used only for sorting in address books: the last word is taken as the family name (one word
 * is a given name). FN carries the name exactly as written.
 */
export function splitName(fullName: string): { family: string; given: string } {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return { family: '', given: words[0] ?? '' };
  return { family: words.at(-1)!, given: words.slice(0, -1).join(' ') };
}

/** One VCARD, from BEGIN to END, every line folded and CRLF-terminated. */
export function vcard(card: VCardInput): string {
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', `FN:${escapeText(card.fullName)}`];
  lines.push(`N:${[card.name.family, card.name.given, '', '', ''].map(escapeText).join(';')}`);
  const org = trimEnd((card.org ?? []).map((part) => part ?? ''));
  if (org.length > 0) lines.push(`ORG:${org.map(escapeText).join(';')}`);
  if (card.title) lines.push(`TITLE:${escapeText(card.title)}`);
  if (card.email) lines.push(`EMAIL:${escapeText(card.email)}`);
  if (card.timeZone) lines.push(`TZ:${escapeText(card.timeZone)}`);
  if (card.photoUrl) lines.push(`PHOTO:${uriValue(card.photoUrl)}`);
  if (card.url) lines.push(`URL:${uriValue(card.url)}`);
  if (card.uid) lines.push(`UID:${uriValue(card.uid)}`);
  if (card.note) lines.push(`NOTE:${escapeText(card.note)}`);
  lines.push('END:VCARD');
  return lines.map(foldLine).join('');
}

function trimEnd(parts: string[]): string[] {
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end--;
  return parts.slice(0, end);
}
