#!/usr/bin/env bash
# Runs schemathesis (PyPI, 4.x) with all its checks against the real server and the OpenAPI
# document it serves (generated from the API's types, `api::openapi`), in ten passes: anonymous,
# as a clerk, as the admin, the admin resetting second factors, the admin changing users, as an applicant signed in to a request (the
# applicant operations; a student of the demo roster signs in and files it first), a clerk
# signing out, a student of the demo roster filing requests in their own name (and uploading
# files), as a person signed in from the demo roster (the sign-in operations) and that person
# signing out. Installs schemathesis into .tools/ when missing,
# starts `pishkhan serve` on a free port with a fresh data directory, the demo users and the rate
# limits raised, stops it at the end. Every pass also reads scripts/schemathesis-operations.toml
# (what one operation's checks expect). Ends with "schemathesis: N passed, N failed" (one per pass;
# scripts/test.sh counts them) and exits non-zero on any failure.
#
#   bash scripts/schemathesis.sh                 # the ten passes
#   ST_EXAMPLES=25 ST_SEED=1 ST_CLERK=university bash scripts/schemathesis.sh   (the clerk: police
#   by default, who also files exemptions, POST /api/v1/staff/requests)
#
# Sessions: signing out (POST /api/v1/staff/logout, POST /api/v1/signin/logout) ends the session
# the pass runs with, and an admin's PATCH /api/v1/admin/users/{id} may disable or re-password the
# admin itself, DELETE …/second-factor reset its second factor (and end its sessions); each runs
# in a pass of its own, after the others, with a fresh session (never skipped).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=$ROOT/.tools/schemathesis-venv
EXAMPLES=${ST_EXAMPLES:-25}
CLERK=${ST_CLERK:-police}
PASSWORD=pishkhan-demo

if ! "$VENV/bin/schemathesis" --version >/dev/null 2>&1; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q 'schemathesis>=4,<5' || exit 1
fi
cargo build --locked -q -p server || exit 1
# Wherever CARGO_TARGET_DIR puts it.
PISHKHAN="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/debug/pishkhan"

WORK=$(mktemp -d)
mkdir -p "$WORK/data" "$WORK/dist"
# The rate-limited operations (lookups, one-time codes, sign-in) run with their limits raised.
"$PISHKHAN" serve --addr 127.0.0.1:0 --dist "$WORK/dist" --data-dir "$WORK/data" \
    --demo-users --lookups-per-minute 1000000 --logins-per-minute 1000000 \
    --codes-per-person 1000000 --payment-gateway sandbox --sms-log \
    >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER=$!
stop() {
    kill "$SERVER" 2>/dev/null
    wait "$SERVER" 2>/dev/null
    rm -rf "$WORK"
}
trap stop EXIT
for _ in $(seq 100); do
    BASE=$(sed -n 's/^pishkhan listening on //p' "$WORK/server.out")
    [ -n "$BASE" ] && break
    sleep 0.1
done
if [ -z "${BASE:-}" ]; then
    echo "the server did not start:" >&2
    cat "$WORK/server.err" >&2
    exit 1
fi
echo "server at $BASE"

# Signs in as $1 (scripts/schemathesis_staff.py: the admin's second factor set up once, then a
# recovery code at each sign-in); writes schemathesis' configuration with the session (cookie) and
# the CSRF token as the document's security schemes, so that schemathesis can also leave them out.
login() {
    local cookie csrf
    read -r cookie csrf < <(python3 "$ROOT/scripts/schemathesis_staff.py" "$1" "$PASSWORD" \
        "$BASE" "$WORK") || return 1
    [ -n "$csrf" ] || return 1
    printf '[auth.openapi.staffSession]\napi_key = "%s"\n\n[auth.openapi.csrfToken]\napi_key = "%s"\n' \
        "$cookie" "$csrf"
}

PASSED=0
FAILED=0
# One pass: its name, the command that writes schemathesis' configuration (the session it runs
# with), then `--` and schemathesis' filter arguments. A pass whose session cannot be opened
# fails.
pass() {
    local name=$1 setup=() status=0
    shift
    while [ "$1" != -- ]; do
        setup+=("$1")
        shift
    done
    shift
    echo "=== $name"
    local start=$SECONDS
    "${setup[@]}" >"$WORK/pass.toml" || { echo "cannot open the pass's session" >&2; status=1; }
    cat "$ROOT/scripts/schemathesis-operations.toml" >>"$WORK/pass.toml"
    # Run from the scratch folder: schemathesis keeps its cache (.schemathesis/) where it runs.
    [ $status = 0 ] && (cd "$WORK" && ST_BASE=$BASE PYTHONPATH=$ROOT/scripts \
        SCHEMATHESIS_HOOKS=schemathesis_hooks "$VENV/bin/schemathesis" \
        --config-file "$WORK/pass.toml" run "$BASE/api/v1/openapi.json" --checks all \
        --max-examples "$EXAMPLES" --workers 1 --seed "${ST_SEED:-1}" --no-color "$@") || status=1
    if [ $status = 0 ]; then
        PASSED=$((PASSED + 1))
        echo "=== $name: passed in $((SECONDS - start)) s"
    else
        FAILED=$((FAILED + 1))
        echo "=== $name: FAILED in $((SECONDS - start)) s"
    fi
}

pass anonymous true --
pass "clerk ($CLERK)" login "$CLERK" -- --exclude-operation-id staffLogout
pass admin login admin -- --exclude-operation-id staffLogout --exclude-operation-id adminChangeUser \
    --exclude-operation-id adminResetSecondFactor
pass "admin: resetting second factors" login admin -- --include-operation-id adminResetSecondFactor
pass "admin: changing users" login admin -- --include-operation-id adminChangeUser
pass applicant python3 scripts/schemathesis_signin.py applicant "$BASE" "$WORK/data" -- \
    --include-tag applicant
pass "clerk: signing out" login "$CLERK" -- --include-operation-id staffLogout
pass "student: filing" python3 scripts/schemathesis_signin.py student "$BASE" "$WORK/data" -- \
    --include-operation-id submitRequest --include-operation-id uploadAttachment
pass person python3 scripts/schemathesis_signin.py person "$BASE" "$WORK/data" -- \
    --include-tag signin --exclude-operation-id signinLogout
pass "person: signing out" python3 scripts/schemathesis_signin.py person "$BASE" "$WORK/data" -- \
    --include-operation-id signinLogout
echo "schemathesis: $PASSED passed, $FAILED failed"
[ $FAILED = 0 ]
