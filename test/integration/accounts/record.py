#!/usr/bin/env python3
"""Re-record ansible-results.json: accounts.yml run twice by ansible-playbook (ansible-core 2.14)
on a fresh lite sandbox host. Needs root. Usage: python3 record.py"""
import json, os, shutil, subprocess, tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, '../../..'))
cli = ['node', os.path.join(root, 'bin/falco-deploy.js')]
name = 'accounts-record'
work = tempfile.mkdtemp(prefix='accounts-record-')
env = dict(os.environ, ANSIBLE_PIPELINING='1', ANSIBLE_NOCOLOR='1', ANSIBLE_LOAD_CALLBACK_PLUGINS='1',
           ANSIBLE_STDOUT_CALLBACK='results_json', ANSIBLE_CALLBACK_PLUGINS=os.path.join(root, 'test/support/ansible-callback'))
subprocess.run(cli + ['sandbox', 'up', '--kind', 'lite', '--hosts', '1', '--name', name, '--dir', work], check=True, stdout=subprocess.DEVNULL)
try:
    runs = []
    for _ in range(2):
        out = subprocess.run(['ansible-playbook', '-i', os.path.join(work, 'inventory.ini'), os.path.join(here, 'accounts.yml')],
                             env=env, capture_output=True, text=True).stdout
        runs.append([json.loads(l)['result'] for l in out.splitlines() if l.startswith('{')])
finally:
    subprocess.run(cli + ['sandbox', 'down', '--name', name], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(work)
drop = ('invocation', '_ansible_no_log', 'start', 'end', 'delta')
runs = [[{k: v for k, v in r.items() if k not in drop} for r in run] for run in runs]
with open(os.path.join(here, 'ansible-results.json'), 'w') as f:
    json.dump({'recorded_with': subprocess.run(['ansible', '--version'], capture_output=True, text=True).stdout.split('\n')[0], 'runs': runs}, f, indent=1, sort_keys=True)
    f.write('\n')
