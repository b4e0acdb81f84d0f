/**
 * The awk program that counts Falco's JSON alert lines (file_output with json_output) ON THE HOST,
 * so only counts cross the wire however large the window is. Input: the tail of the file; `since`
 * is an ISO-8601 UTC time (`2026-12-03T16:05:00`): Falco writes `time` as RFC 3339 UTC, which
 * compares as text. `partial=1`: the first line is cut (the tail started mid-line) and is not
 * counted as malformed.
 *
 * Output, tab-separated: `count N MINUTE PRIORITY RULE` (MINUTE = `2026-12-03T16:05`),
 * `malformed N`, `drops N` (sum of n_drops of "Falco internal: syscall event drop" alerts).
 */
export const ALERTS_AWK = String.raw`
function field(s, name,   rest) {
  if (!match(s, "\"" name "\"[ \t]*:[ \t]*\"")) return ""
  rest = substr(s, RSTART + RLENGTH)
  match(rest, /^([^"\\]|\\.)*/)
  return substr(rest, 1, RLENGTH)
}
NR == 1 && partial == 1 { next }
/^[ \t]*$/ { next }
{
  t = field($0, "time"); p = field($0, "priority"); r = field($0, "rule")
  if ($0 !~ /^[ \t]*\{/ || t == "" || p == "" || r == "") { bad++; next }
  if (t < since) next
  gsub(/\t/, " ", r)
  c[substr(t, 1, 16) "\t" p "\t" r]++
  # Falco writes the counters as strings ("n_drops":"120")
  if (r == "Falco internal: syscall event drop" && match($0, /"n_drops"[ \t]*:[ \t]*"?[0-9]+/)) {
    d = substr($0, RSTART, RLENGTH); sub(/^[^:]*:[ \t]*"?/, "", d); drops += d
  }
}
END {
  for (k in c) print "count\t" c[k] "\t" k
  print "malformed\t" (bad + 0)
  print "drops\t" (drops + 0)
}
`;
