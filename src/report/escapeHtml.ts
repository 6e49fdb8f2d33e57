const HTML_SPECIAL = /[&<>"']/g;
const REPLACEMENTS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made inert in HTML, both between tags and inside a quoted attribute: request ids and
 * reviewers' reasons come from files, and must never become markup.
 */
export function escapeHtml(text: string): string {
  // a ledger is JSON nobody validated: a field that should be a string may not be one
  return String(text).replace(HTML_SPECIAL, (special) => REPLACEMENTS[special]!);
}
