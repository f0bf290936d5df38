// Names of days and months in the languages the availability readers know (English, German,
// French, Spanish, Portuguese; docs/architecture.md §18), folded as text.ts folds text.

import { foldText } from '@/lib/directory/domain/availability/text';

/** 0 Sunday … 6 Saturday: full names, and abbreviations too long to be ordinary words. */
const WEEKDAY_NAMES: ReadonlyArray<readonly string[]> = [
  ['sunday', 'sun', 'sonntag', 'dimanche', 'domingo'],
  ['monday', 'mon', 'montag', 'lundi', 'lunes', 'segunda', 'segunda-feira'],
  ['tuesday', 'tue', 'tues', 'dienstag', 'mardi', 'martes', 'terça', 'terça-feira'],
  ['wednesday', 'wed', 'mittwoch', 'mercredi', 'miércoles', 'quarta', 'quarta-feira'],
  ['thursday', 'thu', 'thur', 'thurs', 'donnerstag', 'jeudi', 'jueves', 'quinta', 'quinta-feira'],
  ['friday', 'fri', 'freitag', 'vendredi', 'viernes', 'sexta', 'sexta-feira'],
  ['saturday', 'sat', 'samstag', 'sonnabend', 'samedi', 'sábado'],
];

/** Short forms written in working hours ("Mo-Fr", "lun-ven", "seg-sex"): too short to read in free text. */
const WEEKDAY_SHORT: ReadonlyArray<readonly string[]> = [
  ['su', 'so', 'dim', 'dom'],
  ['mo', 'lun', 'seg'],
  ['tu', 'di', 'mar', 'ter'],
  ['we', 'mi', 'mer', 'mié', 'qua'],
  ['th', 'do', 'jeu', 'jue', 'qui'],
  ['fr', 'ven', 'vie', 'sex'],
  ['sa', 'sam', 'sáb'],
];

/** 1 January … 12 December. */
const MONTH_NAMES: ReadonlyArray<readonly string[]> = [
  ['january', 'jan', 'januar', 'janvier', 'janv', 'enero', 'ene', 'janeiro'],
  ['february', 'feb', 'februar', 'février', 'févr', 'fév', 'febrero', 'fevereiro', 'fev'],
  ['march', 'mar', 'märz', 'mär', 'mars', 'marzo', 'março'],
  ['april', 'apr', 'avril', 'avr', 'abril', 'abr'],
  ['may', 'mai', 'mayo', 'maio'],
  ['june', 'jun', 'juni', 'juin', 'junio', 'junho'],
  ['july', 'jul', 'juli', 'juillet', 'juil', 'julio', 'julho'],
  ['august', 'aug', 'août', 'agosto', 'ago'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre', 'setiembre', 'setembro', 'set'],
  ['october', 'oct', 'oktober', 'okt', 'octobre', 'octubre', 'outubro', 'out'],
  ['november', 'nov', 'novembre', 'noviembre', 'novembro'],
  ['december', 'dec', 'dezember', 'dez', 'décembre', 'diciembre', 'dic', 'dezembro'],
];

function lookup(table: ReadonlyArray<readonly string[]>, base: number): Map<string, number> {
  const map = new Map<string, number>();
  table.forEach((names, i) => names.forEach((name) => map.set(foldText(name), i + base)));
  return map;
}

/** Folded weekday name → 0 (Sunday) … 6. */
export const WEEKDAYS = lookup(WEEKDAY_NAMES, 0);
/** The same plus the short forms of working-hours values. */
export const WEEKDAYS_AND_SHORT = new Map([...WEEKDAYS, ...lookup(WEEKDAY_SHORT, 0)]);
/** Folded month name → 1 … 12. */
export const MONTHS = lookup(MONTH_NAMES, 1);

/**
 * The month names read before a day ("Dec 20"): not the short forms that are English words ("out
 * 2-3 days", "set 5 goals", "ago"). Portuguese and Spanish write the day first ("5 out", "5 de
 * agosto"), where they are still read.
 */
export const MONTHS_BEFORE_DAY = new Map([...MONTHS].filter(([name]) => !['out', 'set', 'ago'].includes(name)));
