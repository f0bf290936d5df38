import { connection } from 'next/server';
import { getRuntime } from '@/lib/server/runtime';
import { apiJson, toErrorResponse } from '@/lib/server/api-response';

/**
 * GET /api/health: is Zulip reachable, are the credentials accepted, how old is the data.
 * 200 when the directory is serving fresh data, 503 otherwise (with the same body), so a load
 * balancer and a person can both read it.
 */
export async function GET() {
  // Never prerendered: health is about now.
  await connection();
  try {
    const runtime = await getRuntime();
    const { health } = runtime;
    const ok = health.state === 'ok';
    const body = {
      status: ok ? 'ok' : health.state,
      demo: runtime.org.demo,
      upstream: {
        site: runtime.connection.config.site,
        zulipVersion: runtime.org.zulipVersion || null,
        featureLevel: runtime.org.featureLevel || null,
        reachable: health.state !== 'unreachable' && health.state !== 'starting',
        credentialsAccepted: health.state === 'unauthorized' ? false : health.lastSuccessAt !== null ? true : null,
        lastSuccessAt: health.lastSuccessAt,
        lastError: health.lastError,
        rateLimit: runtime.client.rateLimit(),
      },
      data: {
        people: runtime.people.list().length,
        presenceUpdatedAt: health.presenceUpdatedAt,
        presenceAgeSeconds: health.presenceUpdatedAt === null ? null : Math.round((Date.now() - health.presenceUpdatedAt) / 1000),
        presenceDisabled: runtime.presenceDisabled,
      },
      viewers: runtime.fanOut.size,
    };
    return apiJson(body, { status: ok ? 200 : 503 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
