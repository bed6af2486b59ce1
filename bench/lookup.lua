-- lookup.lua - GET /payments/{imp_uid}.
-- args: TOKEN IMP_UID          the same payment every time, or
--       TOKEN - N              a random one of imp_100000000000 .. +N-1
--                              (the ids bench/gen_fixtures.py writes)
local token, uid, n
function init(args)
    token, uid, n = args[1], args[2], tonumber(args[3])
    math.randomseed(os.time() + (n or 0))
end
function request()
    local id = uid
    if n then
        id = string.format("imp_%012d", 100000000000 + math.random(0, n - 1))
    end
    return wrk.format("GET", "/payments/" .. id, { ["Authorization"] = token })
end
