// CSV as RFC 4180 writes it, made safe to open in a spreadsheet. Pure: the export routes
// (app/export) stream what these functions return, one record at a time.
//
// - Every record ends in CRLF; a field holding a comma, a double quote, CR or LF is quoted, and
//   a double quote inside it is doubled (RFC 4180 §2).
// - A cell a spreadsheet would run as a formula is neutralised: a value starting with =, +, -,
//   @, tab or carriage return gets a leading apostrophe, which Excel, LibreOffice and Google
//   Sheets show as text (OWASP, "CSV Injection"). Names, titles and fields come from Zulip, where
//   anyone may type "=HYPERLINK(…)" into their own profile.
// - The file starts with a UTF-8 byte-order mark, without which Excel reads UTF-8 as the
//   machine's legacy code page and "José" arrives as "JosÃ©".

/** The byte-order mark that tells spreadsheets the file is UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** RFC 4180's record separator. */
export const CRLF = '\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** The value with a leading apostrophe when a spreadsheet would read it as a formula. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One field, quoted when RFC 4180 requires it. */
export function quoteField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One cell of data: neutralised, then quoted. Null and undefined are empty cells. */
export function csvCell(value: string | null | undefined): string {
  return quoteField(neutraliseFormula(value ?? ''));
}

/** One record of data cells, CRLF included. */
export function csvRecord(values: ReadonlyArray<string | null | undefined>): string {
  return values.map(csvCell).join(',') + CRLF;
}

/** The header record: column names are ours, so they are quoted but not neutralised. */
export function csvHeader(names: readonly string[]): string {
  return names.map(quoteField).join(',') + CRLF;
}
