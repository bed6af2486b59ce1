-- mixed.lua - what a merchant's backend does: 40% payment lookups, 25% order
-- lookups, 20% getToken, 15% charges with new merchant_uids.
-- args: TOKEN IMP_UID MERCHANT_UID CUSTOMER_UID RUN_PREFIX
local token, uid, order, customer, prefix
local counter = 0
local threads = 0
local secret = "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"
function setup(thread)
    threads = threads + 1
    thread:set("thread_no", threads)
end
function init(args)
    token, uid, order, customer, prefix = args[1], args[2], args[3], args[4], args[5]
    math.randomseed(os.time() + thread_no)
end
function request()
    local r = math.random(100)
    local auth = { ["Authorization"] = token }
    if r <= 40 then
        return wrk.format("GET", "/payments/" .. uid, auth)
    elseif r <= 65 then
        return wrk.format("GET", "/payments/find/" .. order, auth)
    elseif r <= 85 then
        return wrk.format("POST", "/users/getToken", { ["Content-Type"] = "application/json" },
            '{"imp_key":"imp_apikey","imp_secret":"' .. secret .. '"}')
    end
    counter = counter + 1
    auth["Content-Type"] = "application/json"
    return wrk.format("POST", "/subscribe/payments/again", auth, string.format(
        '{"customer_uid":"%s","merchant_uid":"%s_%d_%d","amount":9900,"name":"bench"}',
        customer, prefix, thread_no, counter))
end
