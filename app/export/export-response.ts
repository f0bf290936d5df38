import 'server-only';
import { EXPORT_STALL_SECONDS, type ExportSettings } from '@/lib/access/export-limits';
import { requestOrigin } from '@/lib/access/request-origin';
import type { PeopleQuery, PersonRow } from '@/lib/directory/domain/types';
import { UTF8_BOM } from '@/lib/export/csv';
import { attachmentDisposition, facetLabels, viewFileName } from '@/lib/export/file-name';
import { csvHead, personCsvRecord, personVCard, type ExportContext } from '@/lib/export/people-export';
import { chunkTexts, type Rendering } from '@/lib/export/rendering';
import type { RouteCall } from '@/lib/server/api-route';
import { apiError } from '@/lib/server/api-response';
import { getExportSource } from '@/lib/server/directory-service';

// The two exports of a directory view (/export/people.csv, /export/people.vcf): the directory's
// own address query, read by the same entry of lib/http/routes.ts as the page and /api/people (so
// every filter it learns applies here too), the viewer checked as every route checks it
// (lib/server/api-route.ts), a slot taken (lib/access/export-limits.ts), and the file streamed
// from the cache of files already made (lib/export/rendering-cache.ts). docs/architecture.md §15.

const FORMATS = {
  csv: { type: 'text/csv; charset=utf-8; header=present', head: () => UTF8_BOM + csvHead(), render: personCsvRecord },
  vcf: { type: 'text/vcard; charset=utf-8', head: () => '', render: personVCard },
} as const;
type Format = keyof typeof FORMATS;

/** How long a refused client is asked to wait: about what a 20,000-person download takes. */
const RETRY_AFTER_SECONDS = 10;

const TOO_MANY = {
  too_many_exports: 'You are already downloading as many exports as you may at once; try again when one has finished.',
  server_busy: 'The directory is making as many exports as it may at once; try again in a few seconds.',
} as const;


export function downloadHeaders(type: string, fileName: string): HeadersInit {
  return { 'Content-Type': type, 'Content-Disposition': attachmentDisposition(fileName), 'Cache-Control': 'no-store' };
}

/** The file's name: the organization, the view and today's date (the app's clock, UTC: the viewer's zone is the browser's). */
function fileNameOf(orgName: string, query: PeopleQuery, format: Format, facets: Parameters<typeof facetLabels>[0], nowMs: number): string {
  return viewFileName(orgName, query, new Date(nowMs), format, facetLabels(facets));
}

/** The people of a view, each read only when the file reaches them. */
function* people(ids: readonly number[], row: (id: number) => PersonRow | null): Generator<PersonRow> {
  for (const id of ids) {
    const person = row(id);
    if (person) yield person;
  }
}

/**
 * What a file is made from, as a cache key: the format, the view (paging aside), the versions it
 * depends on, and where its links point. Presence counts only when the file shows it (the CSV's
 * column) or the view chooses or orders by it; the minute, when availability does.
 */
function fileKey(format: Format, query: PeopleQuery, source: Awaited<ReturnType<typeof getExportSource>>, origin: string, nowMs: number): string {
  const { q, department, office, team, status, sort } = query;
  const presence = (format === 'csv' && !source.presenceDisabled) || status !== 'any' || sort === 'reachable' ? source.versions.presence : null;
  // Who is reachable or out also moves with the clock (working hours, return dates; docs/architecture.md §18): such a view is made again each minute.
  const minute = status === 'reachable' || status === 'out' || sort === 'reachable' ? Math.floor(nowMs / 60_000) : null;
  return JSON.stringify([format, origin, source.org.name, source.presenceDisabled, source.versions.people, source.versions.teams, presence, minute, q, department, office, team ?? null, status, sort]);
}

/** A download of `rendering` that ends when the client leaves, stalls, or outlasts DIRECTORY_EXPORT_MAX_SECONDS; `release` runs once when it ends. */
function boundedDownload(rendering: Rendering, request: Request, settings: ExportSettings, release: () => void): ReadableStream<Uint8Array> {
  const ended = new AbortController();
  const endWith = (message: string) => () => ended.abort(new Error(message));
  const lifetime = setTimeout(endWith('The download took longer than the directory allows.'), settings.maxSeconds * 1000);
  let stall: ReturnType<typeof setTimeout> | undefined;
  const onLeave = endWith('The client left.');
  request.signal.addEventListener('abort', onLeave);
  if (request.signal.aborted) onLeave();
  return rendering.download({
    signal: ended.signal,
    onRead: () => {
      clearTimeout(stall);
      stall = setTimeout(endWith('The client stopped reading.'), EXPORT_STALL_SECONDS * 1000);
    },
    onEnd: () => {
      clearTimeout(lifetime);
      clearTimeout(stall);
      request.signal.removeEventListener('abort', onLeave);
      release();
    },
  });
}

/** GET /export/people.{csv,vcf}?q=&department=&…: everyone the view matches, unpaged, in its order. */
export async function exportView({ request, query, viewer, app }: RouteCall<'/export/people.csv' | '/export/people.vcf'>, format: Format): Promise<Response> {
  const loaded = app.settings.exports;
  if (!loaded.ok) return apiError(503, 'export_misconfigured', `Exports are turned off until their settings are fixed: ${loaded.message}.`);
  const { head, render, type } = FORMATS[format];
  // Next answers HEAD with this handler and sends no body: nothing would ever read a download, and
  // its slot would be held until DIRECTORY_EXPORT_MAX_SECONDS. The headers alone, and no slot.
  if (request.method === 'HEAD') {
    const source = await getExportSource(app);
    return new Response(null, { headers: downloadHeaders(type, fileNameOf(source.org.name, query, format, source.match(query).facets, app.clock.now())) });
  }
  const slot = app.exportSlots.acquire(viewer ? `person:${viewer.id}` : null, loaded.settings);
  if (!slot.ok) return apiError(429, slot.code, TOO_MANY[slot.code], { 'Retry-After': String(RETRY_AFTER_SECONDS) });
  try {
    const source = await getExportSource(app);
    const origin = requestOrigin(request, app.settings.access);
    const { rendering, meta } = app.exportCache.get(fileKey(format, query, source, origin, app.clock.now()), () => {
      const matching = source.match(query);
      const context: ExportContext = { orgName: source.org.name, origin, realmUrl: source.org.realmUrl, presenceDisabled: source.presenceDisabled, managerNames: matching.managerNames };
      return { texts: chunkTexts(people(matching.ids, matching.row), (person) => render(person, context), head()), meta: { facets: matching.facets } };
    });
    const body = boundedDownload(rendering, request, loaded.settings, slot.release);
    return new Response(body, { headers: downloadHeaders(type, fileNameOf(source.org.name, query, format, meta.facets, app.clock.now())) });
  } catch (error) {
    // The wrapper answers with the one error shape; the slot is this function's to give back.
    slot.release();
    throw error;
  }
}
