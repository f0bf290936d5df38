// The organization's custom profile fields: one of each of Zulip's eight types, with the ids a
// fresh Zulip server would assign in creation order. The simulation reads the Office field by id
// (to place people whose timezone is unset), hence the exported constants.

import { PROFILE_FIELD_TYPES as T, type DemoProfileField, type ProfileFieldType } from '../types';
import { DEPARTMENT_OPTIONS } from './departments';
import { OFFICES } from './offices';

export const FIELD_IDS = {
  title: 1,
  department: 2,
  office: 3,
  manager: 4,
  startDate: 5,
  github: 6,
  pronouns: 7,
  bio: 8,
  website: 9,
  workingHours: 10,
} as const;

/** `{"0":{"text":"Engineering","order":"1"},…}`: keys are the stored values. */
export function optionFieldData(options: readonly string[]): string {
  const data: Record<string, { text: string; order: string }> = {};
  options.forEach((text, i) => {
    data[String(i)] = { text, order: String(i + 1) };
  });
  return JSON.stringify(data);
}

function field(
  id: number,
  type: ProfileFieldType,
  name: string,
  hint: string,
  extra: Partial<DemoProfileField> = {},
): DemoProfileField {
  return {
    id,
    type,
    name,
    hint,
    field_data: '',
    order: id,
    display_in_profile_summary: false,
    required: false,
    editable_by_user: true,
    ...extra,
  };
}

export function buildProfileFields(companyShortName: string): DemoProfileField[] {
  // HR owns title, department, office, manager and start date; people edit the rest themselves.
  // Zulip allows at most two fields in the profile summary.
  const hr = { editable_by_user: false };
  return [
    field(FIELD_IDS.title, T.SHORT_TEXT, 'Title', 'Your job title', { ...hr, display_in_profile_summary: true }),
    field(FIELD_IDS.department, T.SELECT, 'Department', '', {
      ...hr,
      display_in_profile_summary: true,
      field_data: optionFieldData(DEPARTMENT_OPTIONS),
    }),
    field(FIELD_IDS.office, T.SELECT, 'Office', 'Where you usually work', {
      ...hr,
      field_data: optionFieldData(OFFICES.map((o) => o.name)),
    }),
    field(FIELD_IDS.manager, T.USER, 'Manager', 'Who you report to', hr),
    field(FIELD_IDS.startDate, T.DATE, 'Start date', `Your first day at ${companyShortName}`, hr),
    field(FIELD_IDS.github, T.EXTERNAL_ACCOUNT, 'GitHub', 'Your GitHub username', {
      field_data: JSON.stringify({ subtype: 'github' }),
    }),
    field(FIELD_IDS.pronouns, T.PRONOUNS, 'Pronouns', 'What pronouns should people use to refer to you?'),
    field(FIELD_IDS.bio, T.LONG_TEXT, 'Bio', 'A few words about yourself'),
    field(FIELD_IDS.website, T.URL, 'Personal website', ''),
    field(FIELD_IDS.workingHours, T.SHORT_TEXT, 'Working hours', 'e.g. Mon-Fri 09:00-17:00, in your own time zone'),
  ];
}
