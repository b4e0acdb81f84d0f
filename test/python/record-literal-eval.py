#!/usr/bin/python3
"""Record test/cases/python/literal-eval.yaml from the Ansible 2.14 functions that run Python's
ast.literal_eval on text:

  template: ansible_eval_concat (ansible/template/native_helpers.py): text that starts with
            [ or { (or is True/False) becomes a literal, JSON's true/false/null accepted
  ini:      the INI inventory plugin's InventoryModule._parse_value (a variable's value)

    /usr/bin/python3 test/python/record-literal-eval.py

Each case is written by hand as {mode, text}; the recorder adds `repr`, repr() of what Ansible
returns, or `kept: true` where Ansible keeps the text as it is (not a literal), overwriting them.
"""
import json
import pathlib

from ansible.plugins.inventory.ini import InventoryModule
from ansible.template.native_helpers import ansible_eval_concat

path = pathlib.Path(__file__).resolve().parent.parent / 'cases' / 'python' / 'literal-eval.yaml'
lines = path.read_text().splitlines()
out = [line for line in lines if line.startswith('#')]


def evaluate(mode, text):
    return ansible_eval_concat([text]) if mode == 'template' else InventoryModule._parse_value(text)


for line in lines:
    if not line.startswith('- '):
        continue
    case = json.loads(line[2:])  # one flow mapping per line, written as JSON (valid YAML)
    text = case['text'] if 'text' in case else case['open'] * case['depth'] + case['close'] * case['depth']
    value = evaluate(case['mode'], text)
    result = {'kept': True} if isinstance(value, str) and value == text else {'repr': repr(value)}
    keep = {k: case[k] for k in ('mode', 'text', 'open', 'close', 'depth') if k in case}
    out.append('- ' + json.dumps({**keep, **result}, ensure_ascii=False))
path.write_text('\n'.join(out) + '\n')
