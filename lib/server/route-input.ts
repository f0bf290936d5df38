import 'server-only';
import { apiError } from '@/lib/server/api-response';

/** For routes that take no query parameters: a 400 naming the first one given, or null. */
export function refuseQuery(request: Request): Response | null {
  const keys = [...new URL(request.url).searchParams.keys()];
  if (keys.length === 0) return null;
  return apiError(400, 'invalid_query', `This address takes no parameters (got "${keys[0]!.slice(0, 50)}").`);
}
