// Decoding of URL paths and form values the way Zulip's stack (nginx + Django) does it, so the
// demo server routes and echoes path values exactly like a real server, and never throws on
// malformed input.

const HEX = /^[0-9A-Fa-f]{2}$/;

/** Percent-decodes to bytes; invalid escapes (`%zz`, a lone `%`) stay literal, like Python's unquote. */
function percentDecodeToBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '%' && HEX.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    const code = text.codePointAt(i)!;
    if (code > 0xffff) i++;
    for (const b of Buffer.from(String.fromCodePoint(code), 'utf8')) out.push(b);
  }
  return Uint8Array.from(out);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Length of the UTF-8 sequence announced by a lead byte, or 0 if it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Decodes bytes as UTF-8; bytes that are not part of a valid sequence are written back as `%XX`
 * (Django's `repercent_broken_unicode`), so a broken path is still a path, never an exception.
 */
function decodeUtf8Repercenting(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // fall through to the byte-by-byte repair below
  }
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const len = sequenceLength(bytes[i]!);
    if (len > 0 && i + len <= bytes.length) {
      try {
        out += strictUtf8.decode(bytes.subarray(i, i + len));
        i += len;
        continue;
      } catch {
        // invalid continuation bytes: re-percent the lead byte below
      }
    }
    out += '%' + bytes[i]!.toString(16).toUpperCase().padStart(2, '0');
    i++;
  }
  return out;
}

/** Decodes a raw request path once, as Django's PATH_INFO: `%2F` becomes `/`, broken bytes stay `%XX`. */
export function decodePath(rawPath: string): string {
  return decodeUtf8Repercenting(percentDecodeToBytes(rawPath));
}

/** Decodes one `application/x-www-form-urlencoded` component: `+` is a space; bad UTF-8 becomes U+FFFD (Django's QueryDict). */
export function decodeFormComponent(text: string): string {
  const bytes = percentDecodeToBytes(text.replace(/\+/g, ' '));
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/**
 * Python's `int(str)`: surrounding whitespace, an optional sign and single underscores between
 * digits are accepted. Returns null where Python raises ValueError. Zulip's presence endpoint uses
 * exactly this to decide whether a path value is a user ID or an email.
 */
export function pythonInt(text: string): number | null {
  const trimmed = text.replace(/^[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x1c-\x1f]+|[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x1c-\x1f]+$/g, '');
  if (!/^[+-]?[0-9]+(_[0-9]+)*$/.test(trimmed)) return null;
  const value = Number(trimmed.replace(/_/g, ''));
  return Number.isSafeInteger(value) ? value : null;
}
