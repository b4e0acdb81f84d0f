/**
 * A POSIX sh script that ends a process and everything it started, on a Linux host. Used when
 * a run is interrupted (or a command times out) to leave no orphaned command behind: without a
 * pty nothing sends the remote commands SIGHUP when the channel closes, and under sudo the
 * login user cannot signal the root processes, so the script runs in a separate channel as the
 * same (become) user as the shell it kills.
 *
 * The tree is frozen first (SIGSTOP, repeated until no stopped process has an unstopped child)
 * so nothing forks past us; then SIGTERM + SIGCONT lets commands clean up, and whatever is still
 * alive after about a second gets SIGKILL. Parents are read from /proc/PID/stat (the comm field
 * may hold spaces and parentheses: the pattern anchors on its LAST ") ").
 */
import { sh } from '../shell/quote.js';

const SCRIPT = `
tree=" $1 "
kill -STOP "$1" 2>/dev/null || exit 0
while :; do
  new=$(sed -n 's/^\\([0-9][0-9]*\\) (.*) . \\([0-9][0-9]*\\) .*/\\1 \\2/p' /proc/[0-9]*/stat 2>/dev/null |
    while read -r pid ppid; do
      case "$tree" in *" $ppid "*) case "$tree" in *" $pid "*) ;; *) echo "$pid" ;; esac ;; esac
    done)
  [ -n "$new" ] || break
  kill -STOP $new 2>/dev/null
  tree="$tree$(echo $new) "
done
kill -TERM $tree 2>/dev/null
kill -CONT $tree 2>/dev/null
alive() {
  for p in $tree; do
    s=$(sed -n 's/.*) \\(.\\) .*/\\1/p' "/proc/$p/stat" 2>/dev/null)
    [ -n "$s" ] && [ "$s" != Z ] && return 0
  done
  return 1
}
i=0
while [ $i -lt 10 ] && alive; do sleep 0.1 2>/dev/null || sleep 1; i=$((i + 1)); done
kill -KILL $tree 2>/dev/null
exit 0
`;

/** `/bin/sh -c SCRIPT` ending process `pid` and its descendants (the caller wraps it in sudo when needed). */
export function killTreeCommand(pid: number): string {
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new Error(`refusing to kill process tree of pid ${pid}`);
  return sh`/bin/sh -c ${SCRIPT} fd-kill-tree ${String(pid)}`;
}
