#!/usr/bin/python3
"""Record expected results for test/cases/argspec/*.yaml from REAL ansible-core (2.14).

Run with the system interpreter that has ansible-core installed:

    /usr/bin/python3 test/argspec/record-expectations.py

boolean.yaml: a list of {value: <any>}; records, for each value,
    strict / strict_error:  module_utils.parsing.convert_bool.boolean(value)
    loose:                  boolean(value, strict=False) (or loose_error)
    bool_filter:            the `bool` filter (plugins/filter/core.py to_bool)
    truthy:                 the `truthy(convert_bool=True)` test (plugins/test/core.py)
validate.yaml: a list of {name, module?, spec, params, mutually_exclusive?, required_together?,
    required_one_of?, required_if?, required_by?}; records what AnsibleModule does with them
    (ModuleArgumentSpecValidator):
    expected:        validated parameters, without alias keys and without options left None
                     (a required option given as None stays), in suboption dicts too
    no_log_values:   the values AnsibleModule masks in its output (sorted), when there are any
    expected_error:  the message AnsibleModule fails with (the first error; unsupported
                     parameters prefixed "Unsupported parameters for (<module>) module: ")

Python prints the valid booleans in frozenset (hash) order, which changes from run to run; the
recorder writes them in the source order of BOOLEANS_TRUE then BOOLEANS_FALSE (as our message
does). Recorded fields are never edited by hand; re-run this script instead.
"""
import os
import sys

import yaml
from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.filter.core import to_bool
from ansible.plugins.test.core import truthy

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, '..', 'cases', 'argspec')
VALID_PREFIX = 'Valid booleans include: '
SOURCE_ORDER = "'y', 'yes', 'on', '1', 'true', 't', 1, 'n', 'no', 'off', '0', 'false', 'f', 0"


def message(exc):
    text = str(exc)
    i = text.find(VALID_PREFIX)
    return text if i < 0 else text[:i + len(VALID_PREFIX)] + SOURCE_ORDER


def outcome(fn, value, key):
    try:
        return {key: fn(value)}
    except Exception as exc:  # Python raises TypeError; the recorder keeps the message
        return {key + '_error': message(exc)}


def record_boolean(cases):
    for case in cases:
        for key in [k for k in case if k != 'value']:
            del case[key]
        value = case['value']
        case.update(outcome(boolean, value, 'strict'))
        case.update(outcome(lambda v: boolean(v, strict=False), value, 'loose'))
        case.update(outcome(to_bool, value, 'bool_filter'))
        case.update(outcome(lambda v: truthy(v, convert_bool=True), value, 'truthy'))
    return cases


CHECKS = ('mutually_exclusive', 'required_together', 'required_one_of', 'required_if', 'required_by')


def plain(spec, params):
    """Validated parameters without alias keys and options left None, suboption dicts too."""
    aliases = {a for opts in spec.values() for a in opts.get('aliases', [])}
    out = {}
    for k, v in params.items():
        if k in aliases or (k in spec and v is None and not spec[k].get('required')):
            continue
        sub = spec.get(k, {}).get('options')
        if sub is not None and isinstance(v, dict):
            v = plain(sub, v)
        elif sub is not None and isinstance(v, list):
            v = [plain(sub, i) if isinstance(i, dict) else i for i in v]
        out[k] = v
    return out


def record_validate(cases):
    for case in cases:
        case.pop('expected', None)
        case.pop('expected_error', None)
        case.pop('no_log_values', None)
        spec = case['spec']
        validator = ModuleArgumentSpecValidator(spec, **{k: case[k] for k in CHECKS if k in case})
        result = validator.validate(dict(case.get('params') or {}))
        if result.errors.errors:
            msg = result.errors.msg
            if isinstance(result.errors[0], UnsupportedError):
                msg = 'Unsupported parameters for (%s) module: %s' % (case.get('module', 'test'), msg)
            case['expected_error'] = message(msg)
        else:
            case['expected'] = plain(spec, result.validated_parameters)
            if result._no_log_values:
                case['no_log_values'] = sorted(result._no_log_values)
    return cases


def main():
    for name, record in (('boolean.yaml', record_boolean), ('validate.yaml', record_validate)):
        path = os.path.join(CASES, name)
        with open(path) as f:
            cases = yaml.safe_load(f)
        text = yaml.safe_dump(record(cases), sort_keys=False, allow_unicode=True, width=200)
        with open(path, 'w') as f:  # only once all cases are recorded
            f.write(text)
        print('recorded', path, file=sys.stderr)


if __name__ == '__main__':
    main()
