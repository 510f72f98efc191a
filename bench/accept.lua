-- wrk script: POST /api/v1/vms/$VM/accept over consecutive 2 MiB units, each wrk thread walking its
-- own region from 4 GiB up, so every request accepts memory that was still unaccepted (plus the
-- kernel's guard unit). Run it against a VM large enough for the duration.
local vm = os.getenv("VM") or error("VM is not set")
local unit = 2 * 1024 * 1024
local region = 2 * 1024 * 1024 * 1024 * 1024 -- per thread (a 4 TiB VM holds two)

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  k = 0
  errors = 0
  path = "/api/v1/vms/" .. vm .. "/accept"
end

function request()
  local start = 4 * 1024 * 1024 * 1024 + tid * region + k * 2 * unit
  k = k + 1
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" },
    string.format('{"start":%d,"end":%d}', start, start + unit))
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local errs = 0
  for _, t in ipairs(threads) do
    errs = errs + t:get("errors")
  end
  io.write(string.format("non-200 answers: %d\n", errs))
end
