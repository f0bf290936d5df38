// Writing responses. Success bodies are Zulip's `{"result":"success","msg":"",…}`; large parts
// that are cached as serialized JSON (the users list, presence maps) are written out as they are,
// without being parsed, re-serialized or even copied into one big string.
import type { ServerResponse } from 'node:http';

/** A JSON value already serialized: text, or UTF-8 bytes kept in a cache. */
export type RawJson = string | Buffer;

export interface JsonBody {
  data: Record<string, unknown>;
  /** Pre-serialized JSON values, appended as top-level fields in this order. */
  raw?: Array<[string, RawJson]>;
}

/** `{"result":"success","msg":"", …data, …raw}` as a list of UTF-8 chunks. */
export function successBody(body: JsonBody): Buffer[] {
  const base = JSON.stringify({ result: 'success', msg: '', ...body.data });
  if (!body.raw || body.raw.length === 0) return [Buffer.from(base)];
  const chunks: Buffer[] = [Buffer.from(base.slice(0, -1))];
  for (const [key, json] of body.raw) {
    chunks.push(Buffer.from(`,${JSON.stringify(key)}:`));
    chunks.push(typeof json === 'string' ? Buffer.from(json) : json);
  }
  chunks.push(Buffer.from('}'));
  return chunks;
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string | Buffer | Buffer[],
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const chunks = Array.isArray(body) ? body : [typeof body === 'string' ? Buffer.from(body, 'utf8') : body];
  const length = chunks.reduce((sum, c) => sum + c.length, 0);
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(length) });
  for (const chunk of chunks) res.write(chunk);
  res.end();
}

export function sendJson(res: ServerResponse, status: number, json: string | Buffer[], headers: Record<string, string> = {}): void {
  sendText(res, status, json, 'application/json', headers);
}
