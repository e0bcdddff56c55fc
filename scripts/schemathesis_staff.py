"""Signs a demo staff user in for scripts/schemathesis.sh and prints `<cookie> <csrf token>`.

An account with a second factor signs in with the password, then one of the recovery codes kept
in `<work>/recovery-<username>.json` (each works once); an account that must set one up and has
none enrols it (RFC 6238 code computed here) and keeps its recovery codes there. docs/staff-api.md,
"Second factor".

    python3 scripts/schemathesis_staff.py USERNAME PASSWORD BASE WORK_DIR
"""

import base64
import hashlib
import hmac
import json
import struct
import sys
import time
import urllib.error
import urllib.request


def totp(secret_base32, at):
    """The 6-digit RFC 6238 code (HMAC-SHA-1, 30 s) of a base32 secret at Unix second `at`."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def post(url, body, cookie=None, csrf=None):
    """POSTs JSON; (status, headers, parsed body)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("content-type", "application/json")
    if cookie:
        request.add_header("cookie", "pishkhan_staff=" + cookie)
    if csrf:
        request.add_header("x-csrf-token", csrf)
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, answer.headers, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, json.loads(e.read() or b"null")


def session_cookie(headers):
    for value in headers.get_all("set-cookie") or []:
        if value.startswith("pishkhan_staff="):
            return value.split(";")[0].split("=", 1)[1]
    raise SystemExit("no session cookie")


def main():
    username, password, base, work = sys.argv[1:5]
    kept = f"{work}/recovery-{username}.json"
    status, headers, body = post(f"{base}/api/v1/staff/login",
                                 {"username": username, "password": password})
    if status == 202:
        codes = json.load(open(kept))
        code = codes.pop()
        json.dump(codes, open(kept, "w"))
        status, headers, body = post(f"{base}/api/v1/staff/login/second-factor",
                                     {"second_step_token": body["second_step_token"],
                                      "recovery_code": code})
    if status != 200:
        raise SystemExit(f"sign-in of {username}: {status} {body}")
    cookie, csrf = session_cookie(headers), body["csrf_token"]
    if body.get("must_enrol"):
        _, _, enrolment = post(f"{base}/api/v1/staff/second-factor/enrol", {}, cookie, csrf)
        code = totp(enrolment["secret_base32"], time.time())
        status, _, confirmed = post(f"{base}/api/v1/staff/second-factor/confirm",
                                    {"code": code}, cookie, csrf)
        if status != 200:
            raise SystemExit(f"enrolment of {username}: {status} {confirmed}")
        json.dump(confirmed["recovery_codes"], open(kept, "w"))
    print(cookie, csrf)


if __name__ == "__main__":
    main()
