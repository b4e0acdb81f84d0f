import { factIdentity, type FactRequest } from './request.js';
import { raw, sh } from '../shell/quote.js';

export interface WaitTarget {
  host?: string;
  port?: number;
  path?: string;
  /** Python regex (run as grep -P where grep has it, else -E), searched in `path` or in what `port` sends. */
  searchRegex?: string;
  connectTimeout?: number;
}

/** What the host reports once the condition holds. */
export interface WaitMet {
  /** The first line of the file the regex matched (the controller takes the groups from it). */
  matchLine?: string;
  /** `path`'s stat as add_path_info reports it (key=value, plus `ftype`), when it exists. */
  pathInfo?: Record<string, string>;
}

const GREP_FLAVOUR = `if printf x | grep -Pq x 2>/dev/null; then G=-P; else G=-E; fi`;

/**
 * Shell function `cond` that succeeds when the port accepts a TCP connection (bash /dev/tcp,
 * `nc -z` when there is no bash) or the path exists; with a regex, when the file holds a matching
 * line or the port sends one within $READ_S seconds (default connect_timeout; bash only), left in $MATCH.
 */
export function conditionFunction(t: WaitTarget): string {
  const ct = t.connectTimeout ?? 5;
  if (t.port !== undefined) {
    const host = t.host ?? '127.0.0.1';
    if (t.searchRegex !== undefined) {
      // the reader is killed once grep has its line: the server is not kept waiting for more
      const reader = `exec 3<>"/dev/tcp/$0/$1" || exit 1; grep "$2" -m1 -e "$3" < <(exec cat <&3); r=$?; kill $! 2>/dev/null; exit $r`;
      return [GREP_FLAVOUR, sh`cond() { MATCH=$(timeout "\${READ_S:-${raw(String(ct))}}" bash -c ${reader} ${host} ${t.port} "$G" ${t.searchRegex} 2>/dev/null); }`].join('\n');
    }
    return (
      sh`cond() { if command -v bash >/dev/null 2>&1; then timeout ${ct} bash -c 'exec 3<>"/dev/tcp/$0/$1"' ${host} ${t.port} 2>/dev/null; ` +
      sh`else nc -z -w ${ct} ${host} ${t.port} >/dev/null 2>&1; fi; }`
    );
  }
  if (t.path !== undefined) {
    return t.searchRegex !== undefined
      ? [GREP_FLAVOUR, sh`cond() { [ -e ${t.path} ] && MATCH=$(grep "$G" -m1 -e ${t.searchRegex} -- ${t.path} 2>/dev/null); }`].join('\n')
      : sh`cond() { [ -e ${t.path} ]; }`;
  }
  throw new Error('wait condition needs a port or a path');
}

/** Shell printing what the host knows once `cond` held: the matched line, the path's stat. */
export function metReport(t: WaitTarget): string {
  const lines: string[] = [];
  // Ansible takes match_groups from a file only, never from what a port sent
  if (t.searchRegex !== undefined && t.path !== undefined) lines.push(`printf 'match=%s\\n' "$(printf '%s' "$MATCH" | base64 -w0)"`);
  if (t.path !== undefined && t.port === undefined) {
    lines.push(
      sh`p=${t.path}; if [ ! -e "$p" ]; then ft=; elif [ -L "$p" ]; then ft=link; elif [ -d "$p" ]; then ft=directory; elif [ "$(stat -Lc %h -- "$p")" -gt 1 ]; then ft=hard; else ft=file; fi`,
      `[ -z "$ft" ] || { stat -c 'uid=%u gid=%g owner=%U group=%G mode=%a size=%s' -- "$p" | tr ' ' '\\n'; echo "ftype=$ft"; }`,
    );
  }
  return lines.join('\n');
}

/** The key=value lines metReport printed, as WaitMet. */
export function parseMet(stdout: string): WaitMet {
  const kv = Object.fromEntries(stdout.split('\n').filter((l) => /^\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const { match, ...info } = kv;
  const met: WaitMet = {};
  if (match !== undefined) met.matchLine = Buffer.from(match, 'base64').toString('utf8');
  if ('uid' in info) met.pathInfo = info;
  return met;
}

/** Is the condition true right now? What the host reports then (as WaitMet). */
export function waitCondition(t: WaitTarget): FactRequest<WaitMet | false> {
  return {
    // not connectTimeout: it bounds one attempt, the question asked is the same
    ...factIdentity('wait_condition', { host: t.host ?? '127.0.0.1', port: t.port ?? null, path: t.path ?? null, searchRegex: t.searchRegex ?? null }),
    command: `${conditionFunction(t)}\nif cond; then echo yes; ${metReport(t) || ':'}; else echo no; fi`,
    parse: (r) => {
      const v = r.stdout.trim().split('\n').find((l) => l === 'yes' || l === 'no');
      if (v === undefined) throw new Error(`unexpected wait condition output: ${JSON.stringify(r.stdout)}`);
      return v === 'yes' && parseMet(r.stdout);
    },
  };
}

export interface HttpRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  timeout: number;
  validateCerts: boolean;
  followRedirects: boolean;
  /** Request body (POST); sent on stdin. */
  body?: string;
  /** Shell text the response body is piped through on the host; its output is returned as `body`. */
  bodyPipe?: string;
}

export interface HttpResponse {
  /** curl exit code (0 = a response arrived, whatever its status). */
  curlExit: number;
  status: number;
  url: string;
  redirects: number;
  contentType: string;
  /** Response headers of the last response, names lower-cased with '-' -> '_'. */
  headers: Record<string, string>;
  curlError: string;
  /** Reason phrase of the last response's status line ('' when none). */
  reason: string;
  body: string;
}

const HEAD = '--falco-deploy-uri-head--';
const ERR = '--falco-deploy-uri-err--';
const BODY = '--falco-deploy-uri-body--';

/** The curl invocation, run on the host; body last so it may contain anything. */
export function curlCommand(q: HttpRequest): string {
  const argv: string[] = ['-sS', '--max-time', String(q.timeout), '-X', q.method];
  if (q.method === 'HEAD') argv.splice(argv.indexOf('-X'), 2, '-I');
  if (q.followRedirects) argv.push('-L');
  if (!q.validateCerts) argv.push('-k');
  for (const [k, v] of Object.entries(q.headers ?? {})) argv.push('-H', `${k}: ${v}`);
  if (q.body !== undefined) argv.push('--data-binary', '@-');
  const w = '%{http_code}\\t%{num_redirects}\\t%{url_effective}\\t%{content_type}';
  return [
    't=$(mktemp -d)',
    sh`curl ${argv} -o "$t/body" -D "$t/head" -w ${w} -- ${q.url} > "$t/meta" 2> "$t/err" ${raw(q.body === undefined ? '< /dev/null' : '')}`,
    'rc=$?',
    // markers go through %s: a format starting with '-' would be read as an option
    `printf 'rc=%s\\nmeta=' "$rc"; cat "$t/meta"; printf '\\n%s\\n' '${HEAD}'; cat "$t/head" 2>/dev/null; printf '%s\\n' '${ERR}'; cat "$t/err"; printf '%s\\n' '${BODY}'; ${q.bodyPipe === undefined ? 'cat "$t/body" 2>/dev/null' : `[ ! -e "$t/body" ] || ( ${q.bodyPipe}
) < "$t/body"`}; rm -rf -- "$t"`,
  ].join('\n');
}

export function parseCurlOutput(stdout: string): HttpResponse {
  const rc = /^rc=(\d+)\n/.exec(stdout);
  const hi = stdout.indexOf(`\n${HEAD}\n`);
  const ei = stdout.indexOf(`${ERR}\n`, hi);
  const bi = stdout.indexOf(`${BODY}\n`, ei);
  if (!rc || hi < 0 || ei < 0 || bi < 0) throw new Error(`unexpected uri probe output: ${JSON.stringify(stdout.slice(0, 200))}`);
  const meta = /^meta=(.*)$/m.exec(stdout.slice(0, hi))?.[1] ?? '';
  const [code, redirects, url, contentType] = meta.split('\t');
  // -D writes every response of a redirect chain; keep the last block
  const headBlocks = stdout.slice(hi + HEAD.length + 2, ei).replace(/\r/g, '').split(/\n\n+/).filter((b) => b.trim() !== '');
  const headers: Record<string, string> = {};
  const lastHead = (headBlocks.pop() ?? '').split('\n');
  for (const line of lastHead.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase().replace(/-/g, '_')] = line.slice(i + 1).trim();
  }
  return {
    curlExit: parseInt(rc[1], 10),
    status: parseInt(code ?? '0', 10) || -1,
    url: url ?? '',
    redirects: parseInt(redirects ?? '0', 10) || 0,
    contentType: contentType ?? '',
    headers,
    curlError: stdout.slice(ei + ERR.length + 1, bi).trim(),
    reason: /^HTTP\/\S+ \d+ ?(.*)$/.exec(lastHead[0] ?? '')?.[1] ?? '',
    body: stdout.slice(bi + BODY.length + 1),
  };
}

/** GET/HEAD from the host: read-only, so it runs as a probe. */
export function httpResponse(q: HttpRequest): FactRequest<HttpResponse> {
  return {
    ...factIdentity('http_response', { ...q }),
    command: curlCommand(q),
    parse: (r) => parseCurlOutput(r.stdout),
  };
}
