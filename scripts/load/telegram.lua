-- wrk script: signed Telegram updates, each with its own update_id, so every request is a new
-- event the spool must append and fsync (no deduplication shortcut).
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  wrk.method = "POST"
  wrk.path = "/telegram/demo"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = "demo-telegram-secret-token"
end

function request()
  counter = counter + 1
  local update_id = (id + 1) * 100000000 + counter
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"from":{"id":111222333,"is_bot":false,' ..
    '"first_name":"Ann","last_name":"Lee","username":"ann","language_code":"en"},' ..
    '"chat":{"id":111222333,"first_name":"Ann","last_name":"Lee","username":"ann","type":"private"},' ..
    '"date":1795525100,"text":"Hello! I would like to know whether my order number %d has shipped ' ..
    'yet, and when it will arrive. Thank you very much for your help, have a nice day.",' ..
    '"entities":[{"offset":0,"length":6,"type":"bold"}]}}',
    update_id, counter, counter)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local non_200 = summary.errors.status
  io.write(string.format("requests: %d, non-2xx: %d, socket errors: %d\n", summary.requests, non_200,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in pairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
