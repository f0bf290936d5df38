import 'server-only';
import type { NextRequest } from 'next/server';
import { isHttps } from '@/lib/access/auth-response';
import { refuseApiRequest } from '@/lib/access/viewer';
import { parsePeopleQuery } from '@/lib/directory/people-query';
import type { PersonRow } from '@/lib/directory/types';
import { UTF8_BOM } from '@/lib/export/csv';
import { attachmentDisposition, facetLabels, viewFileName } from '@/lib/export/file-name';
import { csvHead, personCsvRecord, personVCard, type ExportContext } from '@/lib/export/people-export';
import { textStream } from '@/lib/export/text-stream';
import { siteOrigin } from '@/lib/http/site-origin';
import { apiError, toErrorResponse } from '@/lib/server/api-response';
import { getPeopleMatching } from '@/lib/server/directory-service';

// The two exports of a directory view (/export/people.csv, /export/people.vcf): the directory's
// own address query, read by the same parser as the page and /api/people (so every filter it
// learns applies here too), the viewer checked as every route checks it, and the file streamed.

const FORMATS = {
  csv: { type: 'text/csv; charset=utf-8; header=present', head: () => UTF8_BOM + csvHead(), render: personCsvRecord },
  vcf: { type: 'text/vcard; charset=utf-8', head: () => '', render: personVCard },
} as const;

/**
 * The origin profile addresses in a file point at (lib/http/site-origin.ts). Not request.url
 * alone: Next builds that from its own listening address ("localhost"), not from what the viewer opened.
 */
export function exportOrigin(request: Request): string {
  return siteOrigin(request.headers, isHttps(request)) ?? new URL(request.url).origin;
}

export function downloadHeaders(type: string, fileName: string): HeadersInit {
  return { 'Content-Type': type, 'Content-Disposition': attachmentDisposition(fileName), 'Cache-Control': 'no-store' };
}

/** The people of a view, each read only when the stream reaches them. */
function* people(ids: readonly number[], row: (id: number) => PersonRow | null): Generator<PersonRow> {
  for (const id of ids) {
    const person = row(id);
    if (person) yield person;
  }
}

/** GET /export/people.{csv,vcf}?q=&department=&…: everyone the view matches, unpaged, in its order. */
export async function exportView(request: NextRequest, format: keyof typeof FORMATS): Promise<Response> {
  const parsed = parsePeopleQuery(request.nextUrl.searchParams);
  if (!parsed.ok) return apiError(400, 'invalid_query', parsed.error);
  const refused = await refuseApiRequest(request);
  if (refused) return refused;
  try {
    const { ids, row, facets, org, presenceDisabled, nameOf } = await getPeopleMatching(parsed.query);
    const context: ExportContext = { orgName: org.name, origin: exportOrigin(request), presenceDisabled, nameOf };
    const { type, head, render } = FORMATS[format];
    const body = textStream(people(ids, row), (person) => render(person, context), { head: head() });
    return new Response(body, { headers: downloadHeaders(type, viewFileName(org.name, parsed.query, new Date(), format, facetLabels(facets))) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
