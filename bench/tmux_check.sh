#!/usr/bin/env bash
# Drive the real app in a real terminal (tmux) and check what the screen shows.
# Usage: bench/tmux_check.sh [DB]   (needs tmux; builds the seed database if DB is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-timeline.db}
session=timeline-check-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

wait_for() {  # poll the screen for a text instead of sleeping a fixed time
  for _ in $(seq 1 100); do
    tmux capture-pane -t "$session" -p | grep -q "$1" && return 0
    sleep 0.1
  done
  echo "FAIL: '$1' never appeared. Screen:"; tmux capture-pane -t "$session" -p; exit 1
}

tmux new-session -d -s "$session" -x 160 -y 48 ".venv/bin/timeline --db $db"
wait_for " of .* events"
sleep 0.5  # the facet panes fill just after the first rows
tmux send-keys -t "$session" a
sleep 0.3
tmux send-keys -t "$session" Enter
wait_for "(filtered)"
wait_for "1 chosen"
tmux send-keys -t "$session" Escape
sleep 0.3  # Textual reads a lone Escape ~100 ms late
tmux send-keys -t "$session" "?"
wait_for "Next month"
tmux send-keys -t "$session" Escape
sleep 0.3
tmux send-keys -t "$session" c
wait_for "Actors (a)"
tmux send-keys -t "$session" q
echo "ok: start, actor filter, help and clear work in a real terminal"
