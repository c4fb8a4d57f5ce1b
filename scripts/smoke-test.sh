#!/usr/bin/env bash
# The real window in a virtual X display: start the built binary on a fresh database, check a
# window appears and draws something other than one flat colour, check a second start on the
# same file hands over to it and exits, press Ctrl+N, type a title, quit with Ctrl+Q, and check
# the note is in the database file.
#
#   scripts/smoke-test.sh [BINARY]      (default target/debug/folio; build it first)
#
# It installs Xvfb, software OpenGL, ImageMagick and xdotool when it can (Debian, as root);
# where no X server can be started it says so and exits 0 without testing, except in CI
# (FOLIO_REQUIRE_TOOLS=1, set by .ci/run), where a skip is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
skip() {
  echo "smoke test: SKIPPED, $1"
  if [ -n "${FOLIO_REQUIRE_TOOLS:-}" ]; then echo "smoke test: FAILED, CI requires it to run" >&2; exit 1; fi
  exit 0
}
binary=${1:-target/debug/folio}
[ -x "$binary" ] || { echo "smoke test: no binary at $binary; build it first" >&2; exit 1; }

need=(xvfb xauth libxcursor1 libxi6 libxkbcommon-x11-0 libegl1 libegl-mesa0 libgl1-mesa-dri imagemagick xdotool)
if command -v dpkg >/dev/null; then
  missing=()
  for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "smoke test: installing ${missing[*]}"
    apt-get update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
      echo "smoke test: the install failed"
  fi
fi
for tool in Xvfb xdotool import convert; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done

work=$(mktemp -d)
export XDG_RUNTIME_DIR=$work/runtime XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config HOME=$work
mkdir -m 700 "$XDG_RUNTIME_DIR"
display=:$((100 + RANDOM % 400))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
app=
cleanup() { [ -n "$app" ] && kill "$app" 2>/dev/null; kill "$xvfb" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export DISPLAY=$display LIBGL_ALWAYS_SOFTWARE=1
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
sleep 0.5
if ! xdotool getdisplaygeometry >/dev/null 2>&1; then
  skip "no X server could be started"
fi

db=$work/smoke.folio
"$binary" --db "$db" >"$work/folio.log" 2>&1 &
app=$!
win=
for _ in $(seq 100); do
  win=$(xdotool search --pid "$app" 2>/dev/null | tail -n 1 || true)
  [ -n "$win" ] && break
  kill -0 "$app" 2>/dev/null || { echo "smoke test: FAILED, folio exited"; cat "$work/folio.log"; exit 1; }
  sleep 0.1
done
[ -n "$win" ] || { echo "smoke test: FAILED, no window appeared in 10 s"; cat "$work/folio.log"; exit 1; }
sleep 2
import -window root "$work/shot.png"
colours=$(convert "$work/shot.png" -format '%k' info:)
[ "$colours" -gt 1 ] || { echo "smoke test: FAILED, the window is one flat colour"; exit 1; }

# Started again on the same file, Folio brings this window forward and exits.
second=$(timeout 10 "$binary" --db "$db" 2>&1) ||
  { echo "smoke test: FAILED, a second start did not exit cleanly: $second"; exit 1; }
case "$second" in
  *"already has"*"brought to the front"*) ;;
  *) echo "smoke test: FAILED, a second start said: $second"; exit 1 ;;
esac
[ "$(xdotool search --pid "$app" 2>/dev/null | wc -l)" -ge 1 ] || { echo "smoke test: FAILED, the first window went away"; exit 1; }

xdotool windowfocus --sync "$win" 2>/dev/null || true
xdotool key --window "$win" ctrl+n
sleep 1
xdotool type --delay 20 "Smoke test note"
sleep 1.5
xdotool key --window "$win" ctrl+q
for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app" 2>/dev/null; then echo "smoke test: FAILED, Ctrl+Q did not quit"; exit 1; fi
app=

found=$("$binary" --db "$db" search "Smoke test note" --json)
case "$found" in
  *'"total": 1'*'"title": "Smoke test note"'*) ;;
  *) echo "smoke test: FAILED, the note is not in the file: $found"; cat "$work/folio.log"; exit 1 ;;
esac
echo "smoke test: passed (window drawn in $colours colours; a second start handed over; the note typed is in the file)"
