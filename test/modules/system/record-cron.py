#!/usr/bin/env python3
"""Re-record cron-cases.yaml from ansible-core's cron module: each case of cron-inputs.yaml on one
fresh lite sandbox host (the controller has no crontab binary): set the crontab or cron file to
`before`, run the cron task (check/diff as the case says), then read back the crontab or file (and
the backup). Needs root. Usage: python3 record-cron.py"""
import base64, json, os, posixpath, shutil, subprocess, sys, tempfile, yaml

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, '../../..'))
sys.path.insert(0, os.path.join(root, 'test/modules/files'))
from ansible_local import write_cases  # noqa: E402

cli = ['node', os.path.join(root, 'bin/falco-deploy.js')]
env = dict(os.environ, ANSIBLE_PIPELINING='1', ANSIBLE_NOCOLOR='1')
cases = yaml.safe_load(open(os.path.join(here, 'cron-inputs.yaml')))


def target(c):
    """(kind, where): the cron file's path, or the user whose crontab it is."""
    f = c['params'].get('cron_file')
    if f is not None:
        return 'file', f if posixpath.isabs(f) else posixpath.join('/etc/cron.d', f)
    return 'user', c['params'].get('user', 'root')


def setup(c):
    kind, where = target(c)
    if kind == 'file':
        if where == '/etc/crontab':
            return 'true'  # refused before the module reads it: never touched
        return 'rm -f "$W"' if c['before'] is None else 'printf %s "$C" > "$W"'
    return 'crontab -u "$W" -r 2>/dev/null; true' if c['before'] is None else 'printf %s "$C" | crontab -u "$W" -'


def read_back(c, i):
    kind, _ = target(c)
    main = ('if [ -f "$W" ]; then base64 -w0 "$W"; else printf MISSING; fi' if kind == 'file' else
            't=$(mktemp); if crontab -u "$W" -l >"$t" 2>/dev/null; then base64 -w0 "$t"; else printf MISSING; fi; rm -f "$t"')
    return main + '; echo; B=\'{{ r%d.backup_file | default("") }}\'; if [ -n "$B" ]; then base64 -w0 "$B"; rm -f "$B"; fi' % i


work = tempfile.mkdtemp(prefix='record-cron-')
tasks = []
for i, c in enumerate(cases):
    _, where = target(c)
    vars_ = {'environment': {'C': c['before'] or '', 'W': where}}
    tasks.append(dict({'name': 'setup %d' % i, 'shell': setup(c)}, **vars_))
    tasks.append({'name': 'case %d' % i, 'cron': c['params'], 'register': 'r%d' % i, 'ignore_errors': True,
                  'check_mode': bool(c.get('check')), 'diff': bool(c.get('diff'))})
    tasks.append(dict({'name': 'after %d' % i, 'shell': read_back(c, i), 'register': 'a%d' % i}, **vars_))
out = os.path.join(work, 'results.json')
names = ', '.join('[r%d, a%d.stdout]' % (i, i) for i in range(len(cases)))
tasks.append({'copy': {'dest': out, 'content': '{{ [%s] | to_json }}' % names}, 'delegate_to': 'localhost'})
pb = os.path.join(work, 'pb.yaml')
with open(pb, 'w') as f:
    yaml.safe_dump([{'hosts': 'all', 'gather_facts': False, 'tasks': tasks}], f)

sandbox = os.path.join(work, 'sandbox')
subprocess.run(cli + ['sandbox', 'up', '--kind', 'lite', '--hosts', '1', '--name', 'record-cron-cases', '--dir', sandbox], check=True, stdout=subprocess.DEVNULL)
try:
    subprocess.run(['ansible-playbook', '-i', os.path.join(sandbox, 'inventory.ini'), pb], env=env, check=True, stdout=subprocess.DEVNULL)
    results = json.load(open(out))
finally:
    subprocess.run(cli + ['sandbox', 'down', '--name', 'record-cron-cases'], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(work)


def text(b64):
    return None if b64 == 'MISSING' else base64.b64decode(b64).decode()


recorded = []
for c, (r, after) in zip(cases, results):
    r = {k: v for k, v in r.items() if k != 'invocation'}
    main, _, backup = after.partition('\n')
    exp = {'result': r, 'after': text(main)}
    if backup:
        exp['backup'] = text(backup)
    recorded.append(dict(c, expect=exp))


def _str(dumper, s):
    return dumper.represent_scalar('tag:yaml.org,2002:str', s, style='"' if ('\n' in s or '\r' in s or s == '') else None)


yaml.SafeDumper.add_representer(str, _str)
write_cases(os.path.join(here, 'cron-cases.yaml'), recorded, 'record-cron.py', 'cron on a lite sandbox host', sort_keys=False)
print('recorded %d cases' % len(recorded))
