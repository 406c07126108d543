#!/usr/bin/env bash
# `make run`: migrate, load the seed plans, create the demo accounts, and run
# the web server, a Celery worker and Celery beat until Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-reform_portal.settings.local}
PORT=${PORT:-8000}
REDIS_PORT=${PORTAL_REDIS_PORT:-6390}
source scripts/services.sh
mkdir -p .run

children=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "正在停止……"
  kill "${children[@]}" 2>/dev/null || true
  wait "${children[@]}" 2>/dev/null || true
  if [ -f ".run/redis-$REDIS_PORT.pid" ] && [ "${started_redis:-0}" = 1 ]; then
    local pid
    pid=$(cat ".run/redis-$REDIS_PORT.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  echo "已全部停止。"
}
trap stop INT TERM EXIT

# A local redis-server of the portal's own (port 6390 unless PORTAL_REDIS_PORT says otherwise), unless REDIS_URL names one.
started_redis=0
if [ -z "${REDIS_URL:-}" ]; then started_redis=1; fi
ensure_redis "$REDIS_PORT"

$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py load_seed_plans

# Demo accounts share one password: DEMO_PASSWORD, or one made on first start
# and kept in .run/ so it survives restarts.
if [ -z "${DEMO_PASSWORD:-}" ]; then
  [ -s .run/demo-password ] || $BIN/python -c "import secrets; print('demo-' + secrets.token_hex(4))" > .run/demo-password
  DEMO_PASSWORD=$(cat .run/demo-password)
fi
echo
echo "演示账号（密码均为 $DEMO_PASSWORD，仅演示模式）："
$BIN/python manage.py create_demo_users --password "$DEMO_PASSWORD"

$BIN/celery -A reform_portal worker --loglevel INFO --concurrency 2 >.run/worker.log 2>&1 &
children+=($!)
$BIN/celery -A reform_portal beat --loglevel INFO >.run/beat.log 2>&1 &
children+=($!)
$BIN/python manage.py runserver "0.0.0.0:$PORT" --noreload >.run/web.log 2>&1 &
children+=($!)

$BIN/python - "$PORT" <<'PY' || { echo "网站未能启动，见 .run/web.log" >&2; exit 1; }
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/accounts/login/", timeout=2)
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(1)
PY
echo
echo "改革任务督查督办平台已启动：http://127.0.0.1:$PORT/"
echo "日志在 .run/（web.log、worker.log、beat.log）。按 Ctrl-C 停止。"
# Stop everything as soon as any one of them exits.
wait -n "${children[@]}"
