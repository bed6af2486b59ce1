-- token.lua - POST /users/getToken with the public test key pair (JSON body).
wrk.method = "POST"
wrk.path = "/users/getToken"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"imp_key":"imp_apikey","imp_secret":' ..
    '"ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"}'
