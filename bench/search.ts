// Search latency on a 20,000-person synthetic organization: `npx tsx bench/search.ts`.
// Prints numbers only (no pass/fail); the target is p95 < 10 ms per query.
import { buildSearchIndex, search, type SearchDoc } from '../lib/directory/search';

const PEOPLE = 20_000;
const QUERIES = 1_000;

// A small deterministic PRNG so runs are comparable.
let seed = 42;
function rand(): number {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

const FIRST = ['Ana', 'José', 'Müller', 'Zoë', 'Łukasz', 'Søren', 'Chloé', 'Björn', 'Ngozi', 'Priya', 'Wei', 'Olumide',
  'François', 'Dmitri', 'Aiko', 'Mateus', 'Fatima', 'Hiroshi', 'Ingrid', 'Kwame', 'Lena', 'Omar', 'Sven', 'Yara',
  '太郎', '花子', 'Даша', 'Σοφία', 'Nguyễn', 'Ahmet', 'Brigitte', 'Carlos', 'Dana', 'Elif', 'Gustav', 'Hana'];
const LAST = ['Souza', 'García', 'Müller', 'Ødegaard', 'Kowalski', 'Smith', 'Okafor', 'Sharma', 'Zhang', 'Dubois',
  'Ivanova', 'Tanaka', 'Silva', 'Haddad', 'Yamamoto', 'Andersen', 'Mensah', 'Fischer', 'Hassan', 'Novak',
  '山田', '佐藤', 'Петров', 'Παπαδόπουλος', 'Trần', 'Yılmaz', 'Weiß', "O'Brien", 'van der Berg', 'López'];
const TITLES = ['Software Engineer', 'Product Manager', 'Designer', 'Data Scientist', 'Account Executive',
  'Support Specialist', 'Recruiter', 'Finance Analyst', 'Office Manager', 'Staff Engineer'];
const DEPARTMENTS = ['Engineering', 'Design', 'Sales', 'Support', 'Finance', 'People', 'Marketing', 'Legal'];
const OFFICES = ['Berlin', 'São Paulo', 'Kraków', 'Tokyo', 'Lagos', 'Remote', 'New York', 'Zürich'];

const docs: SearchDoc[] = [];
for (let id = 1; id <= PEOPLE; id++) {
  const name = `${pick(FIRST)} ${pick(LAST)}`;
  docs.push({
    id,
    name,
    fields: [`user${id}@example.com`, pick(TITLES), pick(DEPARTMENTS), pick(OFFICES)],
  });
}

const t0 = performance.now();
const index = buildSearchIndex(docs);
const buildMs = performance.now() - t0;

// A mix of what people type: one letter, prefixes, accent-free spellings, full names,
// two tokens, fields, scripts, and misses.
const queries: string[] = [];
const SHAPES: Array<() => string> = [
  () => pick('abcdefghijklmnopqrstuvwxyz'.split('')),
  () => pick(FIRST).slice(0, 2 + Math.floor(rand() * 3)),
  () => pick(['jose', 'muller', 'zoe', 'lukasz', 'soren', 'chloe', 'bjorn', 'weiss', 'odegaard', 'yilmaz']),
  () => `${pick(FIRST)} ${pick(LAST)}`,
  () => `${pick(FIRST).slice(0, 3)} ${pick(LAST).slice(0, 2)}`,
  () => pick(DEPARTMENTS).toLowerCase(),
  () => `${pick(TITLES).split(' ')[0]} ${pick(OFFICES)}`,
  () => pick(['山田', '太郎', 'дарья', 'σοφ', 'nguyen']),
  () => `user${Math.floor(rand() * PEOPLE)}`,
  () => pick(['xyzzy', 'qqq', 'zz top']),
];
for (let i = 0; i < QUERIES; i++) queries.push(pick(SHAPES)());

// Warm up the JIT as a long-running server would be.
for (const q of queries.slice(0, 100)) search(index, q);

const times: number[] = [];
let hits = 0;
for (const q of queries) {
  const start = performance.now();
  hits += search(index, q).length;
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;

console.log(`docs: ${PEOPLE}, queries: ${QUERIES}, mean hits/query: ${(hits / QUERIES).toFixed(0)}`);
console.log(`build: ${buildMs.toFixed(1)} ms`);
console.log(`search p50: ${at(0.5).toFixed(2)} ms  p95: ${at(0.95).toFixed(2)} ms  max: ${times[times.length - 1]!.toFixed(2)} ms`);
