"""Signs an applicant in for scripts/schemathesis.sh: files a clearance request, asks for the
one-time code, reads it from the data directory's SMS log (the demo "SMS centre") and exchanges
it for a session. Prints schemathesis' configuration with the bearer token.

    python3 scripts/schemathesis_applicant.py BASE_URL DATA_DIR"""

import json
import sys
import time
import urllib.request
import uuid

BASE, DATA = sys.argv[1], sys.argv[2]
NATIONAL_ID = "0084575948"


def post(path, body, headers=None):
    request = urllib.request.Request(
        BASE + path,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


receipt = post(
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
code = None
for _ in range(100):
    try:
        with open(f"{DATA}/sms.log", encoding="utf-8") as log:
            lines = [json.loads(line) for line in log if line.strip()]
    except FileNotFoundError:
        lines = []
    codes = [m for m in lines if m.get("kind") == "one_time_code"]
    if codes:
        text = codes[-1]["text"].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
        code = text.split(": ")[-1][:6]
        break
    time.sleep(0.1)
if code is None:
    sys.exit("no one-time code in sms.log")
session = post("/api/v1/applicant/session", {**who, "code": code})
print(f'[auth.openapi.applicantToken]\nbearer = "{session["token"]}"')
