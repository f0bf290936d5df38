// Where people work. Each office has a timezone and a mix of cultures, so that the Tokyo office
// is mostly Japanese names in Asia/Tokyo and a remote worker in Asia/Ho_Chi_Minh is likely
// Vietnamese. The order of OFFICES is the order of the Office field's options.

import type { CultureKey } from './names';

type CultureMix = Partial<Record<CultureKey, number>>;

export interface Office {
  name: string;
  /** null for Remote: each remote worker has their own zone. */
  timezone: string | null;
  weight: number;
  cultures: CultureMix;
}

export interface RemoteZone {
  timezone: string;
  weight: number;
  cultures: CultureMix;
  /** Local working week where it is not Monday to Friday. */
  workDays?: number[];
}

// A cosmopolitan mix for the big hubs: anybody may have moved there.
const HUB: CultureMix = {
  en: 10, es: 2, pt: 1, de: 1, fr: 1, it: 1, ga: 1, zh: 2, ko: 1, ja: 0.5, in: 2, hi: 1, ru: 0.5,
  ar: 0.5, he: 0.5, vi: 0.5, ng: 1, pl: 0.5, ua: 0.5, el: 0.3, tr: 0.3, nl: 0.3, nordic: 0.3,
};

export const OFFICES: readonly Office[] = [
  { name: 'New York', timezone: 'America/New_York', weight: 16, cultures: HUB },
  { name: 'San Francisco', timezone: 'America/Los_Angeles', weight: 12, cultures: { ...HUB, zh: 4, in: 4, ko: 1.5, vi: 1 } },
  { name: 'London', timezone: 'Europe/London', weight: 9, cultures: { ...HUB, en: 8, in: 2, ga: 1.5, pl: 1 } },
  { name: 'Lisbon', timezone: 'Europe/Lisbon', weight: 9, cultures: { pt: 8, es: 1.5, en: 1, fr: 1, de: 0.5, ua: 0.5, it: 0.5, in: 0.3 } },
  { name: 'Berlin', timezone: 'Europe/Berlin', weight: 9, cultures: { de: 7, tr: 1.5, pl: 1, ru: 1, ua: 0.7, en: 1, fr: 0.5, nordic: 0.7, nl: 0.5, el: 0.5, ar: 0.5, it: 0.5 } },
  { name: 'São Paulo', timezone: 'America/Sao_Paulo', weight: 8, cultures: { pt: 9, es: 1, it: 0.7, ja: 0.5, ar: 0.3, de: 0.3 } },
  { name: 'Bengaluru', timezone: 'Asia/Kolkata', weight: 10, cultures: { in: 8, hi: 4 } },
  { name: 'Tokyo', timezone: 'Asia/Tokyo', weight: 5, cultures: { ja: 9, ko: 0.5, zh: 0.5, en: 0.5 } },
  { name: 'Sydney', timezone: 'Australia/Sydney', weight: 4, cultures: { en: 7, zh: 1, vi: 0.7, el: 0.7, in: 0.5, it: 0.5, ko: 0.3 } },
  { name: 'Nairobi', timezone: 'Africa/Nairobi', weight: 3, cultures: { ke: 9, ng: 0.5, in: 0.5, en: 0.3 } },
  { name: 'Remote', timezone: null, weight: 15, cultures: {} },
];

export const REMOTE_ZONES: readonly RemoteZone[] = [
  { timezone: 'America/Chicago', weight: 6, cultures: { en: 6, es: 1, pl: 0.5 } },
  { timezone: 'America/Denver', weight: 3, cultures: { en: 5, es: 1 } },
  { timezone: 'America/Toronto', weight: 3, cultures: { en: 5, fr: 2, zh: 1, in: 1 } },
  { timezone: 'America/Mexico_City', weight: 3, cultures: { es: 1 } },
  { timezone: 'America/Bogota', weight: 2, cultures: { es: 1 } },
  { timezone: 'America/Argentina/Buenos_Aires', weight: 2, cultures: { es: 5, it: 1 } },
  { timezone: 'America/St_Johns', weight: 0.5, cultures: { en: 3, ga: 1 } },
  { timezone: 'Europe/Dublin', weight: 2, cultures: { ga: 3, en: 1, pl: 0.5 } },
  { timezone: 'Europe/Madrid', weight: 2, cultures: { es: 1 } },
  { timezone: 'Europe/Paris', weight: 2, cultures: { fr: 5, ar: 1 } },
  { timezone: 'Europe/Amsterdam', weight: 2, cultures: { nl: 5, tr: 0.5, en: 0.5 } },
  { timezone: 'Europe/Stockholm', weight: 1.5, cultures: { nordic: 1 } },
  { timezone: 'Atlantic/Reykjavik', weight: 0.5, cultures: { nordic: 1 } },
  { timezone: 'Europe/Warsaw', weight: 2.5, cultures: { pl: 1 } },
  { timezone: 'Europe/Kyiv', weight: 2, cultures: { ua: 4, ru: 1 } },
  { timezone: 'Europe/Riga', weight: 0.7, cultures: { ru: 1 } },
  { timezone: 'Europe/Athens', weight: 1.5, cultures: { el: 1 } },
  { timezone: 'Europe/Istanbul', weight: 1.5, cultures: { tr: 1 } },
  { timezone: 'Asia/Jerusalem', weight: 1, cultures: { he: 1 }, workDays: [0, 1, 2, 3, 4] },
  { timezone: 'Africa/Cairo', weight: 1, cultures: { ar: 1 }, workDays: [0, 1, 2, 3, 4] },
  { timezone: 'Asia/Dubai', weight: 1, cultures: { ar: 2, in: 1, hi: 1 } },
  { timezone: 'Africa/Lagos', weight: 2, cultures: { ng: 1 } },
  { timezone: 'Asia/Kathmandu', weight: 0.5, cultures: { hi: 1 } },
  { timezone: 'Asia/Ho_Chi_Minh', weight: 2, cultures: { vi: 1 } },
  { timezone: 'Asia/Bangkok', weight: 1, cultures: { th: 1 } },
  { timezone: 'Asia/Jakarta', weight: 1.5, cultures: { id: 1 } },
  { timezone: 'Asia/Singapore', weight: 1, cultures: { zh: 2, in: 1, id: 0.5 } },
  { timezone: 'Asia/Shanghai', weight: 1, cultures: { zh: 1 } },
  { timezone: 'Asia/Seoul', weight: 1.5, cultures: { ko: 1 } },
  { timezone: 'Pacific/Auckland', weight: 1, cultures: { en: 1 } },
];

/** The timezone a person's office implies; Remote has none. */
export function officeTimezone(index: number): string | null {
  return OFFICES[index]?.timezone ?? null;
}
