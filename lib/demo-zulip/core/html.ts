// Minimal HTML escaping for the few rendered strings the demo produces (realm description,
// rendered custom profile values), matching what Zulip's Markdown renderer emits for plain text.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
