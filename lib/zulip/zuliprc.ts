import 'server-only';

// A minimal reader for the INI dialect of `zuliprc` files, which Zulip's Python bindings read
// with configparser: `[section]` headers, `key = value` or `key: value`, `#`/`;` comment lines,
// case-insensitive keys, surrounding whitespace trimmed. Interpolation and multi-line values
// are not supported; Zulip's downloaded zuliprc never uses them.

export type IniSections = Map<string, Map<string, string>>;

export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    // configparser splits on the first delimiter of either kind.
    const at = line.search(/[=:]/);
    if (at <= 0 || current === undefined) continue;
    current.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
  }
  return sections;
}
