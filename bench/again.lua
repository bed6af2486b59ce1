-- again.lua - POST /subscribe/payments/again, each request a new merchant_uid
-- (so every one is a real charge, never "already paid").
-- args: TOKEN CUSTOMER_UID RUN_PREFIX
local token, customer, prefix
local counter = 0
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("thread_no", threads)
end
function init(args)
    token, customer, prefix = args[1], args[2], args[3]
end
function request()
    counter = counter + 1
    local body = string.format(
        '{"customer_uid":"%s","merchant_uid":"%s_%d_%d","amount":9900,"name":"bench"}',
        customer, prefix, thread_no, counter)
    return wrk.format("POST", "/subscribe/payments/again",
        { ["Authorization"] = token, ["Content-Type"] = "application/json" }, body)
end
