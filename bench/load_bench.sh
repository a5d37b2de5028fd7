#!/usr/bin/env bash
# Public pages under concurrent load, next to a static file served by the same stack in the same run.
#
#   bench/load_bench.sh                               # 2 gunicorn workers, 10 s a target, 8 connections
#   WORKERS="2 4" bench/load_bench.sh                 # each worker count in turn
#   PUBLIC_PAGE_CACHE_SECONDS=0 bench/load_bench.sh   # without the whole-page cache
#   DONATIONS=1000000 bench/load_bench.sh             # plus bench/public_bench.py's million donations
#
# Loopback only: gunicorn listens on 127.0.0.1:$PORT and wrk runs on this machine. The settings are
# production's (CHARITY_ENV=production, DEBUG off, a throwaway SECRET_KEY, PostgreSQL, Redis,
# collected static files served by WhiteNoise) except SECURE_SSL_REDIRECT=0: there is no TLS
# proxy in front, so plain HTTP is answered instead of redirected (HSTS, sent only over HTTPS, is
# therefore absent here). The database (DATABASE_URL, default .../charity_load_bench) is set up
# once with the demo data and reused; bench/out/load/ holds the collected static files and logs.
# Every run starts from a cold cache: the bench's own Redis keys (CACHE_KEY_PREFIX) are deleted,
# nobody else's. Each target is loaded for DURATION seconds by wrk (1 thread, CONNECTIONS
# connections, the Accept-Encoding of a browser), the static file first and again last; each
# page's rate is compared with the mean of the two. gunicorn is stopped at the end whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/charity_load_bench}"
: "${REDIS_URL:=redis://127.0.0.1:6379/0}"
: "${CACHE_KEY_PREFIX:=charity_load_bench}"
: "${PORT:=8765}"
: "${WORKERS:=2}"
: "${DURATION:=10}"
: "${CONNECTIONS:=8}"
: "${DONATIONS:=0}"
: "${PUBLIC_PAGE_CACHE_SECONDS:=600}"
# What browsers send: WhiteNoise answers with the Brotli file, cached pages come gzipped.
# ACCEPT_ENCODING=identity asks for everything uncompressed.
: "${ACCEPT_ENCODING:=gzip, deflate, br}"
OUT=bench/out/load

if ! command -v wrk >/dev/null; then
  echo "==> 安装 wrk"
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "需要以 root 身份安装: apt-get install -y wrk" >&2; exit 1; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
[ -x .venv/bin/python ] || ./scripts/bootstrap
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "端口 $PORT 已被占用，请用 PORT=… 换一个" >&2; exit 1
fi

mkdir -p "$OUT"
SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY DATABASE_URL REDIS_URL CACHE_KEY_PREFIX PUBLIC_PAGE_CACHE_SECONDS
export CHARITY_ENV=production DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1 SITE_URL="http://127.0.0.1:$PORT"
export CHARITY_DATA_DIR="$OUT" LOG_LEVEL=WARNING
unset STATIC_ROOT MEDIA_ROOT  # under CHARITY_DATA_DIR

gunicorn_pid=""
stop_gunicorn() {
  [ -n "$gunicorn_pid" ] || return 0
  kill -TERM "$gunicorn_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$gunicorn_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$gunicorn_pid" 2>/dev/null || true
  wait "$gunicorn_pid" 2>/dev/null || true
  gunicorn_pid=""
}
trap stop_gunicorn EXIT
# A signal ends the script through its EXIT trap too (a closed output pipe included).
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

echo "==> 准备数据库、演示数据和静态文件" >&2
started=$SECONDS
# Only when a static file changed since the last run: compressing the 10 MB font takes a minute.
manifest="$OUT/staticfiles/staticfiles.json"
if [ ! -f "$manifest" ] || [ -n "$(find static -newer "$manifest" -print -quit)" ]; then
  .venv/bin/python manage.py collectstatic --noinput -v 0
fi
.venv/bin/python bench/load_bench.py prepare --donations "$DONATIONS" >"$OUT/targets.tsv"
echo "    $((SECONDS - started)) s" >&2

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
results="$OUT/results.tsv"
: >"$results"
mapfile -t targets <"$OUT/targets.tsv"
static_target=${targets[0]}

run_wrk() {  # workers name path [seconds]
  local output result
  output=$(timeout $((${4:-$DURATION} + 30)) wrk -t1 -c"$CONNECTIONS" -d"${4:-$DURATION}s" --timeout 5s \
    -H "Accept-Encoding: $ACCEPT_ENCODING" -s bench/load_bench.lua "http://127.0.0.1:$PORT$3" 2>&1) || true
  result=$(grep '^RESULT' <<<"$output") || { echo "wrk 未给出结果（$3）：$output" >&2; exit 1; }
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$result"
}

for workers in $WORKERS; do
  .venv/bin/gunicorn charity.wsgi --bind "127.0.0.1:$PORT" --workers "$workers" --timeout 120 \
    --graceful-timeout 5 --error-logfile "$OUT/gunicorn.log" --log-level warning &
  gunicorn_pid=$!
  for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    kill -0 "$gunicorn_pid" 2>/dev/null || { echo "gunicorn 未能启动，见 $OUT/gunicorn.log" >&2; exit 1; }
    sleep 0.2
  done
  # Warm the caches (figures, charts, pages) and check that every target answers 200.
  for target in "${targets[@]}"; do
    path=${target#*$'\t'}
    for _ in 1 2; do code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$path"); done
    [ "$code" = 200 ] || { echo "$path 返回 $code，不是 200" >&2; exit 1; }
  done
  run_wrk "$workers" warm-up / 2 >/dev/null
  for target in "${targets[@]}" "$static_target"; do
    echo "    $workers workers: ${target%%$'\t'*}" >&2
    run_wrk "$workers" "${target%%$'\t'*}" "${target#*$'\t'}" >>"$results"
  done
  stop_gunicorn
done

echo
echo "machine: $(.venv/bin/python bench/load_bench.py machine)"
echo "load average (1, 5, 15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "settings: production, plain HTTP on loopback; PUBLIC_PAGE_CACHE_SECONDS=$PUBLIC_PAGE_CACHE_SECONDS;" \
  "Accept-Encoding: $ACCEPT_ENCODING; wrk -t1 -c$CONNECTIONS -d${DURATION}s per target;" \
  "$(date -u '+%Y-%m-%d %H:%M UTC')"
echo
.venv/bin/python bench/load_bench.py table "$results"
