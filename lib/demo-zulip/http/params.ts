// Request parameters as Zulip reads them: form-encoded body (POST/DELETE/PATCH) and query string,
// body first; lists/objects/booleans/integers are JSON-encoded values ("Json[bool]" etc.). Error
// messages are Zulip's typed_endpoint templates. Every name a handler reads is recorded, so the
// rest can be reported in `ignored_parameters_unsupported`.
import { decodeFormComponent } from './path';
import { badRequest, missingArgument } from './errors';

/** Parses `a=1&b=%22x%22`; a key without `=` has the value "" and a repeated key keeps its last value (Django's QueryDict). */
export function parseForm(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeFormComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeFormComponent(part.slice(eq + 1));
    out.set(key, value);
  }
  return out;
}

type JsonKind = 'bool' | 'int' | 'list' | 'dict';

export class Params {
  private readonly processed = new Set<string>();

  constructor(
    private readonly body: Map<string, string>,
    private readonly query: Map<string, string>,
  ) {}

  has(name: string): boolean {
    return this.body.has(name) || this.query.has(name);
  }

  private raw(name: string): string | undefined {
    if (this.body.has(name)) return this.body.get(name);
    return this.query.get(name);
  }

  /** A plain string parameter; throws REQUEST_VARIABLE_MISSING when required and absent. */
  str(name: string, required: true): string;
  str(name: string, required?: false): string | undefined;
  str(name: string, required = false): string | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (required) throw missingArgument(name);
      return undefined;
    }
    this.processed.add(name);
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.json(name, 'bool');
    return value === undefined ? fallback : (value as boolean);
  }

  /** A JSON boolean that may be absent (no default). */
  optionalBool(name: string): boolean | undefined {
    return this.json(name, 'bool') as boolean | undefined;
  }

  int(name: string): number | undefined {
    return this.json(name, 'int') as number | undefined;
  }

  stringList(name: string): string[] | undefined {
    const value = this.json(name, 'list') as unknown[] | undefined;
    value?.forEach((item, i) => {
      if (typeof item !== 'string') throw badRequest(`${name}[${i}] is not a string`);
    });
    return value as string[] | undefined;
  }

  intList(name: string): number[] | undefined {
    const value = this.json(name, 'list') as unknown[] | undefined;
    value?.forEach((item, i) => {
      if (typeof item !== 'number' || !Number.isInteger(item)) throw badRequest(`${name}[${i}] is not an integer`);
    });
    return value as number[] | undefined;
  }

  dict(name: string): Record<string, unknown> | undefined {
    return this.json(name, 'dict') as Record<string, unknown> | undefined;
  }

  /** Reads and type-checks a JSON-encoded value, with Zulip's messages ("x is not valid JSON", "x is not a boolean"…). */
  private json(name: string, kind: JsonKind): unknown {
    const text = this.raw(name);
    if (text === undefined) return undefined;
    this.processed.add(name);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw badRequest(`${name} is not valid JSON`);
    }
    switch (kind) {
      case 'bool':
        if (typeof value !== 'boolean') throw badRequest(`${name} is not a boolean`);
        break;
      case 'int':
        // pydantic strict mode: 1.5, true and "1" are all rejected
        if (typeof value !== 'number' || !Number.isInteger(value) || /[.eE]/.test(text)) throw badRequest(`${name} is not an integer`);
        break;
      case 'list':
        if (!Array.isArray(value)) throw badRequest(`${name} is not a list`);
        break;
      case 'dict':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(`${name} is not a dict`);
        break;
    }
    return value;
  }

  /** Marks names as understood without reading them (parameters Zulip accepts but the demo ignores). */
  accept(...names: string[]): void {
    for (const name of names) if (this.has(name)) this.processed.add(name);
  }

  /** Names sent but never read, sorted, as Zulip reports them. */
  ignored(): string[] {
    const all = new Set([...this.body.keys(), ...this.query.keys()]);
    return [...all].filter((n) => !this.processed.has(n)).sort();
  }
}
