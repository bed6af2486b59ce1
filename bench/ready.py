#!/usr/bin/env python3
"""ready.py RUNS CMD... - start-to-ready time of a server: from exec to the
first successful POST /users/getToken, polling every 0.2 ms; prints the median
and the spread in ms over RUNS starts. The command gets --port P appended.
Used by bench/run.sh for impmock and the bare handler alike."""
import socket
import statistics
import subprocess
import sys
import time

BODY = (b'{"imp_key":"imp_apikey","imp_secret":'
        b'"ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"}')
REQ = (b'POST /users/getToken HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n'
       b'Content-Type: application/json\r\nContent-Length: %d\r\n\r\n' % len(BODY)) + BODY


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def answered(port):
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=1) as s:
            s.sendall(REQ)
            return s.recv(16).startswith(b'HTTP/1.1 200')
    except OSError:
        return False


def once(cmd):
    port = free_port()
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd + ['--port', str(port)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        deadline = t0 + 60
        while time.perf_counter() < deadline:
            if answered(port):
                return (time.perf_counter() - t0) * 1000
            if p.poll() is not None:
                sys.exit('ready.py: %s exited with %d' % (cmd[0], p.returncode))
            time.sleep(0.0002)
        sys.exit('ready.py: %s not ready within 60 s' % cmd[0])
    finally:
        p.terminate()
        p.wait(timeout=30)


runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = sorted(once(cmd) for _ in range(runs))
print('%.1f %.1f %.1f' % (statistics.median(times), times[0], times[-1]))
