/**
 * The awk program that reads Falco's configuration ON THE HOST, inside a probe's one round trip,
 * because the probe itself needs some of its values (the webserver port for /healthz, the
 * file_output path for alerts, the rules_files to hash). Falco hosts need not have Python, so a
 * YAML library is not an option there; this reads the block/flow subset falco.yaml is written in.
 *
 * Files are read in order (falco.yaml, then its config_files). It prints one `path=value` line
 * per scalar (`webserver.listen_port=8765`, `rules_files[0]=/etc/falco/falco_rules.yaml`,
 * `config_files[0].path=...`). Files after the first are merged at the top-level key, as Falco
 * does, by the `strategy` set before each (an awk operand `strategy=add-only`): `append` (the
 * default) replaces a key whole except that a sequence is appended to a sequence; `override`
 * replaces every key whole; `add-only` adds only keys no earlier file set. `config_files` is
 * ignored in included files, as Falco ignores it.
 * Not read: anchors/aliases, multi-line scalars (skipped), nested flow collections.
 */
export const FLATTEN_YAML_AWK = String.raw`
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function scalar(s) {
  s = trim(s)
  if (s ~ /^"/) { sub(/^"/, "", s); sub(/"[ \t]*(#.*)?$/, "", s); return s }
  if (s ~ /^'/) { sub(/^'/, "", s); sub(/'[ \t]*(#.*)?$/, "", s); return s }
  sub(/[ \t]+#.*$/, "", s)
  return trim(s)
}
function drop_root(r,   k) {
  for (k in val) if (rootof[k] == r) delete val[k]
  for (k in cnt) if (k == r || index(k, r ".") == 1 || index(k, r "[") == 1) delete cnt[k]
}
function put(k, v) { if (!(k in val)) order[++n] = k; val[k] = v; rootof[k] = root }
function item(path) { return path "[" (cnt[path]++) "]" }
function flow(path, v,   inner, parts, i, m, kv, c) {
  inner = substr(v, 2, length(v) - 2)
  m = split(inner, parts, ",")
  for (i = 1; i <= m; i++) {
    if (trim(parts[i]) == "") continue
    if (v ~ /^\[/) { put(item(path), scalar(parts[i])); continue }
    c = index(parts[i], ":")
    if (c > 0) put(path "." scalar(substr(parts[i], 1, c - 1)), scalar(substr(parts[i], c + 1)))
  }
}
function value(path, v) {
  v = trim(v)
  if (v ~ /^\[.*\]$/ || v ~ /^\{.*\}$/) flow(path, v)
  else if (v ~ /^[|>]/) skip = ind
  else put(path, scalar(v))
}
# A top-level key seen in a new file: replaced, unless both old and new are sequences.
function settle(is_seq) {
  if (pending == "") return
  if (strategy == "override" || !(is_seq && cnt[pending] > 0)) drop_root(pending)
  pending = ""
}
FNR == 1 { depth = 0; skip = -1; pending = ""; skiproot = 0; files++ }
{ sub(/\r$/, "") }
/^[ \t]*(#.*)?$/ || /^(---|\.\.\.)/ { next }
{
  match($0, /^ */); ind = RLENGTH; body = substr($0, ind + 1)
  # A top-level key this file may not set: skipped up to the next top-level key.
  if (ind == 0 && body !~ /^-( |$)/) {
    c = index(body, ":"); k = scalar(substr(body, 1, c > 0 ? c - 1 : length(body)))
    skiproot = files > 1 && (k == "config_files" || (strategy == "add-only" && (k in seen) && seen[k] != FILENAME))
  }
  if (skiproot) next
  if (skip >= 0 && ind > skip) next
  skip = -1
  dash = body ~ /^-( |$)/
  while (depth > 0 && (dash ? sind[depth] > ind : sind[depth] >= ind)) depth--
  if (ind == 0 && !dash) depth = 0
  path = depth > 0 ? spath[depth] : ""
  if (dash) {
    settle(1)
    if (path == "") next
    body = trim(substr(body, 2))
    key_at = index(body, ": ")
    if (body ~ /:$/ && body !~ /^["']/) key_at = length(body)
    if (key_at > 0 && body !~ /^["'[{]/) {
      it = item(path)
      depth++; sind[depth] = ind + 1; spath[depth] = it
      k = scalar(substr(body, 1, key_at - 1)); v = substr(body, key_at + 1)
      if (trim(v) == "") { depth++; sind[depth] = ind + 2; spath[depth] = it "." k }
      else value(it "." k, v)
    } else if (body != "") value(item(path), body)
    next
  }
  c = index(body, ": "); if (c == 0 && body ~ /:$/) c = length(body)
  if (c == 0) next
  k = scalar(substr(body, 1, c - 1)); v = trim(substr(body, c + 1))
  if (ind == 0) {
    root = k
    if (seen[k] != FILENAME) { seen[k] = FILENAME; pending = k }
    if (v != "") settle(v ~ /^\[/)
  } else settle(0)
  full = path == "" ? k : path "." k
  if (v == "") { depth++; sind[depth] = ind; spath[depth] = full }
  else value(full, v)
}
END { for (i = 1; i <= n; i++) if ((order[i] in val) && !(order[i] in done)) { done[order[i]] = 1; print order[i] "=" val[order[i]] } }
`;
