// Generated hostile and odd inputs for the fuzz tests (tests/security/fuzz.test.ts and
// e2e/fuzz.spec.ts): person references and query strings, each tagged with what the app must
// make of it. Deterministic per seed.

import { seededRandom as prng } from '@/lib/demo-zulip/org/random';

export type RefKind = 'member' | 'unknown' | 'malformed';
export interface FuzzRef {
  /** The raw path segment as it would appear in a URL (already percent-encoded where needed). */
  segment: string;
  kind: RefKind;
}


const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

/** Strings no user id or email can be; each must be refused (400) or found to be no one (404). */
const NASTY = [
  '..',
  '.',
  '..%2f..%2fmessages',
  '..%2F..%2Fmessages',
  '%2e%2e%2f%2e%2e%2fmessages',
  '..%5c..%5cmessages',
  'me',
  'ME',
  '%20me%20',
  '%00',
  'a%00b',
  '%0d%0aSet-Cookie:%20x=1',
  '%E0%A4%A',
  '%',
  '%zz',
  '%C0%AF',
  '%ED%A0%80',
  '%F0%9F%92',
  'a%2Fb',
  'users%2F10%2Fpresence',
  '10%2F..%2F11',
  '10%3Fx%3D1',
  '10%23frag',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
  "'%20OR%201%3D1--",
  '%E2%80%AEadmin',
  '%EF%BB%BF10',
  '%F0%9F%98%80',
  '%D9%85%D8%AD%D9%85%D8%AF',
  '-1',
  '1e3',
  '0x10',
  '1.5',
  '99999999999999999999999',
  '%20',
  '%09',
  '~',
  'null',
  'undefined',
  'constructor',
  '__proto__',
  'hasOwnProperty',
];

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789.-_@+%/\\?#&=~ \u0000\u0007\u001b\u007f\u202e\u200b\u00e9\u4e2d\ud83d\ude00<>"\'`';

function randomText(r: () => number, maxLength: number): string {
  const length = Math.floor(r() * maxLength);
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)]!;
  return s;
}

/** As a URL path segment: percent-encoded, except that some inputs are left raw on purpose. */
function asSegment(r: () => number, text: string): string {
  return r() < 0.7 ? encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) : text.replace(/[/?#\s\u0000-\u001f\u007f]/g, '');
}

export function fuzzRefs(seed: number, count: number, members: { ids: number[]; emails: string[] }): FuzzRef[] {
  const r = prng(seed);
  const out: FuzzRef[] = [];
  for (let i = 0; i < count; i++) {
    const roll = r();
    if (roll < 0.08) out.push({ segment: String(pick(r, members.ids)), kind: 'member' });
    else if (roll < 0.12) out.push({ segment: encodeURIComponent(pick(r, members.emails)), kind: 'member' });
    else if (roll < 0.2) out.push({ segment: String(900_000 + Math.floor(r() * 99_999)), kind: 'unknown' });
    else if (roll < 0.25) out.push({ segment: encodeURIComponent(`nobody${i}@example.com`), kind: 'unknown' });
    else if (roll < 0.55) {
      const base = pick(r, NASTY);
      // (Whitespace around a valid reference is trimmed, as Zulip does: "10%20" is person 10.)
      const combine = r() >= 0.5 && !/^%(20|09)$/.test(base);
      out.push({ segment: combine ? `${pick(r, ['', '10', 'a'])}${base}${pick(r, ['', '10', '%2F'])}` : base, kind: 'malformed' });
    } else if (roll < 0.65) {
      // Far longer than any email address.
      out.push({ segment: 'a'.repeat(255 + Math.floor(r() * 3000)), kind: 'malformed' });
    } else {
      // Led by a letter, so it can never be a user id ("037" is person 37).
      const text = `z${randomText(r, 40)}`;
      const segment = asSegment(r, text);
      out.push({ segment: segment === '' ? '%20' : segment, kind: 'malformed' });
    }
  }
  return out;
}

/** Query strings for the directory (`/` and /api/people): mostly wrong, some right. */
export function fuzzQueries(seed: number, count: number): string[] {
  const r = prng(seed);
  const keys = ['q', 'department', 'office', 'status', 'sort', 'offset', 'limit', 'since', 'x', 'Q', 'q[]', '__proto__', '', '%00', 'q%00'];
  const values = ['', 'ada', 'reachable', 'active', 'any', 'name', '0', '1', '-1', '1e9', 'NaN', '%00', '%0a', '%E0%A4%A', '%', '%2F..%2F..%2Fmessages', '<script>', '%E2%80%AE', '%F0%9F%98%80'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const pairs = Math.floor(r() * 4);
    const parts: string[] = [];
    for (let p = 0; p < pairs; p++) {
      const key = pick(r, keys);
      const roll = r();
      const value = roll < 0.6 ? pick(r, values) : roll < 0.8 ? asSegment(r, randomText(r, 30)) : 'x'.repeat(150 + Math.floor(r() * 2000));
      parts.push(r() < 0.1 ? key : `${key}=${value}`);
    }
    out.push(parts.join(pick(r, ['&', '&', '&', ';', '&&'])));
  }
  return out;
}
