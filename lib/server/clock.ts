import 'server-only';

/**
 * The server's time for one render, in Unix seconds. Server components render once per request,
 * so reading the clock there is deliberate: relative times in the HTML are true when sent, and
 * the browser's first render starts from the same instant.
 */
export function renderTimeSeconds(): number {
  return Date.now() / 1000;
}
