-- wrk script: POST /api/v1/vms/$VM/allocations {"order":$ORDER,"count":$COUNT,"gfp":$GFP} and,
-- with FREE=1, after each allocation a POST /frees of exactly the pfns it got, so the guest stays
-- in a steady state however long the run. Counts the pages allocated (from each answer's "failed")
-- and prints "pages allocated", "pages/s" and the request mix when done.
local vm = os.getenv("VM") or error("VM is not set")
local count = tonumber(os.getenv("COUNT") or "1")
local order = tonumber(os.getenv("ORDER") or "0")
local gfp = os.getenv("GFP") or "GFP_KERNEL"
local free = os.getenv("FREE") == "1"

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
  alloc_body = string.format('{"order":%d,"count":%d,"gfp":"%s"}', order, count, gfp)
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
    -- "failed" is the last field: look only at the tail, so the client stays cheap
    local failed = tonumber(string.match(string.sub(body, -32), '"failed":(%d+)}$') or "0")
    pages = pages + (count - failed) * 2 ^ order
    if free then
      local pfns = {}
      for pfn in string.gmatch(body, '"pfn":(%d+)') do
        pfns[#pfns + 1] = pfn
      end
      if #pfns > 0 then
        pending[#pending + 1] = '{"pfns":[' .. table.concat(pfns, ",") .. "]}"
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
end
