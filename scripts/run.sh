#!/usr/bin/env bash
# `make run`: migrate, load the seed plans, create the demo accounts, and run
# the web server, a Celery worker and Celery beat until Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-reform_portal.settings.local}
PORT=${PORT:-8000}
# Only this machine can reach the portal unless HOST names another address (HOST=0.0.0.0
# for every interface). Django's DEBUG pages show tracebacks and settings to whoever
# reaches them, so DEBUG is off unless asked for, and refused beyond the loopback.
HOST=${HOST:-127.0.0.1}
export DEBUG=${DEBUG:-0}
case "$HOST" in 127.*|localhost|::1|\[::1\]) loopback=1 ;; *) loopback=0 ;; esac
case "${DEBUG,,}" in 1|true|yes|on) debug=1 ;; *) debug=0 ;; esac
if [ "$debug" = 1 ] && [ "$loopback" = 0 ]; then
  echo "拒绝启动：DEBUG 模式会向访问者显示程序内部信息，只能在本机地址（127.0.0.1）上使用。" >&2
  echo "请去掉 DEBUG=1，或不设 HOST。" >&2
  exit 2
fi
REDIS_PORT=${PORTAL_REDIS_PORT:-6390}
source scripts/services.sh
mkdir -p .run
# A secret key of this installation's own, made on first start, never the published one.
if [ -z "${SECRET_KEY:-}" ]; then
  [ -s .run/secret-key ] || $BIN/python -c "import secrets; print(secrets.token_urlsafe(50))" > .run/secret-key
  SECRET_KEY=$(cat .run/secret-key)
fi
export SECRET_KEY

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
# --insecure: without DEBUG, runserver serves the static files only when told to.
$BIN/python manage.py runserver "$HOST:$PORT" --noreload --insecure >.run/web.log 2>&1 &
children+=($!)

case "$HOST" in 0.0.0.0|::|\[::\]|localhost) probe=127.0.0.1 ;; *) probe=$HOST ;; esac
# Wait for the site as long as a slow or busy machine needs (its checks and first imports can
# take a minute under load), but give up at once if the web process has died.
$BIN/python - "$PORT" "$probe" "${children[-1]}" <<'PY' || { echo "网站未能启动，见 .run/web.log" >&2; exit 1; }
import os, sys, time, urllib.request
host = f"[{sys.argv[2]}]" if ":" in sys.argv[2] and not sys.argv[2].startswith("[") else sys.argv[2]
web, deadline = int(sys.argv[3]), time.monotonic() + 300
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(f"http://{host}:{sys.argv[1]}/accounts/login/", timeout=5)
        sys.exit(0)
    except OSError:
        try:
            os.kill(web, 0)
        except OSError:
            sys.exit(1)
        time.sleep(0.2)
sys.exit(1)
PY
echo
if [ "$loopback" = 1 ]; then
  echo "改革任务督查督办平台已启动：http://127.0.0.1:$PORT/（仅本机可访问；HOST=0.0.0.0 可供局域网访问）"
else
  echo "改革任务督查督办平台已启动：http://127.0.0.1:$PORT/（监听 $HOST）"
fi
echo "日志在 .run/（web.log、worker.log、beat.log）。按 Ctrl-C 停止。"
# Stop everything as soon as any one of them exits.
wait -n "${children[@]}"
