-- Fixed-rate load for wrk: each connection waits DELAY_MS between requests, so the offered rate is
-- about connections * 1000 / (DELAY_MS + latency). A wrk2-style approximation (wrk2 is not in Debian);
-- it does not correct coordinated omission, so it is compared only against runs paced the same way.
local delay_ms = tonumber(os.getenv("DELAY_MS") or "10")
function delay()
  return delay_ms
end
