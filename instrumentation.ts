// Next runs register() once when a server process starts (docs/architecture.md §16). The one
// thing done here: stop gracefully on SIGTERM/SIGINT. Only in Node (not in the Edge runtime,
// which has no signals): NEXT_RUNTIME is Next's own, not one of the directory's settings.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ drainOnSignals }, { builtApp }] = await Promise.all([import('@/lib/server/graceful-shutdown'), import('@/lib/server/app-handle')]);
  drainOnSignals(builtApp);
}
