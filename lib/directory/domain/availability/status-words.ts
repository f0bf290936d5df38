// What a Zulip status means for reaching someone: the documented lists the status reader uses,
// and nothing beyond them (docs/zulip.md §o). Words are compared folded (text.ts): no case, no
// accents, whole words only.

/**
 * Zulip's own suggested statuses (the web app's `default_status_messages_and_emoji_info`,
 * web/src/user_status_ui.ts, docs/zulip.md §o): the status text, and the emoji it comes with.
 * "Commuting", "Working remotely" and "At the office" say where someone is, not whether they
 * can be reached, so they are neither out nor busy.
 */
export const ZULIP_DEFAULT_STATUSES = {
  out: [
    { text: 'Out sick', emojiName: 'hurt' },
    { text: 'Vacationing', emojiName: 'palm_tree' },
  ],
  busy: [
    { text: 'Busy', emojiName: 'working_on_it' },
    { text: 'In a meeting', emojiName: 'calendar' },
  ],
} as const;

/**
 * Words and phrases in status text that say someone is away from work, by language. A word with
 * another common sense is listed only in the phrases that mean leave ("de licencia", not
 * "licencia": a licence; "de permiso", not "permiso": a permission).
 */
export const OUT_WORDS: Readonly<Record<'en' | 'de' | 'fr' | 'es' | 'pt', readonly string[]>> = {
  en: [
    'out of office', 'out of the office', 'ooo', 'ooto', 'pto', 'on leave', 'annual leave', 'parental leave',
    'maternity leave', 'paternity leave', 'sick leave', 'sick', 'out sick', 'off sick', 'holiday', 'holidays',
    'vacation', 'vacationing', 'on vacation', 'day off', 'off today', 'off work', 'away from work', 'sabbatical',
  ],
  de: [
    'abwesend', 'außer haus', 'nicht im büro', 'urlaub', 'im urlaub', 'krank', 'krankgeschrieben', 'elternzeit',
    'mutterschutz', 'feiertag', 'freier tag',
  ],
  fr: [
    'absent', 'absente', 'hors du bureau', 'congé', 'congés', 'en congé', 'congé parental', 'congé maternité',
    'congé paternité', 'vacances', 'en vacances', 'malade', 'arrêt maladie', 'férié', 'jour férié',
  ],
  es: [
    'fuera de la oficina', 'ausente', 'vacaciones', 'de vacaciones', 'de baja', 'baja médica', 'baja por maternidad',
    'baja por paternidad', 'de permiso', 'permiso de maternidad', 'permiso de paternidad', 'permiso por maternidad',
    'permiso por paternidad', 'de licencia', 'con licencia', 'licencia médica', 'licencia de maternidad',
    'licencia de paternidad', 'licencia por maternidad', 'licencia por paternidad', 'licencia por enfermedad',
    'enfermo', 'enferma', 'festivo', 'día libre',
  ],
  pt: [
    'fora do escritório', 'ausente', 'férias', 'de férias', 'de licença', 'em licença', 'licença médica',
    'licença maternidade', 'licença paternidade',
    'doente', 'de atestado', 'feriado', 'folga', 'de folga',
  ],
};

/**
 * "Out" and "away" say an absence only when they say when, and only where the status starts, or
 * a clause of it ("Out until Monday", "Travelling, away this week", "I'm out today"): alone they
 * have other senses ("checked out", "away from keyboard"), and mid-sentence too ("rolling out until
 * Friday"). English only.
 */
export const LEADING_OUT_WORDS: readonly string[] = [
  'out today', 'out this week', 'out for the day', 'out for the week', 'out until', 'out till', 'out through',
  'away today', 'away this week', 'away for the day', 'away for the week', 'away until', 'away till',
];

/**
 * Words that put an absence in the present ("Out sick today", "Krank heute"). In the clause of an
 * out word, before a start or a range, they say that date is a later absence, not this one's
 * ("Out sick today; PTO Dec 22-23" is out now).
 */
export const NOW_WORDS: readonly string[] = [
  'today', 'this week', 'heute', 'diese woche', "aujourd'hui", 'cette semaine', 'hoy', 'esta semana', 'hoje',
];

/** Words and phrases that say someone is at work but occupied: reachable, shown as busy. */
export const BUSY_WORDS: Readonly<Record<'en' | 'de' | 'fr' | 'es' | 'pt', readonly string[]>> = {
  en: ['busy', 'in a meeting', 'in meetings', 'in a call', 'on a call', 'on the phone', 'presenting', 'do not disturb', 'dnd', 'focusing', 'heads down'],
  de: ['beschäftigt', 'im meeting', 'in einem meeting', 'in besprechung', 'in einer besprechung', 'im termin', 'im gespräch', 'nicht stören'],
  fr: ['occupé', 'occupée', 'en réunion', 'en rendez-vous', 'en appel', 'ne pas déranger'],
  es: ['ocupado', 'ocupada', 'en una reunión', 'en reunión', 'reunido', 'reunida', 'en una llamada', 'no molestar'],
  pt: ['ocupado', 'ocupada', 'em reunião', 'em uma reunião', 'numa reunião', 'em chamada', 'não perturbe'],
};

/**
 * Phrases that say an absence is over ("back from vacation"): a status holding one is not read
 * as out, whatever other word it holds.
 */
export const BACK_FROM_WORDS: readonly string[] = [
  'back from', 'returned from', 'zurück aus', 'zurück vom', 'zurück von', 'de retour de', 'de retour du',
  'de vuelta de', 'de vuelta del', 'de volta de', 'de volta do', 'de volta da',
];
