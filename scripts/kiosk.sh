#!/usr/bin/env bash
# Starts a university kiosk: Debian's Chromium full screen (--kiosk) on Pishkhan in kiosk mode.
#
#   bash scripts/kiosk.sh [IDLE_SECONDS]
#
# PISHKHAN_URL   the app (default http://127.0.0.1:8080, e.g. `bash scripts/run.sh` on this machine)
# CHROMIUM       the browser (default: chromium, then chromium-browser, on PATH)
# KIOSK_PROFILE  the browser profile kept for the kiosk (default ~/.local/share/pishkhan-kiosk)
#
# The app's kiosk mode (?kiosk=1, kept by the browser until ?kiosk=0) wipes each visitor's data
# after IDLE_SECONDS without input (minimum 5, default 120) and a 20 s warning, or at once with
# "finish and clear". --kiosk-printing prints receipts on the default printer without a dialog.
# Leave full screen with Alt+F4 (or stop this script).
set -euo pipefail

url="${PISHKHAN_URL:-http://127.0.0.1:8080}"
idle="${1:-}"
if [[ -n "$idle" && ! "$idle" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [IDLE_SECONDS]  (a whole number of seconds, at least 5)" >&2
  exit 2
fi
browser="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [[ -z "$browser" ]]; then
  echo "no Chromium found: apt-get install chromium (or set CHROMIUM)" >&2
  exit 1
fi
profile="${KIOSK_PROFILE:-${XDG_DATA_HOME:-$HOME/.local/share}/pishkhan-kiosk}"
mkdir -p "$profile"

start="${url%/}/?kiosk=1${idle:+&idle=$idle}"
echo "Pishkhan kiosk: $start (profile $profile)" >&2
exec "$browser" \
  --kiosk \
  --kiosk-printing \
  --user-data-dir="$profile" \
  --no-first-run \
  --no-default-browser-check \
  --disable-translate \
  --disable-features=Translate,TranslateUI \
  --disable-session-crashed-bubble \
  --disable-infobars \
  --disable-pinch \
  --overscroll-history-navigation=0 \
  --noerrdialogs \
  --password-store=basic \
  --check-for-update-interval=31536000 \
  "$start"
