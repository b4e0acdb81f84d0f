/**
 * Falco's effective configuration, worked out ON THE HOST by POSIX sh + awk inside a probe's one
 * round trip: the one implementation both `health` and `alerts` run. falco.yaml, then each of its
 * `config_files` entries (a file, or a directory's *.yaml/*.yml in name order) with its merge
 * strategy, flattened to `path=value` lines by FLATTEN_YAML_AWK.
 */
import { sh } from '../shell/quote.js';
import { FLATTEN_YAML_AWK } from './flatten-yaml-awk.js';

export const MAIN_CONFIG = '/etc/falco/falco.yaml';

/** `strategy path` per config_files entry of the flattened falco.yaml, in order. */
const ENTRIES_AWK = String.raw`
match($0, /^config_files\[[0-9]+\]/) {
  i = substr($0, 14, RLENGTH - 14); rest = substr($0, RLENGTH + 1)
  if (!(i in seen)) { seen[i] = 1; order[++n] = i }
  if (rest ~ /^=/) path[i] = substr(rest, 2)
  else if (rest ~ /^\.path=/) path[i] = substr(rest, 7)
  else if (rest ~ /^\.strategy=/) how[i] = substr(rest, 11)
}
END { for (j = 1; j <= n; j++) if (order[j] in path) print (how[order[j]] == "" ? "append" : how[order[j]]) " " path[order[j]] }
`;

/**
 * Shell lines that set FLAT (the flattening awk), FY, CFGS (the files read, in merge order, one a
 * line; empty when falco.yaml is unreadable) and EFF (the flattened effective configuration).
 */
export function effectiveConfigShell(mainConfig = MAIN_CONFIG): string[] {
  return [
    sh`FLAT=${FLATTEN_YAML_AWK}`,
    sh`FY=${mainConfig}`,
    'yaml_in() { if [ -d "$1" ]; then ls -1 "$1" 2>/dev/null | grep -E \'\\.ya?ml$\' | sort | sed "s|^|$1/|"; elif [ -e "$1" ]; then echo "$1"; fi; }',
    // awk operands: `strategy=S` before each entry's files, then the files.
    'CFG_ARGS=""; CFGS=""',
    sh`if [ -r "$FY" ]; then CFG_ARGS=$( { echo "$FY"; awk "$FLAT" "$FY" | awk ${ENTRIES_AWK} | while read -r s p; do case "$s" in override|add-only) ;; *) s=append;; esac; echo "strategy=$s"; yaml_in "$p"; done; } ); CFGS=$(printf '%s\\n' "$CFG_ARGS" | grep -v '^strategy='); fi`,
    'EFF=""; if [ -n "$CFGS" ]; then EFF=$(printf \'%s\\n\' "$CFG_ARGS" | tr \'\\n\' \'\\0\' | xargs -0 awk "$FLAT" 2>&1); fi',
  ];
}

/**
 * An awk program printing `VAR='value'` for the wanted keys (config key -> shell variable) of the
 * flattened config, for `eval` (a `'` in a value as `'\''`).
 */
function pickAwk(wanted: Record<string, string>): string {
  const pairs = Object.entries(wanted)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return String.raw`
BEGIN { q = sprintf("%c", 39); n = split("${pairs}", a, " "); for (i = 1; i <= n; i++) { split(a[i], kv, "="); want[kv[1]] = kv[2] } }
{
  i = index($0, "="); k = substr($0, 1, i - 1)
  if (!(k in want)) next
  m = split(substr($0, i + 1), parts, q); v = parts[1]
  for (j = 2; j <= m; j++) v = v q "\\" q q parts[j]
  print want[k] "=" q v q
}
`;
}

/** The shell line that sets each wanted variable (empty first) from EFF. */
export function pickConfigShell(wanted: Record<string, string>): string {
  const vars = Object.values(wanted);
  return `${vars.map((v) => `${v}=""`).join('; ')}; ` + sh`eval "$(printf '%s\\n' "$EFF" | awk ${pickAwk(wanted)})"`;
}

/** sh function: is the YAML scalar $1 true (as Falco's YAML reads booleans)? */
export const TRUTHY_SH = 'truthy() { case "$1" in true|True|TRUE|yes|Yes|YES|on|On|ON) return 0;; esac; return 1; }';
