#!/usr/bin/env python3
"""Re-record find-cases.yaml from the real ansible-core find module.

Builds the fixture tree of find-inputs.yaml in a temp dir, runs one local playbook (connection
local, read-only tasks) and stores what each task registered, with the temp dir as "{root}".
Files are sorted by path: their order is the file system's readdir order, not Ansible's.
"""
import os, shutil, tempfile, time, yaml
from ansible_local import run_tasks, write_cases

here = os.path.dirname(os.path.abspath(__file__))
inputs = yaml.safe_load(open(os.path.join(here, 'find-inputs.yaml')))
work = tempfile.mkdtemp(prefix='find-rec-')
root = os.path.join(work, 'tree')
os.mkdir(root)
now = time.time()
for e in inputs['tree']:
    p = os.path.join(root, e['path'])
    if e.get('dir'):
        os.mkdir(p)
    elif 'link' in e:
        os.symlink(e['link'], p)
        continue
    else:
        data = bytes.fromhex(e['content_hex']) if 'content_hex' in e else b'x' * e['content_bytes'] if 'content_bytes' in e else e['content'].encode()
        open(p, 'wb').write(data)
    os.chmod(p, int(e['mode'], 8))
for e in inputs['tree']:
    if 'age' in e:
        os.utime(os.path.join(root, e['path']), (now - e['age'], now - e['age']))


def subst(v):
    if isinstance(v, str):
        return v.replace('{root}', root)
    if isinstance(v, list):
        return [subst(x) for x in v]
    return v


def unsubst(v):
    if isinstance(v, str):
        return v.replace(root, '{root}')
    if isinstance(v, list):
        return [unsubst(x) for x in v]
    if isinstance(v, dict):
        return {unsubst(k): unsubst(x) for k, x in v.items()}
    return v


cases = inputs['cases']
tasks = [{'name': 'case %d' % i, 'find': {k: subst(v) for k, v in c['params'].items()}, 'register': 'r%d' % i, 'ignore_errors': True}
         for i, c in enumerate(cases)]
results = run_tasks(work, tasks, ['r%d' % i for i in range(len(cases))])
KEEP = ['path', 'mode', 'isdir', 'isreg', 'islnk', 'size', 'uid', 'gid', 'pw_name', 'gr_name', 'isuid', 'xusr', 'checksum']
recorded = []
for c, r in zip(cases, results):
    if r.get('failed'):
        exp = {'failed': r['msg']}
    else:
        files = sorted(r['files'], key=lambda f: f['path'])
        exp = {'changed': r['changed'], 'msg': r['msg'], 'matched': r['matched'], 'examined': r['examined'],
               'skipped_paths': unsubst(r['skipped_paths']),
               'file_keys': sorted(files[0].keys()) if files else [],
               'files': [unsubst({k: f[k] for k in KEEP if k in f}) for f in files]}
        if r.get('warnings'):
            exp['warnings'] = unsubst(r['warnings'])
    recorded.append({'name': c['name'], 'params': c['params'], 'expect': exp})
write_cases(os.path.join(here, 'find-cases.yaml'), recorded, 'record-find.py', sort_keys=False, default_flow_style=None)
shutil.rmtree(work)
print('recorded %d cases' % len(recorded))
