-- wrk script: POST /api/v1/vms/$VM/allocations {"order":$ORDER,"count":$COUNT,"gfp":$GFP} (with
-- "result":$RESULT when RESULT is set: blocks, pfns or summary), and after each allocation, with
-- FREE=1, a POST /frees of exactly the pfns it got (read from the answer), or with FREE=batch a
-- POST /frees {"batch": ...} of the batch it names, so the guest stays in a steady state however
-- long the run. Counts the pages allocated (from each answer's "failed") and prints "pages
-- allocated", "pages/s", the request mix and the latency percentiles (all requests) when done.
local vm = os.getenv("VM") or error("VM is not set")
local count = tonumber(os.getenv("COUNT") or "1")
local order = tonumber(os.getenv("ORDER") or "0")
local gfp = os.getenv("GFP") or "GFP_KERNEL"
local result = os.getenv("RESULT")
if result == "" then
  result = nil
end
local free = os.getenv("FREE")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  pages = 0
  allocs = 0
  frees = 0
  errors = 0
  pending = {}
  alloc_path = "/api/v1/vms/" .. vm .. "/allocations"
  free_path = "/api/v1/vms/" .. vm .. "/frees"
  alloc_body = string.format('{"order":%d,"count":%d,"gfp":"%s"%s}', order, count, gfp,
    result and string.format(',"result":"%s"', result) or "")
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  local body = table.remove(pending)
  if body then
    return wrk.format("POST", free_path, headers, body)
  end
  return wrk.format("POST", alloc_path, headers, alloc_body)
end

function response(status, headers, body)
  if status == 201 then
    allocs = allocs + 1
    -- "failed" and "batch" are near the end of a long answer: look only there, so the client
    -- stays cheap
    local tail = #body > 256 and string.sub(body, -128) or body
    local failed = tonumber(string.match(tail, '"failed":(%d+)') or "0")
    pages = pages + (count - failed) * 2 ^ order
    if free == "batch" then
      local batch = string.match(tail, '"batch":"(%d+)"')
      pending[#pending + 1] = '{"batch":"' .. batch .. '"}'
    elseif free == "1" then
      local list = string.match(body, '^{"pfns":%[([%d,]*)%]')
      if not list then
        local pfns = {}
        for pfn in string.gmatch(body, '"pfn":(%d+)') do
          pfns[#pfns + 1] = pfn
        end
        list = table.concat(pfns, ",")
      end
      if #list > 0 then
        pending[#pending + 1] = '{"pfns":[' .. list .. "]}"
      end
    end
  elseif status == 200 then
    frees = frees + 1
  else
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local total, a, f, errs = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("pages")
    a = a + t:get("allocs")
    f = f + t:get("frees")
    errs = errs + t:get("errors")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("allocation requests: %d, free requests: %d, other answers: %d\n", a, f, errs))
  io.write(string.format("pages allocated: %d\n", total))
  io.write(string.format("pages/s: %.0f\n", total / seconds))
  io.write(string.format("latency (us): p50 %d p99 %d max %d\n", latency:percentile(50),
    latency:percentile(99), latency.max))
end
