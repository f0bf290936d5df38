import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveArgs } from '@/lib/server/serve-command';

describe('serveArgs', () => {
  it('starts next with the heap limit that keeps the server small under load (bench/README.md)', () => {
    const args = serveArgs(['-p', '3000']);
    expect(args[0]).toMatch(/^--max-old-space-size=\d+$/);
    expect(args.slice(-4)).toEqual(['node_modules/next/dist/bin/next', 'start', '-p', '3000']);
  });

  it('refuses a serve script that does not start with node', () => {
    const root = mkdtempSync(join(tmpdir(), 'serve-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { serve: 'next start' } }));
    expect(() => serveArgs([], root)).toThrow(/should start with node/);
  });
});
