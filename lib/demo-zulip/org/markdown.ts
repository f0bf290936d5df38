// The sliver of Zulip's Markdown rendering that generated profile text needs: plain paragraphs.
// Generated text never contains Markdown syntax, so escaping plus paragraph/line-break handling
// produces exactly what Zulip's renderer would for it.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** "a\n\nb\nc" → "<p>a</p>\n<p>b<br>\nc</p>", as Zulip renders plain paragraphs. */
export function renderPlainMarkdown(text: string): string {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((para) => `<p>${para.split('\n').map(escapeHtml).join('<br>\n')}</p>`)
    .join('\n');
}
