"""Signs in for scripts/schemathesis.sh, reading the one-time code from the data directory's SMS
log (the demo "SMS centre"), and prints schemathesis' configuration with the session:

    python3 scripts/schemathesis_signin.py applicant BASE_URL DATA_DIR
        signs a student of the demo roster in, files a clearance request in their name, asks
        for its one-time code (sent to the mobile the sign-in bound to it) and exchanges it for
        the applicant's bearer token (the applicant operations);
    python3 scripts/schemathesis_signin.py person BASE_URL DATA_DIR
        asks for a sign-in code for the demo roster's newly admitted person (`serve
        --demo-users`) and exchanges it for a person session: its cookie and CSRF token (the
        sign-in operations);
    python3 scripts/schemathesis_signin.py student BASE_URL DATA_DIR
        the same for a student of the demo roster (filing requests in their own name: the
        hooks put their national ID and student number into the generated requests)."""

import json
import sys
import time
import urllib.request
import uuid

MODE, BASE, DATA = sys.argv[1], sys.argv[2], sys.argv[3]
# People of the demo roster (server/src/domain/roster.rs, DEMO_ROSTER): a student (as
# scripts/schemathesis_hooks.py's STUDENT) and the newly admitted person, with their mobiles.
STUDENT = ({"national_id": "0084575948"}, "09121234567")
ADMITTED = ({"national_id": "0456789121"}, "09120000004")


def post(path, body, headers=None):
    """The answer's JSON body and headers."""
    request = urllib.request.Request(
        BASE + path,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer), answer.headers


def sms_lines():
    """Every SMS the server has written to sms.log so far."""
    try:
        with open(f"{DATA}/sms.log", encoding="utf-8") as log:
            return [json.loads(line) for line in log if line.strip()]
    except FileNotFoundError:
        return []


def sms_code(mobile, after):
    """The first one-time code to `mobile` in sms.log after its first `after` lines, waiting
    for the sender."""
    for _ in range(100):
        codes = [
            m
            for m in sms_lines()[after:]
            if m.get("kind") == "one_time_code" and m.get("to") == mobile
        ]
        if codes:
            text = codes[0]["text"].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
            return text.split(": ")[-1][:6]
        time.sleep(0.1)
    sys.exit("no one-time code in sms.log")


def sign_in(who, mobile):
    """A person session: the cookie's value and the CSRF token."""
    before = len(sms_lines())
    post("/api/v1/signin/code", who)
    session, headers = post("/api/v1/signin/verify", {**who, "code": sms_code(mobile, before)})
    cookie = headers["set-cookie"].split(";")[0].split("=", 1)[1]
    return cookie, session["csrf_token"]


def print_person(cookie, csrf):
    print(f'[auth.openapi.personSession]\napi_key = "{cookie}"\n')
    print(f'[auth.openapi.csrfToken]\napi_key = "{csrf}"')


if MODE == "applicant":
    who, mobile = STUDENT
    cookie, csrf = sign_in(who, mobile)
    receipt, _ = post(
        "/api/v1/requests",
        {
            "kind": "clearance",
            "national_id": who["national_id"],
            "answers": {"reason": "withdrawal", "evening_course": False},
        },
        {
            "Idempotency-Key": str(uuid.uuid4()),
            "Cookie": f"pishkhan_person={cookie}",
            "X-CSRF-Token": csrf,
        },
    )
    code = {"tracking_code": receipt["tracking_code"], "national_id": who["national_id"]}
    before = len(sms_lines())
    post("/api/v1/applicant/code", code)
    session, _ = post("/api/v1/applicant/session", {**code, "code": sms_code(mobile, before)})
    print(f'[auth.openapi.applicantToken]\nbearer = "{session["token"]}"')
elif MODE == "person":
    print_person(*sign_in(*ADMITTED))
elif MODE == "student":
    print_person(*sign_in(*STUDENT))
else:
    sys.exit(f"unknown mode {MODE!r}: applicant, person or student")
