import 'server-only';
import { refuseApiRequest } from '@/lib/server/viewer';
import type { DirectoryApp } from '@/lib/server/app';
import { parsePersonRef } from '@/lib/directory/person-ref';
import { apiError } from '@/lib/server/api-response';

/** For routes that take no query parameters: a 400 naming the first one given, or null. */
export function refuseQuery(request: Request): Response | null {
  const keys = [...new URL(request.url).searchParams.keys()];
  if (keys.length === 0) return null;
  return apiError(400, 'invalid_query', `This address takes no parameters (got "${keys[0]!.slice(0, 50)}").`);
}

/**
 * The opening every /…/{ref} route shares: a well-formed person reference, no query, a viewer
 * allowed in. Either the reference to look up locally, or the answer to send instead.
 */
export async function personRouteInput(app: DirectoryApp, request: Request, params: Promise<{ ref: string }>): Promise<{ ref: string } | { answer: Response }> {
  const parsed = parsePersonRef((await params).ref);
  if (!parsed.ok) return { answer: apiError(400, 'invalid_ref', parsed.error) };
  const refused = refuseQuery(request) ?? (await refuseApiRequest(app, request));
  return refused ? { answer: refused } : { ref: parsed.ref };
}

/** The 404 of a reference that matches no one the viewer may see. */
export function noSuchPerson(): Response {
  return apiError(404, 'not_found', 'No one in this organization matches that reference.');
}
