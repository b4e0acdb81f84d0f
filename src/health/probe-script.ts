/**
 * The shell side of the health probe: ONE script, one round trip, printing `@@section` blocks
 * that parse-probe.ts reads. Everything is read-only; a missing tool or file only empties its
 * section. Runs under plain POSIX sh (dash) with coreutils, awk, systemctl and curl or wget.
 */
import { sh } from '../shell/quote.js';
import { ALERTS_AWK } from './alerts-awk.js';
import { effectiveConfigShell, pickConfigShell, TRUTHY_SH } from '../falco-config/effective-config-sh.js';

/** Falco units that alias falco.service, one of which the package enables. */
export const FALCO_UNITS = ['falco-modern-bpf.service', 'falco-kmod.service', 'falco-bpf.service', 'falco-custom.service'];
export const FOLLOW_UNIT = 'falcoctl-artifact-follow.service';
/** Alerts are counted in the last this-many bytes of the file (a huge file is never read whole). */
const ALERT_TAIL_BYTES = 8 * 1024 * 1024;

interface ProbeScriptOptions {
  windowMinutes: number;
  /** Also send the last this-many lines of the alert file (0: none). */
  tailLines?: number;
}

/** Bytes an alert tail is read from (the lines are cut to this in total). */
const TAIL_BYTES = 256 * 1024;

/** Config keys the probe script itself needs, and the shell variable each is put in. */
const PICKED: Record<string, string> = {
  'webserver.enabled': 'WS_EN',
  'webserver.listen_address': 'ADDR',
  'webserver.listen_port': 'PORT',
  'webserver.k8s_healthz_endpoint': 'HZ',
  'file_output.enabled': 'FO_EN',
  'file_output.filename': 'FO',
  json_output: 'JSON_OUT',
  'engine.kind': 'KIND',
};

export function healthProbeScript(o: ProbeScriptOptions): string {
  const windowSeconds = Math.round(o.windowMinutes * 60);
  return [
    'export LC_ALL=C',
    sh`COUNT=${ALERTS_AWK}`,
    TRUTHY_SH,
    'cfg_list() { printf \'%s\\n\' "$EFF" | awk -v k="$1" \'index($0, k "[") == 1 { sub(/^[^=]*=/, ""); print }\'; }',
    'http_get() { if command -v curl >/dev/null 2>&1; then curl -sS -m 3 -w \'\\n@@code=%{http_code}\\n\' "$1" 2>&1; elif command -v wget >/dev/null 2>&1; then if wget -q -T 3 -O - "$1" 2>&1; then printf \'\\n@@code=200\\n\'; else printf \'\\n@@code=000\\n\'; fi; else echo "@@code=noclient"; fi; }',
    'echo @@os; grep -E \'^(PRETTY_NAME|ID|VERSION_ID)=\' /etc/os-release 2>/dev/null',
    'echo @@kernel; uname -r',
    'echo @@clock; date -u +%s; cut -d" " -f1 /proc/uptime 2>/dev/null',
    'echo @@falco; command -v falco 2>/dev/null',
    // The effective configuration: falco.yaml, then its config_files (files, or a directory's *.yaml in order).
    ...effectiveConfigShell(),
    'echo @@configfiles; printf \'%s\\n\' "$CFGS"',
    'echo @@config; printf \'%s\\n\' "$EFF"',
    sh`echo @@units; if command -v systemctl >/dev/null 2>&1; then systemctl show --no-pager -p Id,LoadState,UnitFileState,ActiveState,SubState,NRestarts,ActiveEnterTimestampMonotonic ${FALCO_UNITS} ${FOLLOW_UNIT} 2>/dev/null; fi`,
    // The webserver: /healthz, then /versions (else `falco --version`).
    // One awk sets every config value the probe uses as a shell variable (values single-quoted).
    pickConfigShell(PICKED),
    'case "$ADDR" in ""|0.0.0.0|::) ADDR=127.0.0.1;; *:*) ADDR="[$ADDR]";; esac; [ -n "$PORT" ] || PORT=8765; [ -n "$HZ" ] || HZ=/healthz',
    'echo @@driver; for m in scap falco; do [ -d "/sys/module/$m" ] && echo "module=$m"; done; [ -r /sys/kernel/btf/vmlinux ] && echo btf=1',
    // The ring buffer matters (and /proc/kallsyms is read) only for modern_ebpf.
    'if [ "$KIND" = modern_ebpf ] && [ -r /proc/kallsyms ]; then if grep -qw bpf_ringbuf_reserve /proc/kallsyms; then echo ringbuf=1; else echo ringbuf=0; fi; fi',
    'WS=0; truthy "$WS_EN" && WS=1',
    'echo @@healthz; if [ $WS = 1 ]; then http_get "http://$ADDR:$PORT$HZ"; else echo @@code=disabled; fi',
    'V=""; [ $WS = 1 ] && V=$(http_get "http://$ADDR:$PORT/versions")',
    'echo @@versions; printf \'%s\\n\' "$V"',
    'echo @@falcoversion; case "$V" in *@@code=200*) ;; *) command -v falco >/dev/null 2>&1 && falco --version 2>/dev/null | head -n 5;; esac',
    'echo @@rules; cfg_list rules_files | while IFS= read -r p; do yaml_in "$p"; [ -e "$p" ] || echo "$p"; done | while IFS= read -r f; do if [ -r "$f" ] && [ -f "$f" ]; then sha256sum "$f"; else echo "- $f"; fi; done',
    // Alerts of the last window from the JSON file_output (read from the end).
    'echo @@alerts; echo "file=$FO"; truthy "$FO_EN" && echo file_enabled=1; truthy "$JSON_OUT" && echo json=1',
    sh`if [ -n "$FO" ] && [ -r "$FO" ]; then SIZE=$(wc -c < "$FO"); SINCE=$(date -u -d "@$(( $(date -u +%s) - ${windowSeconds} ))" +%Y-%m-%dT%H:%M:%S); echo "since=$SINCE"; PARTIAL=0; [ "$SIZE" -gt ${ALERT_TAIL_BYTES} ] && PARTIAL=1; tail -c ${ALERT_TAIL_BYTES} "$FO" | awk -v since="$SINCE" -v partial=$PARTIAL "$COUNT"; fi`,
    ...(o.tailLines ? [sh`echo @@tail; if [ -n "$FO" ] && [ -r "$FO" ]; then tail -c ${TAIL_BYTES} "$FO" | tail -n ${o.tailLines}; fi`] : []),
    ':',
  ].join('\n');
}
