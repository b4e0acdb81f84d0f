#!/usr/bin/env python3
"""Re-record <name>.ansible.json: <name>.yml run twice by ansible-playbook (ansible-core 2.14) on a
fresh lite sandbox host (with the stand-in Falco repository at /srv/falco-repo). Needs root.
Usage: python3 record.py accounts debconf cron hostname-timezone apt-keys
(hostname-timezone also needs community.general 9.5.13 under ANSIBLE_COLLECTIONS_PATH)"""
import json, os, shutil, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, '../../..'))
cli = ['node', os.path.join(root, 'bin/falco-deploy.js')]
env = dict(os.environ, ANSIBLE_PIPELINING='1', ANSIBLE_NOCOLOR='1', ANSIBLE_LOAD_CALLBACK_PLUGINS='1',
           ANSIBLE_STDOUT_CALLBACK='results_json', ANSIBLE_CALLBACK_PLUGINS=os.path.join(root, 'test/support/ansible-callback'))
version = subprocess.run(['ansible', '--version'], capture_output=True, text=True).stdout.split('\n')[0]
drop = ('invocation', '_ansible_no_log', 'start', 'end', 'delta')


def placeholders(value, fpr):
    """The repository key is new on every build: its fingerprint and key ids become {fpr}, {fpr16}, {fpr8}."""
    text = json.dumps(value)
    for forms, name in ((fpr, '{fpr}'), (fpr[-16:], '{fpr16}'), (fpr[-8:], '{fpr8}')):
        text = text.replace(forms, name).replace(forms.lower(), name.replace('}', '_lower}'))
    return json.loads(text)


for playbook in sys.argv[1:]:
    name = 'record-' + playbook
    work = tempfile.mkdtemp(prefix=name + '-')
    repo = os.path.join(os.environ.get('FALCO_DEPLOY_CACHE') or '/var/tmp/falco-deploy', 'falco-repo', name)
    subprocess.run(cli + ['sandbox', 'up', '--kind', 'lite', '--hosts', '1', '--name', name, '--dir', work, '--var', 'apt_key_fixture_dir=' + repo],
                   check=True, stdout=subprocess.DEVNULL)
    try:
        fpr = open(os.path.join(repo, 'repo-key.fingerprint')).read().strip()
        if fpr[-8:].isdigit():
            sys.exit('the key id %s has no letters: its upper and lower case forms cannot be told apart; run again (new key)' % fpr[-8:])
        runs = []
        for _ in range(2):
            out = subprocess.run(['ansible-playbook', '-i', os.path.join(work, 'inventory.ini'), os.path.join(here, playbook + '.yml')],
                                 env=env, capture_output=True, text=True).stdout
            runs.append(placeholders([{k: v for k, v in json.loads(l)['result'].items() if k not in drop} for l in out.splitlines() if l.startswith('{')], fpr))
    finally:
        subprocess.run(cli + ['sandbox', 'down', '--name', name], check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(work)
    with open(os.path.join(here, playbook + '.ansible.json'), 'w') as f:
        json.dump({'recorded_with': version, 'runs': runs}, f, indent=1, sort_keys=True)
        f.write('\n')
