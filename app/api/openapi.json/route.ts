import { apiRoute } from '@/lib/server/api-route';
import { openApiDocument } from '@/lib/http/openapi';

/** GET /api/openapi.json: the API's OpenAPI 3.1 document, built once (lib/http/openapi.ts). Public: it describes the API, not its data. */
export const GET = apiRoute('/api/openapi.json', async () =>
  Response.json(openApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } }),
);
