#!/usr/bin/env bash
# make loadtest: seed a realistic PostgreSQL database, serve the portal with gunicorn, drive it from a
# second process on 127.0.0.1 with locust (headless, bounded in time), print requests/s and p50/p95/p99.
# Environment: PARTNERS (100000), USERS (20 concurrent), DURATION (60s, users starting over the first ~5 s
# not counted), WORKERS (gunicorn, 3), PORT (8765), EXCLUDE (locust tags left out, e.g. "staff_home"),
# LOADTEST_LANGUAGE (e.g. ja: every user's browser asks for it; empty: English). THINK: seconds each user waits between requests, "MIN MAX" drawn uniformly. The default "1 3" is a person
# reading a page before the next click. THINK="0.05 0.2" is the saturation run: every user keeps a request
# in flight nearly all the time, so 20 users put 20 requests on the 2 cores at once, locust included.
# WORKERS 3: the 2 cores plus one for a worker waiting on PostgreSQL; 2, 3 and 4 workers measured alike in
# the saturation run (aggregate p95 440, 390, 410 ms), within the noise of this shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# Taken first: collectstatic below compresses every static file and lifts the load average by itself.
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# How fast a core of this machine is, beside the figures: development machines differ from day to day.
REFERENCE="$(.venv/bin/python perf/machine.py)"
PARTNERS="${PARTNERS:-100000}"
USERS="${USERS:-20}"
DURATION="${DURATION:-60s}"
WORKERS="${WORKERS:-3}"
PORT="${PORT:-8765}"
THINK="${THINK:-1 3}"
DB_NAME="${LOADTEST_DB:-build_portal_loadtest}"
BASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export DATABASE_URL="${BASE_URL%/*}/$DB_NAME"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
# A fixed key for this local scratch database: the seeded sessions must stay valid across runs.
export DJANGO_SETTINGS_MODULE=build_portal.settings.production DJANGO_SECRET_KEY="loadtest-only-key-for-$DB_NAME-on-127.0.0.1-not-a-secret" \
  DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_HSTS_SECONDS=0 \
  API_THROTTLE_USER=1000000/hour LOG_LEVEL=WARNING
# Persistent connections as in production, kept longer than the warm-up and the measured run: a backend closed
# and reopened in between would take its CPU seconds with it, and the PostgreSQL CPU per request below is read
# from the same backends before and after.
export DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-600}"
PY=.venv/bin/python
mkdir -p artifacts
SESSIONS=artifacts/loadtest-sessions.json
MARK="artifacts/loadtest-seeded-$DB_NAME-$PARTNERS"

if [ ! -f "$MARK" ] || ! psql "$DATABASE_URL" -c "select 1" >/dev/null 2>&1; then
  psql "${BASE_URL}" -q -c "DROP DATABASE IF EXISTS $DB_NAME" -c "CREATE DATABASE $DB_NAME"
  $PY manage.py migrate --noinput -v0
  # The seed command lives in perf, installed in the local profile only (never in production).
  DJANGO_SETTINGS_MODULE=build_portal.settings.local /usr/bin/time -f "seeded in %e s" $PY manage.py seed_loadtest --partners "$PARTNERS" --load-users 40 --out "$SESSIONS"
  psql "$DATABASE_URL" -q -c "VACUUM ANALYZE"
  touch "$MARK"
fi
# A database seeded by an earlier run gets this checkout's migrations too (nothing to do when it has them).
$PY manage.py migrate --noinput -v0
DJANGO_SETTINGS_MODULE=build_portal.settings.local $PY manage.py seed_loadtest --program-year-only
$PY manage.py collectstatic --noinput -v0

# Secure cookies are for HTTPS; the load runs over plain HTTP on loopback.
export DJANGO_SESSION_COOKIE_SECURE=false DJANGO_CSRF_COOKIE_SECURE=false
.venv/bin/gunicorn build_portal.wsgi -b "127.0.0.1:$PORT" -w "$WORKERS" --access-logfile /dev/null \
  --error-logfile artifacts/loadtest-gunicorn.log &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
# No Celery worker runs here (the pages measured enqueue nothing that must be sent): wait for the database and
# Redis only, or /healthz answers 503 until the loop gives up.
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz?check=postgresql&check=redis" >/dev/null && break; sleep 0.2; done
run_locust() {  # think time, run time, CSV prefix
  # Users start over about 5 s, not all in the same instant, and the figures count from the moment
  # all of them run (--reset-stats): a burst of 20 first clicks at once is the load generator's, not the users'.
  # /usr/bin/time keeps the load generator's own CPU seconds: it runs on the same cores as the server.
  LOADTEST_SESSIONS="$SESSIONS" LOADTEST_THINK="$1" /usr/bin/time -f "%U %S" -o "$3-cpu" .venv/bin/locust -f loadtest/locustfile.py --headless \
    -u "$USERS" -r "$(( (USERS + 4) / 5 ))" --reset-stats --run-time "$2" -H "http://127.0.0.1:$PORT" \
    --csv "$3" --only-summary --loglevel WARNING ${EXCLUDE:+--exclude-tags $EXCLUDE} \
    >/dev/null 2>>artifacts/loadtest-locust.log || true
}
# Warm-up, not measured: every worker serves every page a few times first (templates compiled, database
# connection open), as a long-running server has. Otherwise each worker's first request of each page
# lands in the figures (the tier page's first is about 130 ms against 30 ms after).
: >artifacts/loadtest-locust.log
run_locust "0.05 0.2" 15s artifacts/loadtest-warmup
# CPU seconds (user + system) of the gunicorn workers and of this database's PostgreSQL backends, before and
# after the measured run: the CPU a request costs. The backends stay open across requests (CONN_MAX_AGE, as
# in production), so the same processes are read both times.
cpu_seconds() {  # gunicorn | postgres
  $PY - "$1" "$GUNICORN" "$DB_NAME" <<'PYEOF'
import os, sys
which, master, db = sys.argv[1], sys.argv[2], sys.argv[3]
ticks = 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = open(f"/proc/{pid}/stat").read()
        cmd = open(f"/proc/{pid}/cmdline").read().replace("\0", " ")
    except OSError:
        continue
    fields = stat.rsplit(")", 1)[1].split()
    if which == "gunicorn" and fields[1] == master or which == "postgres" and f" {db} " in f" {cmd} ":
        ticks += int(fields[11]) + int(fields[12])
print(ticks / os.sysconf("SC_CLK_TCK"))
PYEOF
}
CPU_APP_BEFORE="$(cpu_seconds gunicorn)"; CPU_DB_BEFORE="$(cpu_seconds postgres)"
run_locust "$THINK" "$DURATION" artifacts/loadtest
CPU_APP="$($PY -c "print($(cpu_seconds gunicorn) - $CPU_APP_BEFORE)")"
CPU_DB="$($PY -c "print($(cpu_seconds postgres) - $CPU_DB_BEFORE)")"

echo
echo "Load test: $PARTNERS partners, language ${LOADTEST_LANGUAGE:-en}, $USERS concurrent users, think time $THINK s, $DURATION, gunicorn $WORKERS workers, $(nproc) cores"
echo "Load average (1, 5, 15 min): at the start $LOAD_BEFORE, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$REFERENCE"
CPU_APP="$CPU_APP" CPU_DB="$CPU_DB" $PY - <<'PYEOF'
import csv, os
rows = list(csv.DictReader(open("artifacts/loadtest_stats.csv")))
print(f"{'page':32} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'failures':>9}")
for r in rows:
    print(f"{r['Name']:32} {r['Request Count']:>9} {float(r['Requests/s']):8.1f} {r['50%']:>7} {r['95%']:>7} "
          f"{r['99%']:>7} {r['Failure Count']:>9}")
total = next(r for r in rows if r["Name"] == "Aggregated")
count = int(total["Request Count"]) or 1
app, db = float(os.environ["CPU_APP"]), float(os.environ["CPU_DB"])
generator = sum(map(float, open("artifacts/loadtest-cpu").read().split()))
print(f"CPU per request: gunicorn {app * 1000 / count:.1f} ms, PostgreSQL {db * 1000 / count:.1f} ms "
      f"({app:.1f} s and {db:.1f} s over {count} requests); the load generator (locust, start-up included) {generator:.1f} s")
PYEOF
