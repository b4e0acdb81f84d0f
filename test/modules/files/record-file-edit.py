#!/usr/bin/env python3
"""Re-record <module>-cases.yaml from the real ansible-core module (lineinfile, blockinfile).

Runs one local playbook (connection local) that edits temp files only, then stores what each task
did (content after, changed, msg, failed). Usage: python3 record-file-edit.py lineinfile|blockinfile
"""
import os, sys, tempfile, yaml
from ansible_local import run_tasks, write_cases

def _str(dumper, s):
    return dumper.represent_scalar('tag:yaml.org,2002:str', s, style='"' if ('\n' in s or '\r' in s or s == '') else None)


yaml.SafeDumper.add_representer(str, _str)
here = os.path.dirname(os.path.abspath(__file__))
module = sys.argv[1]
cases = yaml.safe_load(open(os.path.join(here, '%s-inputs.yaml' % module)))
work = tempfile.mkdtemp(prefix='%s-rec-' % module)
tasks = []
for i, c in enumerate(cases):
    path = os.path.join(work, 'f%d' % i)
    if c['before'] is not None:
        with open(path, 'wb') as f:
            f.write(c['before'].encode())
    tasks.append({'name': 'case %d' % i, module: dict(c['params'], path=path),
                  'register': 'r%d' % i, 'ignore_errors': True})
results = run_tasks(work, tasks, ['r%d' % i for i in range(len(cases))])
recorded = []
for i, (c, r) in enumerate(zip(cases, results)):
    path = os.path.join(work, 'f%d' % i)
    after = open(path, 'rb').read().decode() if os.path.exists(path) else None
    exp = {'changed': bool(r.get('changed')), 'msg': r.get('msg', '')}
    if r.get('failed'):
        exp = {'failed': r.get('msg').replace(path, '{path}')}
    else:
        exp['after'] = after
    recorded.append({'name': c['name'], 'before': c['before'], 'params': c['params'], 'expect': exp})
write_cases(os.path.join(here, '%s-cases.yaml' % module), recorded, 'record-file-edit.py', module, sort_keys=False)
print('recorded %d cases' % len(recorded))
