-- wrk script of bench/load_bench.sh: one machine-readable line at the end of a run.
-- RESULT requests duration_us bytes connect read write status timeout p50_us p90_us p99_us max_us
-- (wrk counts a response with a status of 400 or more as a "status" error.)
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d %d %d %d\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
