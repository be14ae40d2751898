#include "redisscripts.h"

#include <QCryptographicHash>

namespace {

// Shared head of the decision scripts: arguments, Redis' clock, helpers.
// Lua 5.1 numbers are doubles: every value here stays an integer below 2^53 (see the policy ranges),
// and floor(a / b) of such integers is exact. Numbers passed to redis.call() are formatted by Redis
// with 17 significant digits, so they reach Redis exactly.
constexpr char Head[] = R"lua(
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
-- Index refresh slot: at least 1 s, and W/8 for long windows, so a key touches the index at most
-- once per slot; index members outlive their key by at most one slot.
local REFRESH = math.max(@REFRESH@, math.floor(window / 8))
local INDEX_TTL = @INDEX_TTL@

local function ceildiv(a, b)
  if a <= 0 then return 0 end
  return math.floor((a + b - 1) / b)
end

-- Records (or refreshes) this key in the shared index with an expiry bound as score. The index
-- TTL is a constant above any member's (score - now), so it never needs reading; members whose key
-- has expired are trimmed whenever the index grows (a new member), which bounds its size.
-- Without KEYS[2] (cluster mode: the index is in another slot) the score is returned to the
-- caller as a 7th reply element instead, and the caller touches the index itself.
local touch = nil
local function touchIndex(score)
  local index = KEYS[2]
  if not index then touch = score; return end
  local added = redis.pcall('ZADD', index, score, ARGV[5])
  if type(added) == 'table' then -- not a ZSET: the prefix is ours, replace it
    redis.call('DEL', index)
    added = redis.call('ZADD', index, score, ARGV[5])
  end
  if added == 1 then redis.call('ZREMRANGEBYSCORE', index, '-inf', now) end
  redis.call('PEXPIRE', index, INDEX_TTL)
end

local function admitted(reply)
  if touch then reply[7] = touch end
  return reply
end
)lua";

// Sliding log: a ZSET with one member per cost unit, score = admission time.
constexpr char SlidingLogBody[] = R"lua(
local trimmed = redis.pcall('ZREMRANGEBYSCORE', key, '-inf', now - window)
if type(trimmed) == 'table' and trimmed.err then redis.call('DEL', key) end
local used = redis.call('ZCARD', key)

local function scoreAt(rank)
  return tonumber(redis.call('ZRANGE', key, rank, rank, 'WITHSCORES')[2])
end

if cost <= limit and used + cost <= limit then
  local newest = nil
  if used > 0 then newest = scoreAt(-1) end
  if cost == 1 then
    redis.call('ZADD', key, now, ARGV[4] .. ':1')
  else
    local args = {}
    for i = 1, cost do
      args[#args + 1] = now
      args[#args + 1] = ARGV[4] .. ':' .. i
      if #args >= 2000 or i == cost then
        redis.call('ZADD', key, unpack(args))
        args = {}
      end
    end
  end
  redis.call('PEXPIRE', key, window)
  if newest == nil or math.floor(newest / REFRESH) ~= math.floor(now / REFRESH) then
    touchIndex(now + window + REFRESH)
  end
  return admitted({1, limit - used - cost, now, now + window, 0, 0})
end

local resetAt = now
if used > 0 then resetAt = scoreAt(-1) + window end
if cost > limit then return {0, math.max(0, limit - used), now, resetAt, 0, 1} end
-- The unit whose expiry frees enough room: the (used + cost - limit)-th oldest.
local at = scoreAt(used + cost - limit - 1)
return {0, math.max(0, limit - used), now, resetAt, at + window - now, 0}
)lua";

// Sliding window counter: a HASH {s, curr, prev}.
constexpr char SlidingWindowCounterBody[] = R"lua(
local start = now - now % window
local state = redis.pcall('HMGET', key, 's', 'curr', 'prev')
local s0, curr, prev
if not state.err then
  s0 = tonumber(state[1]); curr = tonumber(state[2]); prev = tonumber(state[3])
end
local fresh = s0 == nil or curr == nil or prev == nil
if fresh then
  curr = 0; prev = 0
elseif now >= s0 + 2 * window then
  curr = 0; prev = 0
elseif now >= s0 + window then
  prev = curr; curr = 0
end
local e = now - start
local prevWeight = prev * (window - e)

local function remaining()
  return math.max(0, math.floor((limit * window - prevWeight) / window) - curr)
end
local function resetAt()
  if curr > 0 then return start + 2 * window end
  if prev > 0 then return start + window end
  return now
end

if cost > limit then return {0, remaining(), now, resetAt(), 0, 1} end
-- prev*(W-e) + (curr+c)*W <= L*W, rearranged so that no term exceeds L*W.
local room = limit - curr - cost
if prevWeight <= room * window then
  curr = curr + cost
  if fresh then redis.call('DEL', key) end
  redis.call('HSET', key, 's', start, 'curr', curr, 'prev', prev)
  if fresh or s0 ~= start then
    redis.call('PEXPIRE', key, start + 2 * window - now)
    touchIndex(start + 2 * window)
  end
  return admitted({1, remaining(), now, resetAt(), 0, 0})
end

local retryAt = nil
if room >= 0 and prev > 0 then
  local first = window - math.floor(room * window / prev)
  if first < window then retryAt = start + first end
end
if retryAt == nil then
  retryAt = start + window
  if curr > 0 then
    retryAt = retryAt + math.max(0, window - math.floor((limit - cost) * window / curr))
  end
end
return {0, remaining(), now, resetAt(), retryAt - now, 0}
)lua";

// Token bucket (GCRA) in fixed point: a HASH {tm, ts}, TAT = tm + ts / limit.
constexpr char TokenBucketBody[] = R"lua(
local burst = tonumber(ARGV[4])
local state = redis.pcall('HMGET', key, 'tm', 'ts')
local tm, ts
if not state.err then
  tm = tonumber(state[1]); ts = tonumber(state[2])
end
local fresh = tm == nil or ts == nil
if fresh then tm = 0; ts = 0 end
if ts >= limit then -- only after an operator lowered the limit of a live key
  tm = tm + math.floor(ts / limit); ts = ts % limit
end
local diff = 0
if tm >= now then diff = (tm - now) * limit + ts end
local capacity = burst * window

if cost > burst then
  return {0, math.max(0, math.floor((capacity - diff) / window)), now, now + ceildiv(diff, limit), 0, 1}
end
-- newDiff - B*W, computed without forming newDiff (which can exceed 2^53 on a denial).
local excess = diff - (burst - cost) * window
if excess <= 0 then
  local newDiff = diff + cost * window
  local q = math.floor(newDiff / limit)
  local tatMs = now + q
  if fresh then redis.call('DEL', key) end
  redis.call('HSET', key, 'tm', tatMs, 'ts', newDiff - q * limit)
  local up = ceildiv(newDiff, limit)
  redis.call('PEXPIRE', key, up + 1)
  if fresh or math.floor(tm / REFRESH) ~= math.floor(tatMs / REFRESH) then
    touchIndex(tatMs + 2 + REFRESH)
  end
  return admitted({1, math.floor((capacity - newDiff) / window), now, now + up, 0, 0})
end
return {0, math.max(0, math.floor((capacity - diff) / window)), now, now + ceildiv(diff, limit),
        ceildiv(excess, limit), 0}
)lua";

// Read-only: usage of the most recently refreshed index members (same formulas as the memory
// store's used()/resetAtMs()).
// Usage of one key from its index member (same formulas as the memory store's used()/resetAtMs()):
// appends {key, algo, limit, window, burst, count, resetAt} to `out` when count > 0.
constexpr char UsageHead[] = R"lua(
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function ceildiv(a, b)
  if a <= 0 then return 0 end
  return math.floor((a + b - 1) / b)
end
local out = {}
local function usageOf(m, seen)
  local algo, l, w, b, key = string.match(m, '^(%a+):(%d+):(%d+):(%d+):(.+)$')
  if not key or seen[key] then return end
  seen[key] = true
  local limit, window, burst = tonumber(l), tonumber(w), tonumber(b)
  local count, resetAt = 0, now
  if algo == 'log' then
    local n = redis.pcall('ZCOUNT', key, '(' .. string.format('%d', now - window), '+inf')
    if type(n) == 'number' and n > 0 then
      count = n
      resetAt = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2]) + window
    end
  elseif algo == 'swc' then
    local st = redis.pcall('HMGET', key, 's', 'curr', 'prev')
    if not st.err and st[1] and st[2] and st[3] then
      local s0, curr, prev = tonumber(st[1]), tonumber(st[2]), tonumber(st[3])
      if now >= s0 + 2 * window then curr = 0; prev = 0
      elseif now >= s0 + window then prev = curr; curr = 0 end
      local start = now - now % window
      local rem = math.max(0, math.floor((limit * window - prev * (window - (now - start))) / window) - curr)
      count = math.max(0, limit - rem)
      if curr > 0 then resetAt = start + 2 * window elseif prev > 0 then resetAt = start + window end
    end
  elseif algo == 'tb' then
    local st = redis.pcall('HMGET', key, 'tm', 'ts')
    if not st.err and st[1] and st[2] then
      local tm, ts = tonumber(st[1]), tonumber(st[2])
      local diff = 0
      if tm >= now then diff = (tm - now) * limit + ts end
      count = ceildiv(diff, window)
      resetAt = now + ceildiv(diff, limit)
    end
  end
  if count > 0 then
    out[#out + 1] = key; out[#out + 1] = algo; out[#out + 1] = limit; out[#out + 1] = window
    out[#out + 1] = burst; out[#out + 1] = count; out[#out + 1] = resetAt
  end
end
)lua";

// Read-only: usage of the most recently refreshed index members.
constexpr char UsageBody[] = R"lua(
local members = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '(' .. string.format('%d', now),
                           'LIMIT', 0, tonumber(ARGV[1]))
local seen = {}
for _, m in ipairs(members) do usageOf(m, seen) end
return out
)lua";

// Read-only, cluster mode: KEYS[1] = the key, ARGV[1] = its index member (same slot as the key).
constexpr char KeyUsageBody[] = R"lua(
usageOf(ARGV[1], {})
return out
)lua";

RedisScripts::Script make(QByteArray source)
{
    source.replace("@REFRESH@", QByteArray::number(RedisScripts::IndexRefreshMs));
    source.replace("@INDEX_TTL@", QByteArray::number(RedisScripts::IndexTtlMs));
    RedisScripts::Script s;
    s.sha = QCryptographicHash::hash(source, QCryptographicHash::Sha1).toHex();
    s.source = std::move(source);
    return s;
}

} // namespace

namespace RedisScripts {

const Script &forAlgorithm(Algorithm algorithm)
{
    static const Script log = make(QByteArray(Head) + SlidingLogBody);
    static const Script counter = make(QByteArray(Head) + SlidingWindowCounterBody);
    static const Script bucket = make(QByteArray(Head) + TokenBucketBody);
    switch (algorithm) {
    case Algorithm::SlidingLog:
        return log;
    case Algorithm::SlidingWindowCounter:
        return counter;
    case Algorithm::TokenBucket:
        return bucket;
    }
    Q_UNREACHABLE();
}

const Script &usage()
{
    static const Script script = make(QByteArray(UsageHead) + UsageBody);
    return script;
}

const Script &keyUsage()
{
    static const Script script = make(QByteArray(UsageHead) + KeyUsageBody);
    return script;
}

QByteArray algorithmCode(Algorithm algorithm)
{
    switch (algorithm) {
    case Algorithm::SlidingLog:
        return QByteArrayLiteral("log");
    case Algorithm::SlidingWindowCounter:
        return QByteArrayLiteral("swc");
    case Algorithm::TokenBucket:
        return QByteArrayLiteral("tb");
    }
    Q_UNREACHABLE();
}

} // namespace RedisScripts
