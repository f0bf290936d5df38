import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import type { PeopleQuery } from '@/lib/directory/domain/types';

// What a downloaded file is called: it says what is in it (the UI guide's example is
// acme-directory-design-2026-11-30.csv): the organization, "directory", the view's filters and
// search, and the day it was made. Pure; the routes put the result in Content-Disposition.

const PART_MAX = 40;
/** The view's order and paging say nothing about who is in the file. */
const NOT_CONTENT = new Set(['sort', 'offset', 'limit']);
/** Known filters first, in the order the page shows them; any filter added later follows, by name. */
const FILTER_ORDER = ['department', 'office', 'team', 'status', 'q'];

/**
 * A file-name part: lower case, accents dropped, every run of other characters one hyphen.
 * Letters of any script are kept whole: only the accents of Latin and Greek letters are dropped,
 * since elsewhere a mark is part of the letter (Devanagari "प्रिया", kana "ガ", Cyrillic "й").
 */
export function slugPart(value: string, max = PART_MAX): string {
  const slug = value
    .normalize('NFKD')
    .replace(/([\p{Script=Latin}\p{Script=Greek}])\p{M}+/gu, '$1')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return [...slug].slice(0, max).join('').replace(/-+$/, '');
}

/** A filter value given as an id (a team) in words, or null to name it by its id ("team-12"). */
export type FilterLabel = (key: string, id: number) => string | null;

/**
 * Labels for id filters from the view's facets, by the filter's name in the plural: `team: 12`
 * is named by the entry `{id: 12, name}` of `facets.teams`, as the page's own filter shows it.
 */
export function facetLabels(facets: object): FilterLabel {
  return (key, id) => {
    const list: unknown = (facets as Record<string, unknown>)[`${key}s`];
    if (!Array.isArray(list)) return null;
    const entry: unknown = list.find((f: unknown) => typeof f === 'object' && f !== null && (f as { id?: unknown }).id === id);
    const name = (entry as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' ? name : null;
  };
}

/** The parts of a view that say who is in it: each filter and the search, when not the default. */
export function filterParts(query: PeopleQuery, label: FilterLabel = () => null): string[] {
  const defaults = DEFAULT_PEOPLE_QUERY as unknown as Record<string, unknown>;
  const rank = (key: string) => (FILTER_ORDER.includes(key) ? FILTER_ORDER.indexOf(key) : FILTER_ORDER.length);
  const words = (key: string, value: unknown): string | null => {
    if (NOT_CONTENT.has(key) || value === defaults[key]) return null;
    if (typeof value === 'string') return value.trim() === '' ? null : value;
    if (typeof value === 'number' && Number.isFinite(value)) return label(key, value) ?? `${key}-${value}`;
    return null;
  };
  return (Object.entries(query) as Array<[string, unknown]>)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([key, value]) => words(key, value))
    .filter((w): w is string => w !== null)
    .map((w) => slugPart(w))
    .filter(Boolean);
}

/** YYYY-MM-DD (UTC). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** "acme-directory-design-2026-11-30.csv" */
export function viewFileName(orgName: string, query: PeopleQuery, date: Date, extension: 'csv' | 'vcf', label?: FilterLabel): string {
  return [slugPart(orgName), 'directory', ...filterParts(query, label), isoDay(date)].filter(Boolean).join('-') + `.${extension}`;
}

/** "ana-diaz.vcf"; "person-12.vcf" when the name has no letters or digits. */
export function personFileName(name: string, id: number): string {
  return `${slugPart(name, 60) || `person-${id}`}.vcf`;
}

/**
 * `attachment` with the name (RFC 6266): `filename` in ASCII for every client, and `filename*`
 * in UTF-8 (RFC 8187) when the name has other letters, which current browsers prefer.
 */
export function attachmentDisposition(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
  const asciiStem = stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[-.]+|-+$/g, '') || 'export';
  const fallback = asciiStem + extension.replace(/[^A-Za-z0-9.]/g, '');
  if (fallback === fileName) return `attachment; filename="${fileName}"`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
