#!/usr/bin/env python3
"""Small helpers of scripts/bench, standard library only.

  tool.py token SECRET SUBJECT                 an HS256 JWT {sub, iat, exp=+1 day} for Authorization: Bearer
  tool.py wait-health PORT T0_NS TIMEOUT_S     polls http://127.0.0.1:PORT/health every 10 ms until a 200;
                                               prints the milliseconds since T0_NS (a `date +%s%N` taken just
                                               before the server process was launched); exit 1 on timeout
  tool.py populate PORT PATH TOKEN KEYS [TTL]  PUTs k1..kKEYS under PATH (one keep-alive connection), so GET
                                               loads read existing keys; exit 1 on any non-200
  tool.py rss PID                              VmRSS of the process in MiB (from /proc/PID/status)
"""
import base64
import hashlib
import hmac
import http.client
import json
import sys
import time


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def token(secret: str, subject: str) -> str:
    now = int(time.time())
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = b64url(json.dumps({"sub": subject, "iat": now, "exp": now + 86400}, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = b64url(hmac.new(secret.encode(), signing_input, hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def wait_health(port: int, t0_ns: int, timeout_s: float) -> int:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                print(round((time.time_ns() - t0_ns) / 1e6))
                return 0
        except OSError:
            pass
        time.sleep(0.01)
    print(f"no 200 from /health on port {port} within {timeout_s} s", file=sys.stderr)
    return 1


def populate(port: int, path: str, bearer: str, keys: int, ttl: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": "Bearer " + bearer, "Content-Type": "application/json"}
    for k in range(1, keys + 1):
        body = {"value": {"n": k, "note": "benchmark"}}
        if ttl:
            body["ttl"] = int(ttl)
        conn.request("PUT", f"{path}k{k}", body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        text = response.read()
        if response.status != 200:
            print(f"populate {path}k{k}: {response.status} {text[:300]!r}", file=sys.stderr)
            return 1
    conn.close()
    return 0


def rss(pid: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                print(round(int(line.split()[1]) / 1024))
                return 0
    return 1


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "token":
        print(token(argv[2], argv[3]))
        return 0
    if cmd == "wait-health":
        return wait_health(int(argv[2]), int(argv[3]), float(argv[4]))
    if cmd == "populate":
        return populate(int(argv[2]), argv[3], argv[4], int(argv[5]), argv[6] if len(argv) > 6 else "")
    if cmd == "rss":
        return rss(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
