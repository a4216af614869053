#!/usr/bin/env bash
# Start the Cross-Entropy Lab as N `streamlit run` replicas behind nginx, all on loopback.
#
#   deploy/start.sh [-n REPLICAS] [-p PORT] [-b BASE_PORT] [-d RUN_DIR]
#
#   -n  replicas (default: one per core, `nproc`)          env LAB_REPLICAS
#   -p  nginx port on 127.0.0.1 (default 8600)             env LAB_PORT
#   -b  first replica port; replica i uses BASE_PORT+i     env LAB_BASE_PORT (default 8611)
#   -d  run directory: pid files, logs, rendered nginx.conf, nginx temp files
#                                                          env LAB_RUN_DIR (default /tmp/ce-lab-deploy)
#
# Installs Debian's nginx with apt-get if it is missing. Nothing outside RUN_DIR is written:
# nginx runs with `-c RUN_DIR/nginx.conf -p RUN_DIR`. Every replica gets the same
# server.cookieSecret (RUN_DIR/cookie_secret, or env LAB_COOKIE_SECRET), passed through the
# environment so it does not show in `ps`. Stop everything with deploy/stop.sh (same -d).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
replicas="${LAB_REPLICAS:-$(nproc)}"
port="${LAB_PORT:-8600}"
base_port="${LAB_BASE_PORT:-8611}"
run_dir="${LAB_RUN_DIR:-/tmp/ce-lab-deploy}"
python="${PYTHON:-python}"

while getopts "n:p:b:d:h" opt; do
    case "$opt" in
        n) replicas="$OPTARG" ;;
        p) port="$OPTARG" ;;
        b) base_port="$OPTARG" ;;
        d) run_dir="$OPTARG" ;;
        *) sed -n '2,16p' "$0"; exit 2 ;;
    esac
done
[[ "$replicas" =~ ^[1-9][0-9]*$ ]] || { echo "replicas must be a positive integer (got '$replicas')" >&2; exit 2; }
[[ "$port" =~ ^[0-9]+$ && "$base_port" =~ ^[0-9]+$ ]] || { echo "ports must be integers" >&2; exit 2; }
[[ "$run_dir" = /* ]] || { echo "run dir must be an absolute path (got '$run_dir')" >&2; exit 2; }

# 1. nginx from Debian's package, if missing.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "nginx is not installed; run as root or: sudo apt-get update && sudo apt-get install -y nginx" >&2
        exit 1
    fi
    echo "Installing nginx (apt-get)..."
    apt-get update -qq
    # The package's post-install tries to start the system service; we never use it.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

# 2. A run directory of our own; refuse to start twice.
mkdir -p "$run_dir/tmp"
chmod 755 "$run_dir"   # nginx workers (user nobody when started as root) write temp files here
for f in "$run_dir"/*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        echo "Already running (pid $pid from $f). Stop it first: deploy/stop.sh -d $run_dir" >&2
        exit 1
    fi
    rm -f "$f"
done

port_free() {  # 0 when nothing listens on 127.0.0.1:$1
    "$python" - "$1" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}
ports=()
for ((i = 0; i < replicas; i++)); do ports+=("$((base_port + i))"); done
for p in "$port" "${ports[@]}"; do
    port_free "$p" || { echo "port $p on 127.0.0.1 is busy; choose others with -p/-b" >&2; exit 1; }
done

# 3. One cookie secret shared by every replica.
if [ -n "${LAB_COOKIE_SECRET:-}" ]; then
    secret="$LAB_COOKIE_SECRET"
else
    if [ ! -s "$run_dir/cookie_secret" ]; then
        (umask 077; "$python" -c 'import secrets; print(secrets.token_hex(32))' > "$run_dir/cookie_secret")
    fi
    secret="$(cat "$run_dir/cookie_secret")"
fi

# From here on, a failure stops whatever was already started.
fail() {
    echo "$1" >&2
    "$here/stop.sh" -d "$run_dir" >&2 || true
    exit 1
}
trap 'fail "start.sh failed at line $LINENO"' ERR

# 4. The replicas, each in its own session so that closing this shell does not stop them.
spawn() {  # spawn LOGFILE CMD... -> prints the pid
    "$python" - "$@" <<'PY'
import subprocess, sys
log = open(sys.argv[1], "ab")
proc = subprocess.Popen(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL, start_new_session=True)
print(proc.pid)
PY
}
# glibc gives each thread its own malloc arena (up to 8 per core), and Streamlit runs every script
# in a new thread: with many, freed memory stays scattered. Two arenas halved the creep of a
# replica's resident memory over 10,000 reruns (bench/RESULTS.md, "Serving a whole school").
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
for ((i = 0; i < replicas; i++)); do
    p="${ports[$i]}"
    pid="$(cd "$repo" && STREAMLIT_SERVER_COOKIE_SECRET="$secret" spawn "$run_dir/replica-$i.log" \
        "$python" -m streamlit run app.py \
        --server.headless true --server.address 127.0.0.1 --server.port "$p" \
        --browser.gatherUsageStats false --server.fileWatcherType none)"
    echo "$pid" > "$run_dir/replica-$i.pid"
    echo "$p" > "$run_dir/replica-$i.port"
    echo "replica $i: pid $pid, http://127.0.0.1:$p"
done

# 5. Wait until every replica answers /_stcore/health (at most 90 s).
"$here/health.sh" -d "$run_dir" -w 90 --replicas-only \
    || fail "replicas did not become healthy; logs in $run_dir/replica-*.log"

# 6. nginx with our own config and prefix.
"$python" "$here/render.py" --listen "127.0.0.1:$port" --run-dir "$run_dir" "${ports[@]}" > "$run_dir/nginx.conf"
"$nginx_bin" -t -q -c "$run_dir/nginx.conf" -p "$run_dir" -e "$run_dir/nginx-error.log"
"$nginx_bin" -c "$run_dir/nginx.conf" -p "$run_dir" -e "$run_dir/nginx-error.log"
echo "$port" > "$run_dir/nginx.port"
"$here/health.sh" -d "$run_dir" -w 20 >/dev/null || fail "nginx did not answer /healthz; see $run_dir/nginx-error.log"
echo "nginx: pid $(cat "$run_dir/nginx.pid"), $replicas replica(s)"
echo "Cross-Entropy Lab: http://127.0.0.1:$port/"
