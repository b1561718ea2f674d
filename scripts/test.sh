#!/usr/bin/env bash
# Runs the test suite against real PostgreSQL and Redis.
# 1. DATABASE_URL / REDIS_URL when given;
# 2. else the servers on 127.0.0.1:5432 / :6379 when they answer;
# 3. else throwaway servers on free ports from the installed binaries (installing the Debian
#    packages when missing and possible), stopped on exit, also on failure.
# Each run gets its own test database and Celery queue, so two runs never collide.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
RUN_ID="$(date +%s)_$$"
SERVICES_DIR=""

drop_test_database() {
  # A live-server thread can keep a session open past pytest's own teardown: drop this run's database
  # with FORCE so runs never leave databases behind.
  [ -n "${DATABASE_URL:-}" ] && [ -x "$PY" ] && "$PY" - "$DATABASE_URL" "test_build_portal_$RUN_ID" <<'PYEOF' >/dev/null 2>&1 || true
import sys, psycopg2
conn = psycopg2.connect(sys.argv[1]); conn.autocommit = True
conn.cursor().execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
PYEOF
}

cleanup() {
  drop_test_database
  if [ -n "$SERVICES_DIR" ]; then
    [ -f "$SERVICES_DIR/redis.pid" ] && kill "$(cat "$SERVICES_DIR/redis.pid")" 2>/dev/null || true
    if [ -d "$SERVICES_DIR/pg" ]; then
      runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg" -m immediate stop >/dev/null 2>&1 \
        || "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$SERVICES_DIR"
  fi
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
answers() { "$PY" -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1',$1)))"; }
apt_install() {
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

ensure_services_dir() {
  [ -n "$SERVICES_DIR" ] || { SERVICES_DIR="$(mktemp -d /tmp/build_portal_services.XXXXXX)"; chmod 755 "$SERVICES_DIR"; }
}

if [ -z "${DATABASE_URL:-}" ]; then
  if answers 5432; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
  else
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
    PG_BIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")"
    ensure_services_dir
    PORT="$(free_port)"
    mkdir -p "$SERVICES_DIR/pg"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$SERVICES_DIR/pg"
      runuser -u postgres -- "$PG_BIN/initdb" -D "$SERVICES_DIR/pg" -A trust -U postgres >/dev/null
      runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg" -o "-p $PORT -k $SERVICES_DIR -c listen_addresses=127.0.0.1" -w start >/dev/null
    else
      "$PG_BIN/initdb" -D "$SERVICES_DIR/pg" -A trust -U postgres >/dev/null
      "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg" -o "-p $PORT -k $SERVICES_DIR -c listen_addresses=127.0.0.1" -w start >/dev/null
    fi
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
    echo "test.sh: started a throwaway PostgreSQL on port $PORT"
  fi
fi

if [ -z "${REDIS_URL:-}" ]; then
  if answers 6379; then
    export REDIS_URL="redis://127.0.0.1:6379/0"
  else
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server
    ensure_services_dir
    PORT="$(free_port)"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$PORT" --save "" --appendonly no \
      --pidfile "$SERVICES_DIR/redis.pid" --dir "$SERVICES_DIR" --logfile "$SERVICES_DIR/redis.log"
    for _ in $(seq 50); do answers "$PORT" && break; sleep 0.1; done
    export REDIS_URL="redis://127.0.0.1:$PORT/0"
    echo "test.sh: started a throwaway Redis on port $PORT"
  fi
fi

# Journeys in Japanese need CJK glyphs in Chromium (Debian's Noto CJK fonts), else their screenshots show boxes.
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || apt_install fonts-noto-cjk || echo "test.sh: could not install fonts-noto-cjk"
# Browser journeys drive Debian's Chromium; nothing downloads a browser.
command -v chromium >/dev/null 2>&1 || apt_install chromium || echo "test.sh: could not install chromium"

# Catalogs: msgfmt compiles them (.mo files are not committed) and the catalog tests run makemessages.
command -v msgfmt >/dev/null 2>&1 || apt_install gettext || echo "test.sh: could not install gettext"

export TEST_RUN_ID="$RUN_ID"
export DJANGO_SETTINGS_MODULE=build_portal.settings.test
if command -v msgfmt >/dev/null 2>&1; then
  "$PY" manage.py compilemessages --ignore=.venv --ignore=staticfiles --ignore=media >/dev/null
fi
# pytest exits 5 when it collected nothing: that is a failure here too (set -e).
.venv/bin/pytest "$@"
