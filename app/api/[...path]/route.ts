import { apiRoute } from '@/lib/server/api-route';
import { apiError } from '@/lib/server/api-response';

// Any other /api address: a JSON 404 in the API's one error shape, never the HTML not-found page
// (after the same access check as every route, so even a 404 tells an outsider nothing).
const notFound = apiRoute('/api/[...path]', async () => apiError(404, 'not_found', 'There is no API at this address.'));

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
