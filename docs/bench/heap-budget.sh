#!/usr/bin/env bash
# The heap under a 1 GB container's default (-Xmx256m): HeapBudgetIT, a bench the build skips, run on demand. The
# service as its own JVM, 8 lanes publishing 136 completions of 10,000 members (~1 MB each) to a partner's exchange;
# it prints what went out, the largest heap before and after a collection, and the heap live after each full
# collection (docs/benchmarks.md, "Heap under a 1 GB container's default"). One offline build of the modules the app
# needs (no install), then the one class; the shared MariaDB 3306, Redis 6379 and RabbitMQ 5672 must be up.
#   bash docs/bench/heap-budget.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rm -f group-buy-market-app/target/failsafe-reports/TEST-*.xml group-buy-market-app/target/failsafe-reports/failsafe-summary*.xml
status=0
mvn -B -q -o -pl group-buy-market-app -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=HeapBudgetIT -Dgbm.bench.heap=true -Dspotless.check.skip=true \
  >"$out" 2>&1 || status=$?
if grep -h '^HeapBudgetIT: ' "$out"; then
  gc=$(grep -ho 'GC log [^ ]*\.log' "$out" | tail -1 | cut -d' ' -f3)
  echo "full collections (GC log $gc):"
  grep -h 'Pause Full' "$gc" || echo "  none"
fi
if [ "$status" -ne 0 ] || ! grep -h "<testsuite " group-buy-market-app/target/failsafe-reports/TEST-*HeapBudgetIT.xml 2>/dev/null | grep "tests=\"1\"" | grep -q "skipped=\"0\""; then
  echo "HeapBudgetIT failed or did not run (exit $status); last lines of the build:" >&2
  tail -60 "$out" >&2
  exit 1
fi
