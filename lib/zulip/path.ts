// Builds request paths from templates such that no path value can change which endpoint is
// called. encodeURIComponent turns "/", "?", "#", "%" and control characters into escapes, so
// "a/b", "?x=", "%2e%2e%2f" stay inside their segment. What it leaves alone is "." and "..":
// the WHATWG URL parser (used by fetch) would resolve those as dot-segments and walk up the
// path, so they are rejected, as are empty values (which would collapse two segments) and
// strings that are not well-formed Unicode (encodeURIComponent cannot encode lone surrogates).
// The error is thrown before any request is made. Callers may also name reserved values, e.g.
// "me", which Zulip routes to the caller's own endpoints (/users/me, /users/me/presence).

export class InvalidPathValueError extends TypeError {
  override readonly name = 'InvalidPathValueError';
}

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export type Endpoint = {
  method: HttpMethod;
  /** The template with `{name}` placeholders; what errors and logs show. */
  template: string;
  /** The encoded path to request, relative to `/api/v1`. */
  path: string;
  /** "GET /users/{user_id_or_email}/presence" */
  label: string;
};

export function encodePathValue(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidPathValueError('A numeric path value must be a non-negative integer');
    }
    return String(value);
  }
  if (value.trim() === '') throw new InvalidPathValueError('A path value must not be empty');
  if (value === '.' || value === '..') throw new InvalidPathValueError('A path value must not be "." or ".."');
  try {
    return encodeURIComponent(value);
  } catch {
    throw new InvalidPathValueError('A path value must be well-formed Unicode');
  }
}

/** endpoint('GET', '/users/{user_id}/status', { user_id: 10 }) → path "/users/10/status". */
export function endpoint(
  method: HttpMethod,
  template: string,
  params: Record<string, string | number> = {},
  reserved: readonly string[] = [],
): Endpoint {
  const path = template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new InvalidPathValueError(`Missing path value {${name}}`);
    if (typeof value === 'string' && reserved.includes(value.trim().toLowerCase())) {
      throw new InvalidPathValueError(`"${value.trim()}" is not allowed as {${name}}`);
    }
    return encodePathValue(value);
  });
  return { method, template, path, label: `${method} ${template}` };
}
