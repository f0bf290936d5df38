// User statuses people set, mostly Zulip's own suggestions (web/src/user_status.ts), and how the
// simulation reads them: someone "On vacation" or "Out sick" is not at work, whatever the day.

import type { DemoUserStatus } from '../types';

const emoji = (status_text: string, emoji_name: string, emoji_code: string): DemoUserStatus => ({
  ...(status_text ? { status_text } : {}),
  emoji_name,
  emoji_code,
  reaction_type: 'unicode_emoji',
});

/** Relative frequencies; together they are given to ~15% of people. */
export const STATUSES: ReadonlyArray<readonly [DemoUserStatus, number]> = [
  // Zulip's own "Vacationing" and "Out sick" (docs/zulip.md §o), and absences with return dates.
  [emoji('Vacationing', 'palm_tree', '1f334'), 8],
  [emoji('On vacation, back on Monday', 'palm_tree', '1f334'), 5],
  [emoji('Urlaub bis Freitag', 'palm_tree', '1f334'), 3],
  [{ status_text: 'OOO until 14 Dec' }, 2],
  [{ status_text: 'De férias' }, 2],
  [emoji('Out sick', 'hurt', '1f915'), 6],
  [emoji('Parental leave', 'baby', '1f476'), 2],
  [emoji('In a meeting', 'calendar', '1f4c5'), 15],
  [emoji('Busy', 'working_on_it', '1f6e0'), 3],
  [emoji('Working remotely', 'house', '1f3e0'), 18],
  [emoji('At the office', 'office', '1f3e2'), 5],
  [emoji('Commuting', 'bus', '1f68c'), 3],
  [emoji('Focusing, replies may be slow', 'headphones', '1f3a7'), 8],
  [emoji('At a conference', 'microphone', '1f3a4'), 3],
  [emoji('', 'coffee', '2615'), 3],
  [emoji('', 'rocket', '1f680'), 2],
  [{ status_text: 'Back on Monday' }, 3],
  [{ status_text: 'Hiring! Ask me about open roles' }, 3],
  [{ status_text: 'On call this week' }, 4],
  [{ status_text: 'Half days this week' }, 2],
];

export type LeaveKind = 'vacation' | 'sick' | 'parental';

/** Whether a status says the person is away from work, and for what kind of absence. */
export function leaveKind(status: DemoUserStatus): LeaveKind | null {
  const text = (status.status_text ?? '').toLowerCase();
  if (status.emoji_name === 'baby' || text.includes('parental leave')) return 'parental';
  if (status.emoji_name === 'hurt' || text.includes('out sick')) return 'sick';
  if (
    status.emoji_name === 'palm_tree' ||
    /vacation|holiday|on leave|out of office|ooo|urlaub|férias|back on monday/.test(text)
  ) {
    return 'vacation';
  }
  return null;
}
