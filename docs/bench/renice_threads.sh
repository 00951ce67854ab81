# Sourced by an AFTER_WARMUP hook of run.sh (never run alone): renice the app's threads whose Java name matches a regex,
# to test whether the CPU scheduler's order of the serial stages (group-commit writers, Tomcat poller, Redis I/O) makes
# the lock tail (2026-12-04: it does not). Thread ids from jcmd Thread.print (nid); renice needs root.
# usage: prio_threads <pid> <nice> <regex on java thread name>
prio_threads() {
  local pid=$1 n=$2 re=$3 count=0
  while read -r name nid; do
    renice -n "$n" -p $((nid)) >/dev/null && count=$((count+1))
  done < <(jcmd "$pid" Thread.print 2>/dev/null | grep '^"' | grep -E "^\"($re)" | sed -E 's/^"([^"]*)".* nid=(0x[0-9a-f]+).*/\1 \2/')
  echo "# reniced $count threads matching $re to $n" >&2
}
