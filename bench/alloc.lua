-- wrk script: POST /api/v1/vms/$VM/allocations {"order":$ORDER,"count":$COUNT,"gfp":"GFP_KERNEL"}
-- and count the pages it got (from each response's "failed" count). Never frees: run it against a
-- VM large enough for the duration. Prints "pages allocated" and "pages/s" when done.
local vm = os.getenv("VM") or error("VM is not set")
local count = tonumber(os.getenv("COUNT") or "1")
local order = tonumber(os.getenv("ORDER") or "0")
local gfp = os.getenv("GFP") or "GFP_KERNEL"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  pages = 0
  errors = 0
  wrk.method = "POST"
  wrk.path = "/api/v1/vms/" .. vm .. "/allocations"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = string.format('{"order":%d,"count":%d,"gfp":"%s"}', order, count, gfp)
end

function response(status, headers, body)
  if status ~= 201 then
    errors = errors + 1
    return
  end
  local failed = tonumber(string.match(body, '"failed":(%d+)}$') or "0")
  pages = pages + (count - failed) * 2 ^ order
end

function done(summary, latency, requests)
  local total, errs = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("pages")
    errs = errs + t:get("errors")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("pages allocated: %d\n", total))
  io.write(string.format("pages/s: %.0f\n", total / seconds))
  io.write(string.format("non-201 answers: %d\n", errs))
end
