#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (and for trying the shared store): on a unix socket
# in DIR only, never on a network port (listen_addresses=''), with no durability (fsync off).
#
#   scripts/pg_server.sh start DIR   make DIR's server (initdb) if new, start it, print its URL
#   scripts/pg_server.sh stop DIR    stop it (DIR stays; rm -rf it to forget the data)
#   scripts/pg_server.sh run CMD...  start one in a new folder, run CMD with TIMELINE_TEST_PG set to
#                                    its URL, stop it and remove the folder, even when CMD fails;
#                                    exits with CMD's status (`make test` runs pytest this way)
#
# The server binaries are the newest /usr/lib/postgresql/NN/bin (Debian's layout); where there are
# none, Debian's `postgresql` package is installed (as root). Run as root, the server runs as the
# `postgres` user (PostgreSQL refuses to run as root). Under CI (CI=true) a server that cannot
# start is an error; elsewhere `run` says why and runs CMD without it (those tests then skip).
set -euo pipefail

bin_dir() {
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$newest" || ! -x "$newest/initdb" ]]; then
        if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
            echo "pg_server: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin, and cannot install them" \
                "(apt-get install postgresql, as root)" >&2
            return 1
        fi
        echo "pg_server: installing Debian's postgresql package" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
        newest=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$newest"
}

# Run a server binary as the server's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    local dir bin
    dir=$(realpath -m "$1")
    bin=$(bin_dir)
    mkdir -p "$dir"
    chmod 700 "$dir"  # its socket trusts whoever reaches it: nobody else on the machine may
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres "$dir"
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; return 1; }
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-k '$dir' -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
    echo "postgresql://postgres@/postgres?host=$dir"
}

stop() {
    local dir
    dir=$(realpath -m "$1")
    [[ -f "$dir/data/postmaster.pid" ]] || return 0
    as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

run() {
    local url status=0
    RUN_DIR=$(mktemp -d /tmp/timeline-pg.XXXXXX)  # short: a socket's path has a bound of about 100 bytes
    trap 'stop "$RUN_DIR" || true; rm -rf "$RUN_DIR"' EXIT
    for signal in TERM INT HUP; do
        trap "end_command $signal" "$signal"
    done
    if url=$(start "$RUN_DIR"); then
        command_in_its_group env TIMELINE_TEST_PG="$url" "$@" || status=$?
    elif [[ "${CI:-}" == "true" ]]; then
        echo "pg_server: PostgreSQL could not start; under CI that is an error" >&2
        return 1
    else
        echo "pg_server: PostgreSQL could not start: the tests that need it skip" >&2
        command_in_its_group "$@" || status=$?
    fi
    return "$status"
}

# CMD runs in a process group of its own (setsid), waited for in the background: a signal to this
# script (a CI timeout's SIGTERM, a Ctrl-C) reaches `end_command` at once, where a foreground CMD
# would make it wait, or leave CMD running when the script is killed.
COMMAND_PID=""
command_in_its_group() {
    setsid -w "$@" <&0 &
    COMMAND_PID=$!
    wait "$COMMAND_PID"
}

# The signal passed to CMD's whole group (pytest and the processes it started), CMD given 10 s to
# end before it is killed, then the script ends as the signal would have ended it: its EXIT trap
# stops the server.
end_command() {
    local signal=$1 deadline
    if [[ -n "$COMMAND_PID" ]]; then
        kill -"$signal" -- -"$COMMAND_PID" 2>/dev/null || true
        (sleep 10 && kill -KILL -- -"$COMMAND_PID") 2>/dev/null &
        deadline=$!
        wait "$COMMAND_PID" 2>/dev/null || true
        kill "$deadline" 2>/dev/null || true
        kill -KILL -- -"$COMMAND_PID" 2>/dev/null || true  # what of its group outlived it
    fi
    exit $((128 + $(kill -l "$signal")))
}

case "${1:-}" in
    start) start "${2:?usage: pg_server.sh start DIR}" ;;
    stop) stop "${2:?usage: pg_server.sh stop DIR}" ;;
    run) shift; run "$@" ;;
    *) echo "usage: pg_server.sh start DIR | stop DIR | run CMD..." >&2; exit 2 ;;
esac
