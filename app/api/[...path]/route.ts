import { theApp } from '@/lib/server/app-handle';
import { refuseApiRequest } from '@/lib/server/viewer';
import { apiError } from '@/lib/server/api-response';

// Any other /api address: a JSON 404 in the API's one error shape, never the HTML not-found page
// (after the same access check as every route, so even a 404 tells an outsider nothing).
async function notFound(request: Request) {
  return (await refuseApiRequest(theApp(), request)) ?? apiError(404, 'not_found', 'There is no API at this address.');
}

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
