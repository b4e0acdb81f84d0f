import { failOnArgError, noProbesOnArgError } from '../argspec/plan-failure.js';
import type { ProbedFacts } from '../facts/request.js';
import type { ExecResult } from '../connectors/types.js';
import type { ModuleDefinition, Plan } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { curlCommand, httpResponse, parseCurlOutput } from '../facts/net.js';
import type { HttpRequest, HttpResponse } from '../facts/net.js';
import { sh } from '../shell/quote.js';
import { ArgumentError, validateArgs } from '../argspec/validate.js';

const uriSpec: ModuleSpec = {
  args: {
    url: { type: 'str', required: true },
    method: { type: 'str', default: 'GET' },
    status_code: { type: 'list', elements: 'int', default: [200] },
    return_content: { type: 'bool', default: false },
    timeout: { type: 'int', default: 30 },
    headers: { type: 'dict', default: {} },
    validate_certs: { type: 'bool', default: true },
    follow_redirects: { type: 'str', default: 'safe', choices: ['all', 'no', 'none', 'safe', 'urllib2', 'yes'] },
    body: { type: 'raw' },
    body_format: { type: 'str', default: 'raw', choices: ['json', 'raw'] },
  },
};

interface UriArgs {
  url: string;
  method: string;
  status_code: number[];
  return_content: boolean;
  timeout: number;
  headers: Record<string, unknown>;
  validate_certs: boolean;
  follow_redirects: string;
  body?: unknown;
  body_format: 'json' | 'raw';
}

const READ_ONLY = new Set(['GET', 'HEAD']);

function request(raw: Record<string, unknown>): { a: UriArgs; q: HttpRequest } {
  const a = validateArgs<UriArgs>(uriSpec, raw, 'uri');
  if (!/^[A-Z]+$/.test(a.method)) throw new ArgumentError("Parameter 'method' needs to be a single word in uppercase, like GET or POST.");
  if (!['GET', 'HEAD', 'POST'].includes(a.method)) throw new ArgumentError(`method ${a.method} is not supported by falco-deploy (GET, HEAD, POST)`);
  if (!/^https?:\/\//.test(a.url)) throw new ArgumentError(`url must be http:// or https://, got: ${a.url}`);
  const headers = Object.fromEntries(Object.entries(a.headers).map(([k, v]) => [k, String(v)]));
  let body: string | undefined;
  if (a.body !== undefined) {
    if (a.body_format === 'json') {
      body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    } else body = String(a.body);
  }
  const follow = a.follow_redirects === 'all' || a.follow_redirects === 'yes' || (a.follow_redirects === 'safe' && READ_ONLY.has(a.method)) || a.follow_redirects === 'urllib2';
  return { a, q: { url: a.url, method: a.method, headers, timeout: a.timeout, validateCerts: a.validate_certs, followRedirects: follow, body } };
}

const REASONS: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

/** The registered result, as Ansible's uri builds it; `failed` when the status is not accepted. */
function uriResult(a: UriArgs, r: HttpResponse): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r.headers, changed: false, url: r.url || a.url, status: r.status, redirected: r.redirects > 0, elapsed: 0 };
  if (r.status === -1) out.msg = `Status code was -1 and not [${a.status_code.join(', ')}]: Request failed: ${r.curlError}`;
  else if (r.status >= 400) out.msg = `HTTP Error ${r.status}: ${REASONS[r.status] ?? ''}`.trim();
  else out.msg = `OK (${r.headers.content_length ?? Buffer.byteLength(r.body)} bytes)`;
  if (/json/i.test(r.contentType)) {
    try {
      out.json = JSON.parse(r.body);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err; // not JSON after all: Ansible leaves json unset
    }
  }
  if (a.return_content) out.content = a.method === 'HEAD' ? '' : r.body; // curl -I writes the headers as the body
  if (!a.status_code.includes(r.status)) {
    out.failed = true;
    if (r.status !== -1) out.msg = `Status code was ${r.status} and not [${a.status_code.join(', ')}]: ${String(out.msg)}`;
  }
  return out;
}

function planUri(raw: Record<string, unknown>, facts: ProbedFacts): Plan {
  const { a, q } = request(raw);
  if (READ_ONLY.has(a.method)) {
    const result = uriResult(a, facts.get(httpResponse(q)));
    return { commands: [], changed: false, result, failed: result.failed ? String(result.msg) : undefined };
  }
  return {
    commands: [{ command: curlCommand(q), stdin: q.body, become: false, describe: sh`curl -X ${a.method} ${a.url}` }],
    changed: false,
  };
}

export const uriModule: ModuleDefinition = {
  name: 'uri',
  spec: uriSpec,
  probesLeaveHost: true,
  probes: (raw) => noProbesOnArgError(() => {
    const { a, q } = request(raw);
    return READ_ONLY.has(a.method) ? [httpResponse(q)] : [];
  }),
  plan: (raw, facts) => failOnArgError(() => planUri(raw, facts)),
  finish: (raw, plan, results: ExecResult[]) => {
    const r = results[results.length - 1];
    if (!r) return plan.result ?? {};
    return uriResult(request(raw).a, parseCurlOutput(r.stdout));
  },
};
