import 'server-only';
import { MAX_RESET_MS } from '@/lib/zulip/rate-budget';

// The shared request budget's one Lua script (redis-rate-budget.ts). Every change to the budget
// runs inside Redis, so two instances can never both take the last call. It applies the rules of
// lib/zulip/rate-budget.ts (refreshed, waitMsFor, RateBudget.update/block): change both together.
//
// Every time is read from Redis's own clock (TIME) and stored on it; instances send durations
// only (Retry-After, the reset measured against Zulip's Date header). Instances whose clocks
// differ by a second or two then still agree on when a block ends or a window resets; with each
// instance's Date.now() one whose clock is behind would keep others blocked, one ahead would call
// into a 429. (TIME before writes needs effects replication: Redis 5 or newer.)
//
// KEYS[1] the budget: a hash of limit, remaining, resetAt, blockedUntil
// KEYS[2] calls on their way: a sorted set, member = instance id:call number, score = start time
// ARGV    op ('acquire' | 'update' | 'settle' | 'block' | 'peek'), share, backgroundReserve,
//         inFlightMaxMs, fallbackWindowMs, keepMs, member (the call: taken by acquire, ended by
//         update and settle; '' for none), then by op:
//           acquire: priority
//           update:  limit, reported remaining, ms until the window resets
//           block:   ms to block
// Answers { took (1/0), wait (ms the call must wait; acquire), now, limit, remaining, resetAt,
// blockedUntil, calls on their way } (false for an unknown value).
export const RATE_BUDGET_SCRIPT = `
local op, member = ARGV[1], ARGV[7]
local share, reserve = tonumber(ARGV[2]), tonumber(ARGV[3])
local inFlightMax, fallbackWindow, keep = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local v = redis.call('HMGET', KEYS[1], 'limit', 'remaining', 'resetAt', 'blockedUntil')
local limit, remaining, resetAt = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
local blockedUntil = tonumber(v[4]) or 0
local changed = false
-- No instance stores a block or a reset further out than the longest the budget believes
-- (MAX_RESET_MS: Retry-After is capped at it, and so is a window's reset): one beyond was not
-- written by an instance, and would stop every call to Zulip for as long as it says.
if blockedUntil > now + ${MAX_RESET_MS} then blockedUntil, changed = 0, true end
if resetAt and resetAt > now + ${MAX_RESET_MS} then remaining, resetAt, changed = limit, nil, true end
-- Once the server's window has passed, assume it is full again until told otherwise.
if resetAt and limit and now >= resetAt then
  remaining, resetAt, changed = limit, nil, true
end
-- A call with no answer after inFlightMax (it failed, or its instance died) stops counting.
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - inFlightMax))
if member ~= '' and op ~= 'acquire' then redis.call('ZREM', KEYS[2], member) end

local function waitFor(priority)
  if blockedUntil > now then return blockedUntil - now end
  if not limit or not remaining then return 0 end
  local allowance = math.floor(limit * share)
  -- Calls the server has counted beyond what we allow ourselves come out of our headroom.
  local headroom = remaining - (limit - allowance)
  local needed = 0
  if priority == 'interactive' then needed = math.ceil(allowance * reserve) end
  if headroom > needed then return 0 end
  return math.max((resetAt or (now + fallbackWindow)) - now, 1)
end

local took, wait = 0, 0
if op == 'acquire' then
  wait = waitFor(ARGV[8])
  if wait <= 0 then
    if remaining then remaining = remaining - 1 end
    redis.call('ZADD', KEYS[2], now, member)
    redis.call('PEXPIRE', KEYS[2], inFlightMax)
    took, changed = 1, true
  end
elseif op == 'update' then
  -- The answer counts only the calls the server had received: those still on their way are not in it.
  limit = tonumber(ARGV[8])
  remaining = math.max(0, tonumber(ARGV[9]) - redis.call('ZCARD', KEYS[2]))
  resetAt = now + tonumber(ARGV[10])
  changed = true
elseif op == 'block' then
  blockedUntil = math.max(blockedUntil, now + tonumber(ARGV[8]))
  if remaining then remaining = 0 end
  changed = true
end

if changed then
  local fields = { limit = limit, remaining = remaining, resetAt = resetAt }
  for name, value in pairs(fields) do redis.call('HSET', KEYS[1], name, value) end
  for _, name in ipairs({ 'limit', 'remaining', 'resetAt' }) do
    if fields[name] == nil then redis.call('HDEL', KEYS[1], name) end
  end
  redis.call('HSET', KEYS[1], 'blockedUntil', blockedUntil)
  redis.call('PEXPIRE', KEYS[1], math.max(blockedUntil - now, 0) + keep)
end

return { took, wait, now, limit or false, remaining or false, resetAt or false, blockedUntil, redis.call('ZCARD', KEYS[2]) }
`;
