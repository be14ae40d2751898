-- wrk script: GET /v1/ratelimit/check with one of KEYS API keys per request (X-API-Key), so the
-- limiter works on many keys the way a real API gateway would. KEYS comes from the environment.
local keys = tonumber(os.getenv("KEYS") or "10000")

function setup(thread)
    thread:set("seed", math.random(1, 1000000))
end

function init(args)
    math.randomseed(seed)
end

request = function()
    local k = math.random(1, keys)
    return wrk.format("GET", "/v1/ratelimit/check", { ["X-API-Key"] = "bench-key-" .. k })
end
