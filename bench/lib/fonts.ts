// Which of the demo organization's writing systems this machine has no font for. Chromium lays
// out a name in a script no installed font covers by asking fontconfig for a fallback every time
// (nothing to cache): measured here, 9 rows of such names took 3.6–4.4 ms to lay out against
// 0.7–1.1 ms with Debian's Noto fonts, and key → painted at 2,000 people p95 was about 6 ms higher
// (bench/README.md §5, round seven). A desktop has fonts for the names of its colleagues; a bare
// server often does not, so the figures say which it was.
import { execFileSync } from 'node:child_process';

/** The demo's non-Latin scripts by a language fontconfig knows (lib/demo-zulip/org/names.ts). */
const LANGUAGES = ['zh', 'ja', 'ko', 'hi', 'th', 'ar', 'he', 'el', 'ru'];

/** The languages with no font at all, or null when fontconfig is not there to ask. */
function languagesWithoutFont(): string[] | null {
  try {
    return LANGUAGES.filter((lang) => execFileSync('fc-list', [`:lang=${lang}`, 'family'], { encoding: 'utf8' }).trim() === '');
  } catch {
    return null;
  }
}

/** One line for a benchmark's output. */
export function fontCoverage(): string {
  const missing = languagesWithoutFont();
  if (missing === null) return 'fonts: unknown (no fc-list)';
  if (missing.length === 0) return "fonts: one for every script of the demo's names";
  return `fonts: none for ${missing.join(', ')}: names in those scripts lay out several times slower (Debian: fonts-noto-core fonts-noto-cjk)`;
}
