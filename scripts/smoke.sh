#!/usr/bin/env bash
# Smoke test of the built executable, as a user would meet it: the binary is
# copied alone into an empty directory outside the checkout, then runs the
# embedded revisions on pglite:./db and on a fresh PostgreSQL database, and
# writes a new revision into --dir.
#
#   scripts/smoke.sh [path/to/retort]     (default: dist/retort)
#
# PostgreSQL: RETORT_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres);
# a database with a random name is created and dropped with psql.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exe="$(realpath "${1:-$root/dist/retort}")"
admin_url="${RETORT_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
head_rev="0ee619f3516b"

[ -x "$exe" ] || { echo "smoke: no executable at $exe (run: bun run build)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/retort-smoke-XXXXXX")"
db_name="retort_smoke_$(date +%s)_$$"
pg_url="${admin_url%/*}/$db_name"
cleanup() {
  psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS \"$db_name\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cp "$exe" "$work/retort"
cd "$work"
# nothing from the caller's environment may steer the run
unset DATABASE_URL RETORT_DATABASE_URL RETORT_CONFIG PGPASSWORD PGHOST PGUSER PGDATABASE PGPORT

passed=0
failed=0
out=""
nl=$'\n'

# check NAME EXPECTED-REGEX -- COMMAND...: run, require exit 0 and stdout+stderr matching the regex
check() {
  check_exit "$1" 0 "$2" "${@:3}"
}

# check_exit NAME CODE EXPECTED-REGEX -- COMMAND...: run, require exit CODE and stdout+stderr matching the regex
check_exit() {
  local name="$1" want="$2" expect="$3"
  shift 4
  local code=0
  out="$("$@" 2>&1)" || code=$?
  if [ "$code" -eq "$want" ] && [[ "$out" =~ $expect ]]; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name (exit $code)"
    printf '%s\n' "$out" | sed 's/^/     | /'
  fi
}

# check_empty NAME -- COMMAND...: exit 0 with nothing on stdout
check_empty() {
  local name="$1"
  shift 2
  local code=0 stdout
  stdout="$("$@" 2>/dev/null)" || code=$?
  if [ "$code" -eq 0 ] && [ -z "$stdout" ]; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name (exit $code): $stdout"
  fi
}

check "--version names the tool and the embedded head" "retort [0-9].*$head_rev" -- ./retort --version
check "lint --all parses and measures the embedded revisions (embedded libpg-query)" "3 revision\(s\), [0-9]+ statement\(s\): 0 error\(s\).*PostgreSQL 18" -- ./retort lint --all
check_exit "--json errors carry the error class name (not a minified one)" 2 '"kind": "ResolutionError"' -- ./retort upgrade nosuchrev --url pglite:memory --json

for target in "pglite:./db" "postgres"; do
  url="$target"
  if [ "$target" = "postgres" ]; then
    if ! psql "$admin_url" -qAtc "CREATE DATABASE \"$db_name\"" >/dev/null; then
      failed=$((failed + 1))
      echo "FAIL cannot create a PostgreSQL database at ${admin_url%%@*}@… (set RETORT_TEST_PG_URL)"
      continue
    fi
    url="$pg_url"
  fi
  check "$target: upgrade head runs the embedded chain" "Running upgrade dadf308f3867 -> $head_rev" -- ./retort upgrade head --url "$url"
  # the whole line: stderr may say before it that the embedded revisions are used
  check "$target: current shows the head" "(^|$nl)$head_rev \(head\)$" -- ./retort current --url "$url"
  check "$target: history lists the chain" "<base> -> ffa7dce781be" -- ./retort history --url "$url"
  check "$target: downgrade base runs every downgrade" "Running downgrade ffa7dce781be -> , create sample_table" -- ./retort downgrade base --url "$url"
  check_empty "$target: current is empty after downgrade base" -- ./retort current --url "$url"
done

mkdir versions
check "revision -m writes a new file into --dir" "Generating .*versions/[0-9a-f]{12}_add_things\.sql" -- ./retort revision -m "add things" --dir ./versions
check "--dir overrides the embedded revisions" "^<base> -> [0-9a-f]{12} \(head\), add things$" -- ./retort history --dir ./versions
check "the binary stayed alone: no files but the ones asked for" "^db retort versions$" -- bash -c 'echo $(ls)'

echo "smoke: $passed checks ok, $failed failed"
[ "$failed" -eq 0 ]
