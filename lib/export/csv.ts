// CSV as RFC 4180 writes it, made safe to open in a spreadsheet. Pure: the export routes
// (app/export) stream what these functions return, one record at a time. docs/architecture.md §15.
//
// - Every record ends in CRLF; every field is quoted, and a double quote inside it is doubled
//   (RFC 4180 §2 allows quoting any field). A spreadsheet that splits on a character other than
//   the comma (Excel and LibreOffice in locales whose decimal mark is a comma split on ";") still
//   sees one field per quoted value instead of splitting bare text.
// - A value a spreadsheet would run as a formula is neutralised: a leading apostrophe, which
//   Excel, LibreOffice and Google Sheets show as text (OWASP, "CSV Injection"), goes before every
//   =, +, -, @, tab or carriage return that starts the value or follows a separator a
//   spreadsheet may split on (comma, semicolon, tab, pipe, line break), spaces allowed between.
//   Quotes alone are not enough: an importer set to another separator, or one that mis-reads a
//   quote, cuts "Engineer;=1+2" into "Engineer" and "=1+2". Names, titles and fields come from
//   Zulip, where anyone may type "=HYPERLINK(…)" into their own profile.
// - The file starts with a UTF-8 byte-order mark, without which Excel reads UTF-8 as the
//   machine's legacy code page and "José" arrives as "JosÃ©".

/** The byte-order mark that tells spreadsheets the file is UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** RFC 4180's record separator. */
export const CRLF = '\r\n';

/**
 * The spaces between the start of the value or a separator and a formula character. Lookbehind,
 * so that a separator that is itself a formula character (tab, CR) is looked at both ways.
 */
const FORMULA_AFTER_SEPARATOR = /(?<=^|[,;\t|\r\n]) *(?=[=+\-@\t\r])/g;

/** The value with an apostrophe before each place a spreadsheet could start a formula. */
export function neutraliseFormula(value: string): string {
  return value.replace(FORMULA_AFTER_SEPARATOR, "$&'");
}

/** One field, quoted, its double quotes doubled. */
export function quoteField(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
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
