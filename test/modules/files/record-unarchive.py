#!/usr/bin/env python3
"""Re-record unarchive-cases.yaml from the real ansible-core unarchive module (connection local,
temp dirs only). Archives are built with GNU tar from unarchive-inputs.yaml's tree, fixed mtimes."""
import os, shutil, subprocess, tempfile, yaml
from ansible_local import run_tasks, write_cases

here = os.path.dirname(os.path.abspath(__file__))
inputs = yaml.safe_load(open(os.path.join(here, 'unarchive-inputs.yaml')))
work = tempfile.mkdtemp(prefix='unarchive-rec-')
tree, archives = os.path.join(work, 'tree'), os.path.join(work, 'archives')
os.mkdir(archives)
for rel, content in inputs['tree'].items():
    p = os.path.join(tree, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'w').write(content)
    os.chmod(p, 0o755 if '/bin/' in rel else 0o644)
subprocess.run(['find', tree, '-exec', 'touch', '-h', '-d', '2026-01-02 03:04:05', '{}', '+'], check=True)
for name, (flags,) in inputs['archives'].items():
    subprocess.run(['tar', '--sort=name', '--owner=0', '--group=0', '-' + flags, os.path.join(archives, name), '-C', tree, 'app', 'README'], check=True)
for d in ('d1', 'd2', 'd3', 'd4', 'd5'):
    os.mkdir(os.path.join(work, d))
subst = lambda v: v.replace('{work}', work) if isinstance(v, str) else [subst(x) for x in v] if isinstance(v, list) else v
tasks = []
for i, t in enumerate(inputs['tasks']):
    for path, content in (t.get('before') or {}).items():
        tasks.append({'copy': {'dest': subst(path), 'content': content}})
    tasks.append({'name': t['name'], 'unarchive': {k: subst(v) for k, v in t['params'].items()}, 'register': 'r%d' % i, 'ignore_errors': True})
results = run_tasks(work, tasks, ['r%d' % i for i in range(len(inputs['tasks']))])


def unsubst(v):
    if isinstance(v, str):
        return v.replace(work, '{work}')
    if isinstance(v, list):
        return [unsubst(x) for x in v]
    if isinstance(v, dict):
        return {k: unsubst(x) for k, x in v.items()}
    return v


recorded = []
for t, r in zip(inputs['tasks'], results):
    r = {k: v for k, v in r.items() if k not in ('invocation', 'warnings', 'deprecations', 'ansible_facts') and not (k == 'failed' and v is False)}
    if 'src' in r and not t['params'].get('remote_src'):
        r['src'] = '<remote tmp>'
    if 'extract_results' in r and not t['params'].get('remote_src'):
        r['extract_results']['cmd'] = [('<remote tmp>' if '/.ansible/tmp/' in c else c) for c in r['extract_results']['cmd']]
    if 'size' in r:
        r['size'] = '<fs>'
    if 'files' in r:
        r['files'] = sorted(r['files'])
    recorded.append(dict(t, expect=unsubst(r)))
write_cases(os.path.join(here, 'unarchive-cases.yaml'), recorded, 'record-unarchive.py', sort_keys=True, default_flow_style=None)
shutil.rmtree(work)
print('recorded %d cases' % len(recorded))
