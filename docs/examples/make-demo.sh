#!/usr/bin/env bash
# Rebuilds the sample exports in this folder from a small demo notebook, through the real
# `stones` binary. Run from anywhere: docs/examples/make-demo.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/stones-target}"
cargo build -q -p stones-cli --manifest-path "$root/Cargo.toml"
stones="$CARGO_TARGET_DIR/debug/stones"
export STONES_HOME="$(mktemp -d)"
trap 'rm -rf "$STONES_HOME"' EXIT

$stones init --title "Riverside Stewardship Group" --name Ana --sector NHS --role convener \
  --purpose "Health, council and voluntary partners learning to steward the riverside together." >/dev/null
$stones member add --name Ben --sector council >/dev/null
$stones member add --name Chidi --sector charity >/dev/null

s1=$($stones session new --date 2026-11-05 --kind weekly --title "Getting started" --convener Ana \
  --question "What weather are you bringing today?")
$stones checkin "$s1" --text "Bright with a chance of showers." --scope export
$stones checkin "$s1" --member Ben --text "Foggy: a hard week at work." --scope group
$stones checkin "$s1" --member Chidi --pass
r=$($stones reflection add "$s1" --title "What we noticed" --text "We arrived from very different places.")
$stones reflection append "$s1" "$r" --text "Naming the weather made it easier to listen."
q=$($stones question add --text "How do we share decisions without a chair?" --session "$s1")

s2=$($stones session new --date 2026-12-03 --kind monthly --title "Day at the river" --convener Ben \
  --question "What did the river teach you this month?")
$stones checkin "$s2" --text "Patience." --scope export
$stones checkin "$s2" --member Ben --text "That it floods where we least expect." --scope export
st=$($stones story add "$s2" --title "The footbridge closure" --teller Chidi \
  --text "When the footbridge closed, families stopped coming to the drop-in.")
$stones story retell "$s2" "$st" --angle "the council" --teller Ben \
  --text "We closed it for safety and did not think about who crossed it." >/dev/null
$stones story retell "$s2" "$st" --angle "the clinic" --teller Ana \
  --text "Appointments were missed that month and we did not know why." >/dev/null
$stones question note "$q" --text "Tried a rotating convener." --session "$s2"
$stones question status "$q" resting --session "$s2"
$stones learning add --title "Ask who crosses the bridge" \
  --text "Before closing anything, ask who relies on it." --session "$s2" >/dev/null

rm -rf "$here/markdown" "$here/automerge" "$here/notebook.html" "$here/notebook.json"
$stones export --format markdown --out "$here/markdown"
$stones export --format html --out "$here/notebook.html"
$stones export --format json --out "$here/notebook.json"
$stones export --format automerge --out "$here/automerge"
