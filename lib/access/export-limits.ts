import { z } from 'zod';
import { ViewerSlots, wholeNumberSetting } from '@/lib/access/viewer-slots';

// Limits on the exports of a view (/export/people.csv, /export/people.vcf; README, "Exports").
// A file of 20,000 people is about a second of CPU to make and several megabytes to send, so:
// one viewer may download DIRECTORY_EXPORTS_PER_VIEWER at once and the server serves
// DIRECTORY_EXPORTS_MAX at once in all, beyond which the answer is a 429 with Retry-After; and no
// download holds its slot longer than DIRECTORY_EXPORT_MAX_SECONDS, nor EXPORT_STALL_SECONDS
// without the client taking a chunk (a client that never reads). Counted as
// lib/access/viewer-slots.ts counts. docs/architecture.md §15.

export interface ExportSettings {
  perViewer: number;
  total: number;
  maxSeconds: number;
}

/** A download whose client has taken nothing for this long is ended and its slot freed. */
export const EXPORT_STALL_SECONDS = 20;

const schema = z.object({
  perViewer: wholeNumberSetting('DIRECTORY_EXPORTS_PER_VIEWER', 1, 100, 2),
  total: wholeNumberSetting('DIRECTORY_EXPORTS_MAX', 1, 1000, 8),
  maxSeconds: wholeNumberSetting('DIRECTORY_EXPORT_MAX_SECONDS', 1, 3600, 300),
});

export function loadExportSettings(env: Partial<NodeJS.ProcessEnv>): { ok: true; settings: ExportSettings } | { ok: false; message: string } {
  const parsed = schema.safeParse({ perViewer: env.DIRECTORY_EXPORTS_PER_VIEWER, total: env.DIRECTORY_EXPORTS_MAX, maxSeconds: env.DIRECTORY_EXPORT_MAX_SECONDS });
  // Messages name the variable and the rule, never a value.
  return parsed.success ? { ok: true, settings: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'Invalid export settings' };
}

/** Downloads in progress, per viewer and in all. */
export class ExportSlots extends ViewerSlots<'too_many_exports', 'server_busy'> {
  constructor() {
    super({ perViewer: 'too_many_exports', total: 'server_busy' });
  }
}
