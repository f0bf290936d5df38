// Small statistics and table printing for the benchmarks.

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p of the samples at or below it.
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function median(values: number[]): number {
  return percentile(values, 0.5);
}

export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export type Row = Record<string, string | number>;

/** Prints rows as a Markdown table (so results paste straight into bench/README.md). */
export function printTable(title: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined) => (v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n### ${title}\n`);
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(columns.map((c) => cell(r[c]))));
}

/** One table row of a distribution: its sample count, p50, p95 and max. */
export function distributionRow(name: string, values: number[], unit: string): Row {
  return {
    measure: name,
    samples: values.length,
    p50: `${fmt(percentile(values, 0.5), 2)} ${unit}`,
    p95: `${fmt(percentile(values, 0.95), 2)} ${unit}`,
    max: `${fmt(Math.max(...values), 2)} ${unit}`,
  };
}

/** "met" / "NOT met" for a target row. */
export function verdict(ok: boolean): string {
  return ok ? 'met' : 'NOT met';
}

/** The most calls in any `windowMs` window (Zulip's rate limit counts a sliding minute). */
export function maxWindow(entries: Array<{ time: string }>, windowMs = 60_000): number {
  const times = entries.map((e) => Date.parse(e.time)).sort((a, b) => a - b);
  let max = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo++;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}
