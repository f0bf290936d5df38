// One value per process, kept on globalThis under a process-wide symbol. Next bundles server code
// into several chunks, each with its own copy of a module, and dev mode reloads modules: a
// module-level variable would give each chunk (and each reload) its own store, limiter or log.

export function processGlobal<T>(name: string, create: () => T): T {
  const key = Symbol.for(`zulip-directory.${name}`);
  const g = globalThis as Record<symbol, unknown>;
  if (!(key in g)) g[key] = create();
  return g[key] as T;
}
