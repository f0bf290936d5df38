// What a Zulip status says about reaching someone: out (away from work, maybe with a return
// date), busy (at work, occupied: still reachable), or nothing. Read only from the documented
// lists (status-words.ts, docs/zulip.md §o); never a guess beyond them.

import { BACK_FROM_WORDS, BUSY_WORDS, LEADING_OUT_WORDS, NOW_WORDS, OUT_WORDS, ZULIP_DEFAULT_STATUSES } from '@/lib/directory/domain/availability/status-words';
import { readRange, readReturnHint, readStartDate } from '@/lib/directory/domain/availability/return-date';
import type { CalendarHint, ReturnHint } from '@/lib/directory/domain/availability/return-day';
import { foldText, WORD_END, WORD_START, wordsPattern } from '@/lib/directory/domain/availability/text';

export interface StatusMeaning {
  kind: 'out' | 'busy';
  /** What to show: the status text as the person wrote it, or Zulip's words for an emoji-only status. */
  reason: string;
  /** Out only: the return date the text names, unresolved (return-date.ts); null when unknown. */
  returns: ReturnHint | null;
  /** Out only: that date is the last day away ("until Friday"), not the day back ("back on Monday"). */
  lastDay: boolean;
  /** Out only: the day the absence starts, when said ahead of time with a date ("OOO from 22 Dec"); null: now. */
  starts: CalendarHint | null;
}

/** Spaces in a listed phrase match a hyphen too: "Licença-maternidade", "out-of-office". */
const words = (lists: readonly (readonly string[])[]) => new RegExp(`${WORD_START}(?:${wordsPattern(lists.flat(), '[\\s-]+')})${WORD_END}`, 'u');
const OUT = words([...Object.values(OUT_WORDS), ZULIP_DEFAULT_STATUSES.out.map((s) => s.text)]);
/**
 * At the start of the status or of a clause (after a comma, semicolon, bracket, slash, bar, a dash
 * with a space before it, an emoji, or "I'm"): LEADING_OUT_WORDS. Not after a colon ("v2.0: out
 * today") nor a hyphen in a word ("roll-out until Friday").
 */
const LEADING_OUT = new RegExp(`(?:^|\\s-\\s*|[,;(/|\\p{Extended_Pictographic}]\\s*|${WORD_START}i'?m\\s+|${WORD_START}i am\\s+)(?:${wordsPattern(LEADING_OUT_WORDS)})${WORD_END}`, 'u');
const BUSY = words([...Object.values(BUSY_WORDS), ZULIP_DEFAULT_STATUSES.busy.map((s) => s.text)]);
const BACK_FROM = words([BACK_FROM_WORDS]);
const NOW = words([NOW_WORDS]);
/** Where a clause ends: a comma, semicolon, bracket, slash, bar or a dash with a space before it (as LEADING_OUT). */
const CLAUSE_END = /[,;()/|]|\s-\s/u;

/** A clause before `at` says an absence now: an out word and a now word in it ("Out sick today; PTO Dec 22-23"). */
function outNowBefore(folded: string, at: number): boolean {
  return folded
    .slice(0, at)
    .split(CLAUSE_END)
    .map((clause) => clause.trim())
    .some((clause) => NOW.test(clause) && (OUT.test(clause) || LEADING_OUT.test(clause)));
}
/** What only an absence has, for a busy status. */
const NOT_OUT = { returns: null, lastDay: false, starts: null } as const;
const emojiMeaning = new Map<string, { kind: 'out' | 'busy'; text: string }>([
  ...ZULIP_DEFAULT_STATUSES.out.map((s) => [s.emojiName, { kind: 'out' as const, text: s.text }] as const),
  ...ZULIP_DEFAULT_STATUSES.busy.map((s) => [s.emojiName, { kind: 'busy' as const, text: s.text }] as const),
]);

/**
 * A status's meaning. The text decides when it says something (out before busy: "Out sick,
 * in meetings from Monday" is out); an emoji of Zulip's own absence or busy statuses decides
 * when the text says nothing of either. A status saying an absence is over ("back from
 * vacation") is not out; in a status that also says an absence, "back from" a date is a return
 * ("OOO, back from 5 Jan").
 */
export function statusMeaning(status: { text: string | null; emojiName: string | null } | null): StatusMeaning | null {
  if (!status) return null;
  const text = status.text ?? '';
  const folded = foldText(text);
  const absent = OUT.test(folded) || LEADING_OUT.test(folded);
  const hinted = readReturnHint(folded, absent);
  // "OOO, back from 5 Jan" (from: starting on) names a return; "back from vacation" says it is over.
  const back = BACK_FROM.test(folded) && !hinted?.announcesAbsence;
  const returnHint = back ? null : hinted;
  // Read only for a status that is out: the start and a range are the readings the others need not.
  const out = (reason: string): StatusMeaning => {
    // A start or a range after a clause saying an absence now is a later absence, and so is any
    // return named after it: "Out sick today; PTO Dec 22-23" and "Sick today; OOO from 22 Dec,
    // back 5 Jan" are out now ("Out sick today, back Monday" is back on Monday).
    const found = readRange(folded);
    const start = readStartDate(folded);
    const later = Math.min(...[found, start].flatMap((date) => (date && outNowBefore(folded, date.at) ? [date.at] : [])));
    const returns = returnHint && returnHint.at < later ? returnHint : null;
    // A range is the absence's own days when no other date comes before it: "OOO Dec 20 - Jan 3,
    // back Jan 5" starts on 20 Dec; "OOO until Jan 5 (no laptop Dec 24-26)" is out now.
    const range = found && found.at < later && (!returns || found.at <= returns.at) ? found : null;
    return {
      kind: 'out',
      reason,
      returns: returns?.hint ?? range?.last ?? null,
      lastDay: returns ? !returns.announcesAbsence : range !== null,
      starts: (start && start.at < later ? start.hint : null) ?? range?.first ?? null,
    };
  };
  if (!back && (absent || returnHint?.announcesAbsence)) return out(text);
  if (BUSY.test(folded)) return { kind: 'busy', reason: text, ...NOT_OUT };
  const byEmoji = status.emojiName ? emojiMeaning.get(status.emojiName) : undefined;
  if (!byEmoji || (byEmoji.kind === 'out' && back)) return null;
  return byEmoji.kind === 'out' ? out(text || byEmoji.text) : { kind: 'busy', reason: text || byEmoji.text, ...NOT_OUT };
}
