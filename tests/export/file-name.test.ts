// What downloaded files are called (lib/export/file-name.ts), and the Content-Disposition that carries it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { attachmentDisposition, facetLabels, filterParts, personFileName, slugPart, viewFileName } from '@/lib/export/file-name';
import type { PeopleQuery } from '@/lib/directory/domain/types';

const DAY = new Date('2026-11-30T23:59:00Z');
const view = (changes: Partial<PeopleQuery>): PeopleQuery => ({ ...DEFAULT_PEOPLE_QUERY, ...changes });

describe('file names', () => {
  it('say the organization, the filters and the day (the UI guide’s example)', () => {
    expect(viewFileName('Acme', view({ department: 'Design' }), DAY, 'csv')).toBe('acme-directory-design-2026-11-30.csv');
    expect(viewFileName('Acme', view({}), DAY, 'vcf')).toBe('acme-directory-2026-11-30.vcf');
  });

  it('name every filter and the search, in the page’s order, but not the order or the page', () => {
    const query = view({ q: 'ana', department: 'Customer Success', office: 'São Paulo', status: 'reachable', sort: 'name', offset: 50, limit: 10 });
    expect(viewFileName('Acme Corp.', query, DAY, 'csv')).toBe('acme-corp-directory-customer-success-sao-paulo-reachable-ana-2026-11-30.csv');
  });

  it('take in every filter the query has, naming a team by its name (from the view’s facets) or by its id', () => {
    const withTeam = { ...view({ department: 'Design' }), team: 12 } as PeopleQuery;
    const facets = { departments: ['Design'], offices: [], teams: [{ id: 7, name: 'Web' }, { id: 12, name: 'Platform Reliability' }] };
    expect(filterParts(withTeam, facetLabels(facets))).toEqual(['design', 'platform-reliability']);
    expect(viewFileName('Acme', withTeam, DAY, 'csv', facetLabels(facets))).toBe('acme-directory-design-platform-reliability-2026-11-30.csv');
    expect(filterParts(withTeam)).toEqual(['design', 'team-12']);
    expect(filterParts({ ...withTeam, team: null })).toEqual(['design']);
    // A filter added later still says what it chose, without this code knowing it.
    const laterStill = { ...view({}), building: 'North Wing', floor: 3 } as unknown as PeopleQuery;
    expect(filterParts(laterStill)).toEqual(['north-wing', 'floor-3']);
  });

  it('keep letters of any script, drop accents, and cut long parts', () => {
    expect(slugPart('Équipe Produit')).toBe('equipe-produit');
    expect(slugPart('東京 オフィス')).toBe('東京-オフィス');
    expect(slugPart('../../etc/passwd')).toBe('etc-passwd');
    expect(slugPart('x'.repeat(100)).length).toBe(40);
    expect(slugPart('"; rm -rf /')).toBe('rm-rf');
    // A mark that is part of the letter stays: vowel signs, kana's voicing marks, Hangul (kept composed).
    expect(slugPart('प्रिया शर्मा')).toBe('प्रिया-शर्मा');
    expect(slugPart('สมชาย ใจดี')).toBe('สมชาย-ใจดี');
    expect(slugPart('ゲーム ガイド')).toBe('ゲーム-ガイド');
    expect(slugPart('김민준')).toBe('김민준');
    expect(slugPart('Ελένη Παπαδοπούλου')).toBe('ελενη-παπαδοπουλου');
    expect(slugPart('Nguyễn Thị Ánh')).toBe('nguyen-thi-anh');
    expect(slugPart('Андрей Йорк')).toBe('андрей-йорк');
  });

  it('name one person’s card after them', () => {
    expect(personFileName('Ana María Díaz', 12)).toBe('ana-maria-diaz.vcf');
    expect(personFileName('🙂', 12)).toBe('person-12.vcf');
  });
});

describe('Content-Disposition (RFC 6266)', () => {
  it('is an attachment with the name in quotes', () => {
    expect(attachmentDisposition('acme-directory-2026-11-30.csv')).toBe('attachment; filename="acme-directory-2026-11-30.csv"');
  });

  it('adds the UTF-8 name (RFC 8187) beside an ASCII one when the name has other letters', () => {
    expect(attachmentDisposition('東京-directory-2026-11-30.csv')).toBe(
      `attachment; filename="directory-2026-11-30.csv"; filename*=UTF-8''${encodeURIComponent('東京-directory-2026-11-30.csv')}`,
    );
    expect(attachmentDisposition('王伟.vcf')).toBe(`attachment; filename="export.vcf"; filename*=UTF-8''${encodeURIComponent('王伟.vcf')}`);
  });

  it('never lets a value break out of the header', () => {
    const header = attachmentDisposition(viewFileName('Acme"\r\nSet-Cookie: x=1', view({ q: '"; filename=evil.exe' }), DAY, 'csv'));
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe('attachment; filename="acme-set-cookie-x-1-directory-filename-evil-exe-2026-11-30.csv"');
  });
});
