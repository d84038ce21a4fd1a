-- Fixed-rate load for wrk: each connection waits about DELAY_MS between requests, so the offered rate
-- is about connections * 1000 / (DELAY_MS + latency). A wrk2-style approximation (wrk2 is not in
-- Debian); it does not correct coordinated omission, so it is compared only against runs paced the
-- same way.
--
-- JITTER=1 (the default) draws each wait uniformly from [0.5, 1.5) * DELAY_MS, the same mean rate.
-- With JITTER=0 every wait is exactly DELAY_MS: the connections then stay in lock-step, so every
-- DELAY_MS all of them send at once, and p99 becomes the time to drain that burst, a throughput
-- figure again. Jitter spreads the arrivals as independent clients would.
local delay_ms = tonumber(os.getenv("DELAY_MS") or "10")
local jitter = (os.getenv("JITTER") or "1") ~= "0"
math.randomseed(os.time())
function delay()
  if jitter then
    return math.floor(delay_ms * (0.5 + math.random()) + 0.5)
  end
  return delay_ms
end
