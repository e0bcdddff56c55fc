"""Signs in for scripts/schemathesis.sh, reading the one-time code from the data directory's SMS
log (the demo "SMS centre"), and prints schemathesis' configuration with the session:

    python3 scripts/schemathesis_signin.py applicant BASE_URL DATA_DIR
        files a clearance request, asks for its one-time code and exchanges it for the
        applicant's bearer token (the applicant operations);
    python3 scripts/schemathesis_signin.py person BASE_URL DATA_DIR
        asks for a sign-in code for a person of the demo roster (`serve --demo-users`) and
        exchanges it for a person session: its cookie and CSRF token (the sign-in operations)."""

import json
import sys
import time
import urllib.request
import uuid

MODE, BASE, DATA = sys.argv[1], sys.argv[2], sys.argv[3]
NATIONAL_ID = "0084575948"
# The demo roster's newly admitted person (server/src/domain/roster.rs, DEMO_ROSTER).
PERSON = {"national_id": "0456789121"}
PERSON_MOBILE = "09120000004"


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


def sms_code(mobile=None):
    """The latest one-time code in sms.log (to `mobile`, if given), waiting for the sender."""
    for _ in range(100):
        try:
            with open(f"{DATA}/sms.log", encoding="utf-8") as log:
                lines = [json.loads(line) for line in log if line.strip()]
        except FileNotFoundError:
            lines = []
        codes = [
            m
            for m in lines
            if m.get("kind") == "one_time_code" and mobile in (None, m.get("to"))
        ]
        if codes:
            text = codes[-1]["text"].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
            return text.split(": ")[-1][:6]
        time.sleep(0.1)
    sys.exit("no one-time code in sms.log")


if MODE == "applicant":
    receipt, _ = post(
        "/api/v1/requests",
        {
            "kind": "clearance",
            "national_id": NATIONAL_ID,
            "mobile": "09120000000",
            "answers": {"reason": "withdrawal", "evening_course": False},
        },
        {"Idempotency-Key": str(uuid.uuid4())},
    )
    who = {"tracking_code": receipt["tracking_code"], "national_id": NATIONAL_ID}
    post("/api/v1/applicant/code", who)
    session, _ = post("/api/v1/applicant/session", {**who, "code": sms_code()})
    print(f'[auth.openapi.applicantToken]\nbearer = "{session["token"]}"')
elif MODE == "person":
    post("/api/v1/signin/code", PERSON)
    session, headers = post("/api/v1/signin/verify", {**PERSON, "code": sms_code(PERSON_MOBILE)})
    cookie = headers["set-cookie"].split(";")[0].split("=", 1)[1]
    print(f'[auth.openapi.personSession]\napi_key = "{cookie}"\n')
    print(f'[auth.openapi.csrfToken]\napi_key = "{session["csrf_token"]}"')
else:
    sys.exit(f"unknown mode {MODE!r}: applicant or person")
