import 'server-only';
import { processGlobal } from '@/lib/process-global';
import { sharedStore } from '@/lib/server/cluster/redis';
import { RedisRateBudget } from '@/lib/server/cluster/redis-rate-budget';
import { defaultRateBudget, type RequestBudget } from '@/lib/zulip/rate-budget';

/**
 * The bot's request budget for this process: one shared by every instance through Redis when
 * REDIS_URL is set, else the process's own (defaultRateBudget). One per process
 * (lib/process-global.ts), like defaultRateBudget: a second would count the same calls apart.
 * Pass it to openZulipConnection(env, { budget }).
 */
export function requestBudget(env: NodeJS.ProcessEnv = process.env): RequestBudget {
  return processGlobal('request-budget', () => {
    const store = sharedStore(env);
    return store ? new RedisRateBudget({ store }) : defaultRateBudget;
  });
}
