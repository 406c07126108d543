#!/usr/bin/env bash
# Helpers sourced by run.sh and test.sh: find or start Redis and PostgreSQL.
# Each prints nothing on success and exports the URL it settled on.

_redis_ping() { # url
  "${BIN:-.venv/bin}/python" - "$1" <<'PY' >/dev/null 2>&1
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()
PY
}

# ensure_redis PORT: use $REDIS_URL if set and answering; else a server on
# 127.0.0.1:PORT, started from the project's .run/ when none answers there.
ensure_redis() {
  local port=$1
  if [ -n "${REDIS_URL:-}" ]; then
    _redis_ping "$REDIS_URL" && return 0
    echo "REDIS_URL=$REDIS_URL 无法连接。" >&2
    return 1
  fi
  export REDIS_URL="redis://127.0.0.1:$port/0"
  _redis_ping "$REDIS_URL" && return 0
  mkdir -p .run
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$PWD/.run" \
    --daemonize yes --pidfile "$PWD/.run/redis-$port.pid" --logfile "$PWD/.run/redis-$port.log"
  for _ in $(seq 50); do _redis_ping "$REDIS_URL" && return 0; sleep 0.1; done
  echo "redis-server 未能在端口 $port 启动，见 .run/redis-$port.log" >&2
  return 1
}

_pg_connect() { # url
  "${BIN:-.venv/bin}/python" - "$1" <<'PY' >/dev/null 2>&1
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
}

# ensure_postgres: export DATABASE_URL for a PostgreSQL that answers, starting
# the local cluster when it is installed but stopped. On a machine where the
# cluster was just installed (peer/password auth), the postgres role gets a
# local password so the suite can connect over TCP.
ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    _pg_connect "$DATABASE_URL" && return 0
    echo "DATABASE_URL=$DATABASE_URL 无法连接。" >&2
    return 1
  fi
  local url="postgres://postgres@127.0.0.1:5432/postgres"
  if ! _pg_connect "$url"; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
      local version
      version=$(ls /etc/postgresql | sort -V | tail -n 1)
      pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
      for _ in $(seq 50); do _pg_connect "$url" && break; sleep 0.2; done
      if ! _pg_connect "$url"; then
        runuser -u postgres -- psql -q -c "ALTER ROLE postgres PASSWORD 'postgres'" >/dev/null
        url="postgres://postgres:postgres@127.0.0.1:5432/postgres"
      fi
    fi
  fi
  if ! _pg_connect "$url"; then
    echo "PostgreSQL 不可用：请设置 DATABASE_URL，或以 root 运行以自动安装启动。" >&2
    return 1
  fi
  export DATABASE_URL="${url%/postgres}/reform_portal"
}

# ensure_test_redis: the machine's Redis on the standard port when one answers,
# else one of the project's own on 6391 (tests and benchmarks).
ensure_test_redis() {
  if [ -z "${REDIS_URL:-}" ] && _redis_ping redis://127.0.0.1:6379/0; then
    export REDIS_URL=redis://127.0.0.1:6379/0
  fi
  ensure_redis 6391
}
