import 'server-only';
import { z } from 'zod';

// Tunables of the directory itself (Zulip credentials live in lib/zulip/config.ts).
const schema = z.object({
  PRESENCE_REFRESH_SECONDS: z.coerce.number().min(5).max(600).default(15),
  PRESENCE_DETAIL_CACHE_SECONDS: z.coerce.number().min(1).max(600).default(10),
  DIRECTORY_NAME: z.string().trim().min(1).max(100).optional(),
});

export type DirectorySettings = z.infer<typeof schema>;

export function loadSettings(env: NodeJS.ProcessEnv = process.env): DirectorySettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid setting ${String(issue?.path[0])}: ${issue?.message}`);
  }
  return parsed.data;
}
