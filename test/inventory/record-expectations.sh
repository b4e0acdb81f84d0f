#!/usr/bin/env bash
# Records what real Ansible says about each inventory case, into test/cases/inventory/<case>/expected.json.
#
# The expectations of the inventory tests are never written by hand: this script runs
#   ansible-inventory -i ... --list | --host H | --graph [GROUP] [--vars]
#   ansible PATTERN -i ... --list-hosts [--limit L]
#   ansible HOST -i ... -m debug -a 'msg={{ {"group_names": group_names, "groups": groups, ...} }}'
#     (debug runs on the controller: nothing is contacted)
# and, for cases whose sources must fail to parse, ansible-core's InventoryManager in-process
# (the same code ansible-inventory runs) with each plugin's failure message captured.
#
# Needs Debian's `ansible-core` (2.14): apt-get install -y ansible-core
# Usage: test/inventory/record-expectations.sh [CASE_NAME...]   (default: every case; ~6 min for all)
#   PATTERN_RUNS=N (default 8): each pattern/magic check runs N times; when Ansible's own host
#   order differs between runs, the recording says "anyOrder": true.
#
# A case folder holds the inventory files and case.json:
#   { "description": "...",
#     "sources": ["hosts", "more.yml"],        # -i values, relative to the case folder
#     "checks": [ {"list": true}, {"host": "web01"}, {"graph": "all", "vars": true},
#                 {"pattern": "web:&db", "limit": "@retry.txt"},
#                 {"magic": "web01"} ],                   # group_names, groups, inventory_hostname_short
#     "parseError": true }                     # instead of checks: the sources must not parse
# Commands run from an empty temporary directory so that no playbook-adjacent group_vars/ of
# the current directory leak in; `@file` limits are resolved against the case folder.
set -euo pipefail
cd "$(dirname "$0")/../cases/inventory"
exec /usr/bin/python3 - "$@" <<'PY'
import json, os, re, subprocess, sys, tempfile

CASES = os.getcwd()
WORKDIR = tempfile.mkdtemp(prefix='inv-record-')
open(os.path.join(WORKDIR, 'empty.cfg'), 'w').close()
ENV = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_CONFIG=os.path.join(WORKDIR, 'empty.cfg'),
           ANSIBLE_DEPRECATION_WARNINGS='0', ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='1',
           ANSIBLE_LOCALHOST_WARNING='0')

PATTERN_RUNS = int(os.environ.get('PATTERN_RUNS', '8'))

def sources_args(case_dir, sources):
    args = []
    for s in sources:
        path = os.path.join(case_dir, s)
        args += ['-i', s if (',' in s and not os.path.exists(path)) else path]
    return args

def abs_limit(case_dir, limit):
    parts = re.split(r'([,:])', limit)
    return ''.join('@' + os.path.join(case_dir, p[1:]) if p.startswith('@') else p for p in parts)

def run(cmd):
    p = subprocess.run(cmd, cwd=WORKDIR, env=ENV, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr

def error_text(stderr):
    for line in stderr.splitlines():
        if line.startswith('ERROR! '):
            return line[len('ERROR! '):]
    return stderr.strip()

def record_check(case_dir, inv, check):
    if check.get('list'):
        rc, out, err = run(['ansible-inventory', *inv, '--list'])
        return {'json': json.loads(out)} if rc == 0 else {'error': error_text(err)}
    if 'host' in check:
        rc, out, err = run(['ansible-inventory', *inv, '--host', check['host']])
        return {'json': json.loads(out)} if rc == 0 else {'error': error_text(err)}
    if 'graph' in check:
        cmd = ['ansible-inventory', *inv, '--graph']
        if check.get('vars'):
            cmd.append('--vars')
        if check['graph'] not in (True, 'all'):
            cmd.append(check['graph'])
        rc, out, err = run(cmd)
        return {'text': out.rstrip('\n')} if rc == 0 else {'error': error_text(err)}
    if 'pattern' in check:
        cmd = ['ansible', check['pattern'], *inv, '--list-hosts']
        if 'limit' in check:
            cmd += ['--limit', abs_limit(case_dir, check['limit'])]
        # Ansible orders hosts of groups nested two levels down by iterating a Python set, which
        # can differ from run to run: when runs disagree, the case only fixes which hosts match.
        results = []
        for _ in range(PATTERN_RUNS):
            rc, out, err = run(cmd)
            if rc != 0:
                return {'error': error_text(err)}
            lines = out.splitlines()
            head = [i for i, l in enumerate(lines) if re.match(r'^  hosts \(\d+\):$', l)]
            results.append([l.strip() for l in lines[head[0] + 1:]])
        if any(r != results[0] for r in results):
            return {'hosts': sorted(results[0]), 'anyOrder': True}
        return {'hosts': results[0]}
    if 'magic' in check:
        expr = "msg={{ {'group_names': group_names, 'groups': groups, 'inventory_hostname_short': inventory_hostname_short} }}"
        results = []
        for _ in range(PATTERN_RUNS):
            rc, out, err = run(['ansible', check['magic'], *inv, '-m', 'debug', '-a', expr])
            if rc != 0:
                return {'error': error_text(err)}
            results.append(json.loads(out[out.index('{'):])['msg'])
        if any(r != results[0] for r in results):
            return {'json': results[0], 'anyOrder': True}
        return {'json': results[0]}
    raise SystemExit('unknown check %r' % (check,))

def record_parse_error(case_dir, sources):
    """Every plugin's failure message for the first source that fails, and its line if it names one."""
    os.environ.update(ENV)  # read by ansible.constants at import time
    from ansible.parsing.dataloader import DataLoader
    from ansible.inventory import manager as m
    messages = []
    original = m.display.warning
    m.display.warning = lambda msg, *a, **k: messages.append(msg)
    try:
        m.InventoryManager(DataLoader(), sources=[a for a in sources_args(case_dir, sources) if a != '-i'])
        raise SystemExit('%s: expected a parse error, but the sources parsed' % case_dir)
    except m.AnsibleError:
        pass
    finally:
        m.display.warning = original
    plugins = {}
    for msg in messages:
        mm = re.match(r'^\s*\* Failed to parse (.*?) with (\w+) plugin: (.*)$', msg, re.S)
        if not mm:
            continue
        path, plugin, text = mm.groups()
        entry = {'file': os.path.relpath(path, case_dir)}
        lm = re.match(re.escape(path) + r':(\d+): (.*)$', text, re.S)
        if lm:
            entry['line'] = int(lm.group(1))
            text = lm.group(2)
        ym = re.search(r"': line (\d+), column (\d+)", text)
        if text.startswith('We were unable to read either as JSON nor YAML') and ym:
            entry['line'] = int(ym.group(1))
        entry['message'] = text.replace(case_dir + os.sep, '')  # no machine-specific paths
        plugins[plugin] = entry
    return {'plugins': plugins}

def record(name):
    case_dir = os.path.join(CASES, name)
    with open(os.path.join(case_dir, 'case.json')) as f:
        case = json.load(f)
    inv = sources_args(case_dir, case['sources'])
    expected = {'recordedWith': subprocess.run(['ansible', '--version'], capture_output=True, text=True)
                .stdout.splitlines()[0]}
    if case.get('parseError'):
        expected['parseError'] = record_parse_error(case_dir, case['sources'])
    else:
        expected['checks'] = [dict(check=c, **record_check(case_dir, inv, c)) for c in case['checks']]
    with open(os.path.join(case_dir, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=2, sort_keys=False, ensure_ascii=False)
        f.write('\n')
    print('recorded', name)

names = sys.argv[1:] or sorted(d for d in os.listdir(CASES) if os.path.isfile(os.path.join(CASES, d, 'case.json')))
for n in names:
    record(n)
PY
