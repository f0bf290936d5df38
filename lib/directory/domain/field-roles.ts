import { PROFILE_FIELD_TYPE } from '@/lib/directory/domain/field-types';
import type { FieldDefinition } from '@/lib/directory/domain/types';

/** Which custom profile fields play the well-known directory roles. */
export interface FieldRoles {
  title: number | null;
  department: number | null;
  office: number | null;
  pronouns: number | null;
  manager: number | null;
  /** Text read as working hours (docs/architecture.md §18). */
  workingHours: number | null;
}

// Zulip organizations name their fields freely, so roles are recognised by name (in a few
// common spellings) and type. The first matching field in Zulip's display order wins.
const NAME_PATTERNS: Record<Exclude<keyof FieldRoles, 'pronouns' | 'manager' | 'workingHours'>, RegExp> = {
  title: /^(job )?(title|role|position)$/i,
  department: /^(department|dept\.?|team|division)$/i,
  office: /^(office|location|site|city)$/i,
};
const MANAGER_PATTERN = /^(manager|reports to|supervisor|line manager|lead)$/i;
// English, German, French, Spanish, Portuguese (README "Availability"); accents optional.
const WORKING_HOURS_PATTERN =
  /^(working hours|work hours|office hours|business hours|hours|arbeitszeit(en)?|b(ü|u)rozeit(en)?|sprechzeit(en)?|gesch(ä|a)ftszeit(en)?|horaires?( de travail| de bureau)?|heures de (travail|bureau)|horario( laboral| de trabajo| de oficina)?|horas de trabajo|hor(á|a)rio( de trabalho| comercial)?|horas de trabalho|expediente)$/i;

export function detectFieldRoles(fields: FieldDefinition[]): FieldRoles {
  const ordered = [...fields].sort((a, b) => a.order - b.order);
  const first = (test: (f: FieldDefinition) => boolean) => ordered.find(test)?.id ?? null;
  const textual = (f: FieldDefinition) =>
    f.type === PROFILE_FIELD_TYPE.SHORT_TEXT || f.type === PROFILE_FIELD_TYPE.SELECT;
  return {
    title: first((f) => textual(f) && NAME_PATTERNS.title.test(f.name.trim())),
    department: first((f) => textual(f) && NAME_PATTERNS.department.test(f.name.trim())),
    office: first((f) => textual(f) && NAME_PATTERNS.office.test(f.name.trim())),
    pronouns:
      first((f) => f.type === PROFILE_FIELD_TYPE.PRONOUNS) ??
      first((f) => f.type === PROFILE_FIELD_TYPE.SHORT_TEXT && /^pronouns$/i.test(f.name.trim())),
    manager: first((f) => f.type === PROFILE_FIELD_TYPE.USER && MANAGER_PATTERN.test(f.name.trim())),
    workingHours: first(
      (f) => (textual(f) || f.type === PROFILE_FIELD_TYPE.LONG_TEXT) && WORKING_HOURS_PATTERN.test(f.name.normalize('NFC').trim()),
    ),
  };
}
