/**
 * Lua for a script's clock in ms: the caller's value when it passes one (tests inject a clock),
 * else Redis's `TIME`, the one clock every worker on this Redis shares. Redis 7 replicates a
 * script's effects, not the script, so reading `TIME` before writing is allowed.
 */
export const REDIS_CLOCK_LUA = `local function clock(arg)
  if arg ~= '' then return tonumber(arg) end
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
end`;
