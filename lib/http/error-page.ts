// A small, self-contained HTML page for requests refused before any route runs (proxy.ts): a
// malformed address, a link whose parameters cannot be read, or no access. Everything in it is
// escaped; its only style block carries the response's CSP nonce.

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function errorPageHtml(options: { title: string; message: string; nonce: string; link?: { href: string; text: string } }): string {
  const link = options.link ? `<p><a href="${escape(options.link.href)}">${escape(options.link.text)}</a></p>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(options.title)}</title>
<style nonce="${escape(options.nonce)}">
body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1d2129;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e8ee;background:#15171c}a{color:#8ab4ff}}
h1{font-size:1.5rem;margin:0 0 .5rem}p{overflow-wrap:anywhere}
</style></head>
<body><main><h1>${escape(options.title)}</h1><p>${escape(options.message)}</p>${link}</main></body></html>
`;
}
