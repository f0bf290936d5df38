import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// `npm run serve` starts the built app with the Node flags it is meant to run with (package.json
// says which, and the README why). Tests and benchmarks start it through this, without npm in
// between, so what they measure is what `npm start` runs.

/** The arguments after `node` for `npm run serve`, plus `extra` (e.g. the port). */
export function serveArgs(extra: string[] = [], root = process.cwd()): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { serve: string } };
  // Plain words only: the script has no quoted arguments.
  const [node, ...args] = pkg.scripts.serve.split(/\s+/);
  if (node !== 'node') throw new Error(`package.json "serve" should start with node: ${pkg.scripts.serve}`);
  return [...args, ...extra];
}
