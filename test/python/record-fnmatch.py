#!/usr/bin/python3
"""Record `match` for test/cases/python/fnmatch.yaml from Python's own fnmatch.fnmatchcase
(what fnmatch.fnmatch is on POSIX, where Ansible runs it).

    /usr/bin/python3 test/python/record-fnmatch.py

Each case is written by hand as {glob, name}; the recorder adds `match` (overwriting it).
"""
import fnmatch
import json
import pathlib

path = pathlib.Path(__file__).resolve().parent.parent / 'cases' / 'python' / 'fnmatch.yaml'
header = [line for line in path.read_text().splitlines() if line.startswith('#')]
cases = []
for line in path.read_text().splitlines():
    if line.startswith('- '):
        case = json.loads(line[2:])  # one flow mapping per line, written as JSON (valid YAML)
        case['match'] = fnmatch.fnmatchcase(case['name'], case['glob'])
        cases.append(case)
body = ['- ' + json.dumps({k: c[k] for k in ('glob', 'name', 'match')}, ensure_ascii=False) for c in cases]
path.write_text('\n'.join(header + body) + '\n')
