// Free-text profile values people write about themselves: GitHub handles, pronouns, bios,
// personal sites. Realistically sparse and varied, including text that must be HTML-escaped.

import type { CultureKey, Gender, GeneratedName } from './names';
import { slugify } from './names';
import type { Rng } from './random';

export function githubHandle(rng: Rng, name: GeneratedName): string {
  const g = slugify(name.givenLatin).replace(/-/g, '');
  const f = slugify(name.familyLatin).replace(/-/g, '');
  const digits = String(rng.int(1, 99));
  const forms = f
    ? [`${g}${f}`, `${g[0] ?? ''}${f}`, `${g}-${f}`, `${g}${f}${digits}`, `${f}${g[0] ?? ''}`, `${g}${f[0] ?? ''}`]
    : [`${g}${digits}`, `${g}-dev`, `the-${g}`];
  const handle = (rng.pick(forms) || `user${digits}`).slice(0, 39).replace(/^-+|-+$/g, '');
  // Some people keep the capitals they typed when they signed up; GitHub is case-insensitive.
  return rng.chance(0.15) ? handle.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase()) : handle;
}

export function pronounsFor(rng: Rng, gender: Gender): string {
  if (gender === 'x') return rng.pick(['they/them', 'they/them', 'any pronouns', 'ze/hir']);
  if (rng.chance(0.06)) return gender === 'f' ? 'she/they' : 'he/they';
  return gender === 'f' ? 'she/her' : 'he/him';
}

const PAST = [
  'Previously at a fintech startup in Berlin.',
  'Before joining I spent six years in consulting.',
  'I moved over from our customer support team.',
  'I used to teach high-school physics.',
  'Came to tech from architecture.',
  'Started here as an intern and never left.',
  'Ex-journalist, recovering perfectionist.',
  'Previously ran a small bakery, which explains the sourdough.',
];
const INTERESTS = [
  'Ask me about sourdough, climbing, or Rust.',
  'Outside work: trail running and terrible puns.',
  'Happy to chat about accessibility & inclusive design.',
  'I collect vinyl and mechanical keyboards.',
  'Currently learning Portuguese, slowly.',
  'Board games on Fridays, join us!',
  'I write about <html> & CSS on weekends.',
  'Parent of two, owner of one very loud cat.',
  'Marathon runner (slow), cyclist (slower).',
  'Always up for a coffee chat about careers in tech.',
  'Amateur astronomer; ask me what is up tonight.',
];
const CLOSERS = [
  'DM me any time, I am happy to help.',
  "If I'm idle, I'm probably in a meeting; leave a message.",
  'Talk to me about:\nhiring, onboarding, and how we run interviews.',
  'Office hours: Tuesdays 14:00-15:00 in my timezone.',
];
const NATIVE_GREETINGS: Partial<Record<CultureKey, string>> = {
  ja: 'よろしくお願いします！',
  zh: '很高兴认识大家！',
  ko: '잘 부탁드립니다!',
  ru: 'Всем привет!',
  ua: 'Всім привіт!',
  ar: 'يسعدني التعرف عليكم!',
  he: 'שלום לכולם!',
  el: 'Χαίρετε!',
  hi: 'नमस्ते!',
  th: 'ยินดีที่ได้รู้จักครับ/ค่ะ',
  vi: 'Rất vui được làm quen!',
  pt: 'Olá a todos!',
  es: '¡Hola a todos!',
  de: 'Hallo zusammen!',
  fr: 'Bonjour à tous !',
};

export function bioFor(rng: Rng, culture: CultureKey, title: string, office: string): string {
  const opening = office === 'Remote' ? `${title}, working remotely.` : `${title} in our ${office} office.`;
  const first = [opening];
  if (rng.chance(0.5)) first.push(rng.pick(PAST));
  first.push(rng.pick(INTERESTS));
  const greeting = NATIVE_GREETINGS[culture];
  if (greeting && rng.chance(0.3)) first.unshift(greeting);
  let bio = first.join(' ');
  // Some bios run to a second paragraph.
  if (rng.chance(0.35)) bio += `\n\n${rng.pick(CLOSERS)}`;
  return bio;
}

export function personalWebsite(rng: Rng, name: GeneratedName): string {
  const g = slugify(name.givenLatin).replace(/-/g, '');
  const f = slugify(name.familyLatin).replace(/-/g, '');
  const base = f ? `${g}${f}` : g;
  return rng.pick([`https://${base}.example/`, `https://blog.${base}.example/`, `https://www.${base}.example/about`]);
}
