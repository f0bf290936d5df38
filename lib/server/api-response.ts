import 'server-only';
import type { Logger } from '@/lib/server/log';
import { NextResponse } from 'next/server';
import { isZulipError } from '@/lib/zulip/errors';
import { cannotStartMessage, isDirectoryCannotStart } from '@/lib/server/cannot-start';
import type { ApiErrorBody } from '@/lib/http/api-schemas';


export function apiError(status: number, code: string, message: string, headers?: HeadersInit): NextResponse<ApiErrorBody> {
  return NextResponse.json({ error: { code, message } }, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

export function apiJson<T>(body: T, init?: { status?: number }): NextResponse<T> {
  return NextResponse.json(body, { status: init?.status ?? 200, headers: { 'Cache-Control': 'no-store' } });
}

/** Maps anything thrown inside a route to a response that leaks no internals. */
export function toErrorResponse(error: unknown, logger: Logger): NextResponse<ApiErrorBody> {
  if (isZulipError(error)) {
    if (error.kind === 'rate_limited') {
      const retry = Math.ceil(error.retryAfterSeconds ?? 1);
      return apiError(503, 'upstream_rate_limited', `Zulip is rate-limiting the directory; try again in ${retry} s.`, {
        'Retry-After': String(retry),
      });
    }
    if (error.kind === 'timeout') return apiError(504, 'upstream_timeout', 'Zulip did not answer in time.');
    if (error.kind === 'network') return apiError(502, 'upstream_unreachable', 'Zulip is unreachable.');
    if (error.status === 401) return apiError(502, 'upstream_unauthorized', 'Zulip refused the directory’s credentials.');
    return apiError(502, 'upstream_error', 'Zulip returned an error.');
  }
  if (isDirectoryCannotStart(error)) return apiError(503, 'directory_cannot_start', cannotStartMessage(error), { 'Retry-After': '30' });
  logger.error({ event: 'route_error', err: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) }, 'unexpected error in a route');
  return apiError(500, 'internal', 'Something went wrong in the directory.');
}

/** The 404 of a person reference that matches no one the viewer may see. */
export function noSuchPerson(): NextResponse<ApiErrorBody> {
  return apiError(404, 'not_found', 'No one in this organization matches that reference.');
}
