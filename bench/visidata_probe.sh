#!/usr/bin/env bash
# VisiData on the same CSV, for comparison: time to first screen and memory once fully loaded.
# Usage: bench/visidata_probe.sh CSV [VD]   (VD: a visidata binary in the bench's own environment,
# e.g. python -m venv /tmp/vd && /tmp/vd/bin/pip install visidata)
set -euo pipefail
csv=$1; vd=${2:-vd}; session=vd-probe-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
start=$(date +%s.%N)
tmux new-session -d -s "$session" -x 160 -y 48 "$vd $csv"
until tmux capture-pane -t "$session" -p | grep -q "event_id_cnty"; do sleep 0.02; done
first=$(echo "$(date +%s.%N) - $start" | bc)
pids=$(pgrep -f "$csv")
# Loading goes on in the background; wait until the row count stops growing.
last=""; while true; do sleep 2; rows=$(tmux capture-pane -t "$session" -p | grep -oE '[0-9]+ rows' | tail -1 || true)
  [ "$rows" = "$last" ] && [ -n "$rows" ] && break; last=$rows; done
loaded=$(echo "$(date +%s.%N) - $start" | bc)
rss=$(for p in $pids; do awk '/VmHWM/ {print int($2/1024)}' /proc/$p/status 2>/dev/null; done | sort -n | tail -1)
echo "visidata: first screen ${first} s, fully loaded ${loaded} s (${rows}), peak RSS ${rss} MB"
