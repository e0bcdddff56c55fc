"""Schemathesis hooks (scripts/schemathesis.sh): data generators for the custom string formats of
the generated OpenAPI document (rules/src/schema.rs), so that "valid" data is valid for the
server too: a pattern cannot say a national ID's check digit, a tracking code's Damm digit or
the days of a Jalali month; `before_call` below adds what no schema keyword can say (a filed
request names the signed-in person); and the serializer of the roster's text/csv body."""

import hashlib
import json
import os
import re
import tomllib
import urllib.request
import uuid

import schemathesis
from hypothesis import strategies as st

DAMM = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
]


def damm(digits):
    interim = 0
    for d in digits:
        interim = DAMM[interim][d]
    return interim


def tracking_code(n):
    body = [int(c) for c in f"{n:011d}"]
    code = "".join(map(str, body + [damm(body)]))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def national_id(n):
    d = [int(c) for c in f"{n:09d}"]
    r = sum(x * w for x, w in zip(d, range(10, 1, -1))) % 11
    return "".join(map(str, d + [r if r < 2 else 11 - r]))


def jalali(year, month, day):
    last = 31 if month <= 6 else 30 if month <= 11 else 29
    return f"{year:04d}-{month:02d}-{min(day, last):02d}"


schemathesis.openapi.format(
    "jalali-date",
    st.builds(jalali, st.integers(1370, 1403), st.integers(1, 12), st.integers(1, 31)),
)
schemathesis.openapi.format(
    "ir-national-id",
    st.integers(1, 999_999_999).map(national_id).filter(lambda s: len(set(s)) > 1),
)
schemathesis.openapi.format(
    "ir-mobile", st.integers(0, 999_999_999).map(lambda n: f"09{n:09d}")
)
schemathesis.openapi.format(
    "tracking-code", st.integers(0, 10**11 - 1).map(tracking_code)
)


# The demo roster's student the filing pass signs in (scripts/schemathesis_signin.py student).
STUDENT = {"national_id": "0084575948", "student_number": "810199123"}


UUID = re.compile(r'^\s*"?[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"?\s*$')


EXEMPTION_BODIES = (
    "POST /api/v1/requests",
    "POST /api/v1/staff/requests",
    "POST /api/v1/applicant/request/actions",
)
FILE_FIELDS = ("withdrawal_form", "early_withdrawal_form", "notarised_undertaking")
UPLOADED = {}


def positive(case):
    meta = getattr(case, "meta", None)
    mode = getattr(getattr(meta, "generation", None), "mode", None)
    return bool(getattr(mode, "is_positive", False))


def person_session():
    """The pass's person session as an upload's headers (from its configuration, pass.toml where
    schemathesis runs), or None in a pass without one."""
    try:
        with open("pass.toml", "rb") as config:
            auth = tomllib.load(config).get("auth", {}).get("openapi", {})
    except OSError:
        return None
    cookie = auth.get("personSession", {}).get("api_key")
    csrf = auth.get("csrfToken", {}).get("api_key")
    if not cookie or not csrf:
        return None
    return {"cookie": f"pishkhan_person={cookie}", "x-csrf-token": csrf}


def uploaded():
    """A PDF uploaded once to the server under test (ST_BASE) by the pass's signed-in person (only
    a signed-in applicant uploads): its sha256, size and type. In a pass with no person session,
    which cannot file a request either, the same file's reference without uploading it."""
    if not UPLOADED:
        pdf = b"%PDF-1.4\n% uploaded by scripts/schemathesis_hooks.py\n"
        stored = {"sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf),
                  "media_type": "application/pdf"}
        session = person_session()
        if session is not None:
            request = urllib.request.Request(
                os.environ["ST_BASE"] + "/api/v1/attachments",
                data=pdf,
                headers={"content-type": "application/octet-stream", **session},
                method="POST",
            )
            with urllib.request.urlopen(request) as answer:
                stored = json.load(answer)
        UPLOADED.update(
            sha256=stored["sha256"], size=stored["size"], media_type=stored["media_type"]
        )
    return UPLOADED


def roster(seed):
    """A valid roster of one to three people drawn from `seed`: national IDs from 5000000000 up
    (never the demo roster's, which start with 0) and student numbers made of them (S + national
    ID), so that no two imports give one number to two people."""
    rows = ["student_number,national_id,mobile,faculty,level,status"]
    for i in range(1 + seed % 3):
        nid = national_id(500_000_000 + (seed * 7 + i) % 499_999_999)
        status = "admitted" if i % 2 else "student"
        rows.append(f"S{nid},{nid},0912{(seed + i) % 10**7:07d},فنی,phd,{status}")
    return "\n".join(rows) + "\n"


@schemathesis.serializer("text/csv")
def csv_body(ctx, value):
    """A roster as sent: text as UTF-8; anything else (negative cases) as its JSON."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value).encode()


# The operations whose query, or body, may name a university by its code.
UNIVERSITY_QUERIES = {"GET /api/v1/signin/methods", "POST /api/v1/admin/roster"}
UNIVERSITY_BODIES = {"POST /api/v1/signin/code", "POST /api/v1/signin/verify"}


@schemathesis.hook
def before_call(context, case, kwargs):
    """POST /api/v1/requests: a client sends a fresh Idempotency-Key per new body (the same key
    with another body is refused by design, 422 IDEMPOTENCY_KEY_REUSED); a well-formed key the
    generator repeats is replaced by a fresh one before every call (in every phase), and an
    upload is given a file signature."""
    label = case.operation.label
    if label == "POST /api/v1/requests" and case.headers:
        key = case.headers.get("Idempotency-Key")
        if isinstance(key, str) and UUID.match(key):
            case.headers["Idempotency-Key"] = str(uuid.uuid4())
    # POST /api/v1/attachments: the document says the bytes must be a PDF, JPEG or PNG (judged
    # from the first bytes); no schema keyword makes a generator write a file signature.
    if label == "POST /api/v1/attachments":
        body = case.body.encode() if isinstance(case.body, str) else case.body
        if isinstance(body, (bytes, bytearray)):
            case.body = b"%PDF-" + bytes(body)
    # POST /api/v1/admin/users: `university` names a university of GET /api/v1/universities and
    # goes with some roles' scopes only, which no schema can say of a random role: a valid
    # university admin serves the default university; any other new user leaves it out (the
    # tests of workflow_api.rs cover the combinations).
    if label == "POST /api/v1/admin/users" and positive(case) and isinstance(case.body, dict):
        if case.body.get("role") == "university_admin":
            case.body["university"] = "default"
            case.body["scope"] = "*"
        else:
            case.body.pop("university", None)
        # A faculty role's scope names one of the university's faculties (a resource another
        # call creates): a valid one serves every faculty.
        if case.body.get("role") in ("faculty_expert", "head_of_faculty_education"):
            case.body["scope"] = "*"
    # A `university` (a code, in a query or a sign-in body) names one of GET /api/v1/universities
    # (the default one is always there), which a schema cannot list; an unknown code is 422.
    if label in UNIVERSITY_QUERIES and positive(case) and isinstance(case.query, dict):
        if isinstance(case.query.get("university"), str):
            case.query["university"] = "default"
    if label in UNIVERSITY_BODIES and positive(case) and isinstance(case.body, dict):
        if isinstance(case.body.get("university"), str):
            case.body["university"] = "default"
    # /api/v1/admin/universities/{university}/…: a valid code is one of GET /api/v1/universities (the
    # default one is always there).
    if (
        case.operation.path.startswith("/api/v1/admin/universities/{university}/")
        and positive(case)
        and isinstance(case.path_parameters, dict)
    ):
        case.path_parameters["university"] = "default"
    # POST /api/v1/admin/roster: a valid roster's national IDs have their check digits, and its
    # student numbers belong to nobody else on the roster (which no schema can say of a CSV).
    if label == "POST /api/v1/admin/roster" and positive(case) and isinstance(case.body, str):
        case.body = roster(sum(map(ord, case.body)))
    # POST /api/v1/requests: a valid withdrawal refers to files uploaded before (a resource
    # another call creates, which a schema cannot link): point its files at an uploaded one. And
    # a person files in their own name only (the signed-in one, whom no schema can name): their
    # national ID and student number go where the request names its person.
    if label == "POST /api/v1/requests" and positive(case) and isinstance(case.body, dict):
        answers = case.body.get("answers")
        if isinstance(case.body.get("national_id"), str):
            case.body["national_id"] = STUDENT["national_id"]
        if isinstance(answers, dict):
            for field in FILE_FIELDS:
                if isinstance(answers.get(field), dict):
                    answers[field].update(uploaded())
            for field in ("national_id", "student_number"):
                if isinstance(answers.get(field), str):
                    answers[field] = STUDENT[field]
    # An exemption the pre-check says no to must carry a justification: a client asks the
    # pre-check first (POST /api/v1/precheck); a blank one is filled in (a justification is
    # accepted whatever the pre-check says).
    if label in EXEMPTION_BODIES and positive(case) and isinstance(case.body, dict):
        answers = case.body.get("answers")
        if isinstance(answers, dict) and case.body.get("kind", "exemption") == "exemption":
            # The envelope's national ID, when given, is the one among the answers.
            if isinstance(case.body.get("national_id"), str) and "national_id" in answers:
                case.body["national_id"] = answers["national_id"]
            text = answers.get("justification")
            if not isinstance(text, str) or not text.strip():
                answers["justification"] = "justified by schemathesis"
            # The university of study is one of GET /api/v1/universities (the default one is
            # always there), which a schema cannot list.
            if isinstance(answers.get("university"), str):
                answers["university"] = "default"


@schemathesis.hook
def filter_body(context, body):
    """PUT /api/v1/admin/offices (and a university's): office ids must be unique, which no schema
    keyword says of one property of the items."""
    label = getattr(context.operation, "label", "")
    offices_put = ("PUT /api/v1/admin/offices", "PUT /api/v1/admin/universities/{university}/offices")
    if label in offices_put and isinstance(body, dict):
        offices = body.get("offices")
        if isinstance(offices, list):
            ids = [o.get("id") for o in offices if isinstance(o, dict)]
            return len(ids) == len(set(map(str, ids)))
    return True


# A staff password the server takes: 12 to 128 characters and not a commonly used one (the
# server refuses "000000000000" and the like; ASVS 2.1.7, which no schema keyword can say).
schemathesis.openapi.format(
    "password",
    st.text(max_size=100).map(lambda s: ("pishkhan-" + s + "-staff")[:128]),
)
