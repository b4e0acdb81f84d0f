import { factIdentity, type FactRequest } from './request.js';
import { raw, sh } from '../shell/quote.js';

export interface WaitTarget {
  host?: string;
  port?: number;
  path?: string;
  /** Extended regex (grep -E) searched in `path`. */
  searchRegex?: string;
  connectTimeout?: number;
}

/**
 * Shell function `cond` that succeeds when the port accepts a TCP connection (bash /dev/tcp,
 * `nc -z` when there is no bash) or the path exists (and contains the regex).
 */
export function conditionFunction(t: WaitTarget): string {
  const ct = t.connectTimeout ?? 5;
  if (t.port !== undefined) {
    const host = t.host ?? '127.0.0.1';
    return (
      sh`cond() { if command -v bash >/dev/null 2>&1; then timeout ${ct} bash -c 'exec 3<>"/dev/tcp/$0/$1"' ${host} ${t.port} 2>/dev/null; ` +
      sh`else nc -z -w ${ct} ${host} ${t.port} >/dev/null 2>&1; fi; }`
    );
  }
  if (t.path !== undefined) {
    return t.searchRegex !== undefined
      ? sh`cond() { [ -e ${t.path} ] && grep -Eq -e ${t.searchRegex} -- ${t.path} 2>/dev/null; }`
      : sh`cond() { [ -e ${t.path} ]; }`;
  }
  throw new Error('wait condition needs a port or a path');
}

/** Is the condition true right now? */
export function waitCondition(t: WaitTarget): FactRequest<boolean> {
  return {
    // not connectTimeout: it bounds one attempt, the question asked is the same
    ...factIdentity('wait_condition', { host: t.host ?? '127.0.0.1', port: t.port ?? null, path: t.path ?? null, searchRegex: t.searchRegex ?? null }),
    command: `${conditionFunction(t)}\nif cond; then echo yes; else echo no; fi`,
    parse: (r) => {
      const v = r.stdout.trim().split('\n').pop();
      if (v !== 'yes' && v !== 'no') throw new Error(`unexpected wait condition output: ${JSON.stringify(r.stdout)}`);
      return v === 'yes';
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
