// Text from Zulip is shown as text (React escapes it; nothing is ever inserted as HTML), but a few
// invisible characters still act on what surrounds them. Bidirectional embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069) can make "Mallory\u202Egnp.exe" read as
// "Malloryexe.png" and reorder the text after it; C0/C1 control characters can hide text or
// break layout. They are removed from every string the directory shows, so a name reads as the
// characters it is made of. Right-to-left names need none of them (the Unicode bidi algorithm
// orders Arabic or Hebrew by itself), and the directional marks LRM, RLM and ALM, which only
// nudge neutral characters, are kept.

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
// C0 controls except tab and line feed (long text keeps its lines), DEL, and C1 controls.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** The text with bidi embeddings/overrides/isolates and control characters removed. */
export function inertText(value: string): string {
  return value.replace(BIDI_CONTROLS, '').replace(CONTROLS, '');
}

/** inertText for values that may be absent. */
export function inertOptional<T extends string | null | undefined>(value: T): T {
  return (typeof value === 'string' ? inertText(value) : value) as T;
}
