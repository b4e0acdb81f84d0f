#!/usr/bin/env python3
"""Re-record get-url-cases.yaml from the real ansible-core get_url module, against a python3
http.server on 127.0.0.1 (loopback only) serving get-url-inputs.yaml's files; tasks run in order."""
import hashlib, os, shutil, subprocess, sys, tempfile, yaml
from ansible_local import run_tasks, write_cases

here = os.path.dirname(os.path.abspath(__file__))
inputs = yaml.safe_load(open(os.path.join(here, 'get-url-inputs.yaml')))
work = tempfile.mkdtemp(prefix='get-url-rec-')
served, dest = os.path.join(work, 'served'), os.path.join(work, 'dest')
os.mkdir(served)
os.mkdir(dest)
falco_sha256 = hashlib.sha256(inputs['served']['falco.bin'].encode()).hexdigest()
for name, content in inputs['served'].items():
    open(os.path.join(served, name), 'w').write(content.replace('{falco_sha256}', falco_sha256))
server = subprocess.Popen([sys.executable, '-c', 'import http.server, functools, sys\n'
                           's = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1]))\n'
                           'print(s.server_address[1], flush=True); s.serve_forever()', served], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
url = 'http://127.0.0.1:%s' % server.stdout.readline().decode().strip()
try:
    def subst(v):
        return v.replace('{url}', url).replace('{dest}', dest).replace('{falco_sha256}', falco_sha256) if isinstance(v, str) else v
    tasks = [{'name': t['name'], 'get_url': {k: subst(v) for k, v in t['params'].items()}, 'register': 'r%d' % i, 'ignore_errors': True}
             for i, t in enumerate(inputs['tasks'])]
    results = run_tasks(work, tasks, ['r%d' % i for i in range(len(tasks))])
finally:
    server.terminate()


def unsubst(v):
    if isinstance(v, str):
        return v.replace(url, '{url}').replace(dest, '{dest}').replace(falco_sha256, '{falco_sha256}')
    if isinstance(v, dict):
        return {k: unsubst(x) for k, x in v.items()}
    return v


recorded = []
for t, r in zip(inputs['tasks'], results):
    r = {k: v for k, v in r.items() if k not in ('invocation', 'warnings', 'deprecations', '_ansible_no_log')}
    for volatile in ('src', 'backup_file', 'elapsed'):
        if volatile in r:
            r[volatile] = '<volatile>'
    r = {k: v for k, v in r.items() if k != 'ansible_facts' and not (k == 'failed' and v is False)}
    recorded.append({'name': t['name'], 'params': t['params'], 'expect': unsubst(r)})
write_cases(os.path.join(here, 'get-url-cases.yaml'), recorded, 'record-get-url.py', sort_keys=True, default_flow_style=None)
shutil.rmtree(work)
print('recorded %d cases' % len(recorded))
