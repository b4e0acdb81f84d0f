#!/usr/bin/env python3
"""Re-record reboot.ansible.json: reboot.yml run by ansible-playbook (ansible-core 2.14) on a fresh
systemd sandbox host (nspawn, relaunched when it reboots). Needs root and a build. Usage: python3 record.py"""
import json, os, shutil, subprocess, tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, '../../..'))
cli = ['node', os.path.join(root, 'bin/falco-deploy.js')]
env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_LOAD_CALLBACK_PLUGINS='1',
           ANSIBLE_STDOUT_CALLBACK='results_json', ANSIBLE_CALLBACK_PLUGINS=os.path.join(root, 'test/support/ansible-callback'))
version = subprocess.run(['ansible', '--version'], capture_output=True, text=True).stdout.split('\n')[0]
drop = ('invocation', '_ansible_no_log', 'start', 'end', 'delta', 'exception')

name = 'record-reboot'
work = tempfile.mkdtemp(prefix=name + '-')
subprocess.run(cli + ['sandbox', 'up', '--kind', 'systemd', '--hosts', '1', '--name', name, '--dir', work], check=True, stdout=subprocess.DEVNULL)
try:
    out = subprocess.run(['ansible-playbook', '-i', os.path.join(work, 'inventory.ini'), os.path.join(here, 'reboot.yml')],
                         env=env, capture_output=True, text=True).stdout
    results = [{k: v for k, v in json.loads(l)['result'].items() if k not in drop} for l in out.splitlines() if l.startswith('{')]
finally:
    subprocess.run(cli + ['sandbox', 'down', '--name', name, '--dir', work], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(work)
with open(os.path.join(here, 'reboot.ansible.json'), 'w') as f:
    json.dump({'recorded_with': version, 'results': results}, f, indent=1, sort_keys=True)
    f.write('\n')
