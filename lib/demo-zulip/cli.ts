// `npm run demo-zulip -- --port 9991 --seed 1 --users 250 --feature-level 372 [--rate-limit 200]
// [--clock-offset-seconds N] [--paused] [--zuliprc-out PATH]`: runs the demo Zulip server in the
// foreground, prints the site and the directory bot's zuliprc, and exits cleanly on
// SIGINT/SIGTERM. Flags override the DEMO_ZULIP_PORT / DEMO_ZULIP_SEED / DEMO_ZULIP_USERS /
// DEMO_ZULIP_FEATURE_LEVEL / DEMO_ZULIP_CLOCK_OFFSET_SECONDS variables.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs, UsageError, USAGE } from './cli-args';
import { startDemoZulip, zuliprcText } from './server';

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`demo-zulip: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  const started = Date.now();
  const demo = await startDemoZulip(parsed.options);
  const zuliprc = zuliprcText(demo);
  if (parsed.zuliprcOut) {
    mkdirSync(dirname(parsed.zuliprcOut), { recursive: true });
    writeFileSync(parsed.zuliprcOut, zuliprc, { mode: 0o600 });
  }
  const people = demo.org.users.filter((u) => !u.is_bot).length;
  process.stdout.write(
    `Demo Zulip server for ${demo.org.realm.name} (${people} people, seed ${demo.org.seed}) at ${demo.site} ` +
      `(started in ${Date.now() - started} ms)\n` +
      `Control surface: ${demo.site}/demo/credentials, /demo/stats, /demo/faults, /demo/simulation, /demo/user_groups\n` +
      (parsed.zuliprcOut ? `zuliprc written to ${parsed.zuliprcOut}\n` : '') +
      (parsed.options.clockOffsetSeconds ? `Server clock offset: ${parsed.options.clockOffsetSeconds} s\n` : '') +
      `\n${zuliprc}`,
  );
  const shutdown = (signal: string) => {
    process.stdout.write(`\n${signal}: stopping the demo Zulip server\n`);
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`demo-zulip: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
