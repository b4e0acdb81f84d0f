#!/usr/bin/python3
"""Record expected results for test/cases/template/*.yaml from REAL Ansible (ansible-core 2.14, Jinja2).

Run with the system interpreter that has ansible-core installed (NOT a pyenv shim):

    /usr/bin/python3 test/template/record-expectations.py [test/cases/template/some.yaml ...]

Each case file is a YAML list of cases. A case is written by hand with:

    name:      short description (unique within the file)
    kind:      render | text | file | cond | data   (default: render)
                 render: Templar.template(template)            -> Templater.renderString
                         (with `files`: written to a directory that is the loader's
                         base, where lookups find them and pipe/lines run)
                 text:   template-module rendering (do_template, escape_backslashes=False,
                         trim_blocks=True, lstrip_blocks=False) -> Templater.renderText
                 file:   like text, but `template` names one of `files` ({name: content}),
                         written to a directory that is the template searchpath (includes)
                                                                -> Templater.renderFile
                 cond:   Conditional.evaluate_conditional(when) -> Templater.evaluateCondition
                 data:   Templar.template(data) on a structure, then omit removal like
                         TaskExecutor does for module args   -> Templater.templateData
    template:  the template string (render/text)
    when:      string, bool or list (cond)
    data:      any structure (data)
    vars:      variables (optional). The string "__omit__" inside data/vars is replaced by the
               real omit token on both sides.

The recorder then writes (overwriting previous recordings):
    expected:             the value Ansible produced (YAML keeps str/int/bool/list/dict/None)
    expected_error:       when Ansible raised: the core Jinja message (e.g. "'x' is undefined")
    expected_error_line:  for errors in text templates: the template line Jinja reported
Recorded fields are never to be edited by hand; re-run this script instead.
"""
import glob
import os
import re
import sys
import tempfile
import traceback

import yaml
from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.conditional import Conditional
from ansible.template import AnsibleEnvironment, Templar
from ansible.utils.display import Display

OMIT_PLACEHOLDER = "__omit__"
RECORDER_OMIT = "__omit_place_holder__recorder"
RECORDED = ("expected", "expected_error", "expected_error_line")

Display().verbosity = 0
# Known environment for lookup('env', ...) cases; the mocha runner sets the same.
os.environ["FALCO_DEPLOY_TEMPLATE_TEST"] = "hello"
LOADER = DataLoader()
# Jinja's messages for undefined values, recursion and syntax problems; the rest of Ansible's
# wording ("An unhandled exception occurred while templating ...") is not reproduced verbatim.
CORE_PATTERNS = [
    r"'[^']+' is undefined",
    r"'[^']+' has no attribute '[^']+'",
    r"\w+ object has no element -?\d+",
    r"recursive loop detected",
    r"Mandatory variable '[^']+'\s+not defined",
    r"template error while templating string",
    r"unable to evaluate conditional",
]


def plain(value):
    """AnsibleUnsafe/NativeJinjaText and friends -> builtin types that yaml.safe_dump accepts."""
    if isinstance(value, dict):
        return {str.__str__(k) if isinstance(k, str) else str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str.__str__(value)  # an exact str, also for AnsibleUnsafeText
    return str(value)


def with_omit(value, omit):
    if isinstance(value, dict):
        return {k: with_omit(v, omit) for k, v in value.items()}
    if isinstance(value, list):
        return [with_omit(v, omit) for v in value]
    if isinstance(value, str):
        return value.replace(OMIT_PLACEHOLDER, omit)
    return value


def without_omit(value):
    """The recorder's omit token back to the placeholder; the runner maps it to its own token."""
    if isinstance(value, dict):
        return {k: without_omit(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_omit(v) for v in value]
    if isinstance(value, str):
        return value.replace(RECORDER_OMIT, OMIT_PLACEHOLDER)
    return value


def remove_omitted(value, omit):
    """TaskExecutor._execute: drop top-level args whose value is the omit token; Ansible 2.14
    also strips omitted values from nested dicts/lists (remove_omit)."""
    from ansible.executor.task_executor import remove_omit
    return remove_omit(value, omit)


def template_line(exc, compiled):
    """Line in the template where Jinja failed. Ansible calls root_render_func directly, so
    the traceback holds the generated code's line under '<template>'; the compiled template's
    debug info maps it back to the template's own line."""
    line = None
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if exc.__class__.__name__ == "TemplateSyntaxError" and getattr(exc, "lineno", None):
            return exc.lineno
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename == "<template>" and compiled is not None:
                line = compiled.get_corresponding_lineno(frame.lineno)
        exc = getattr(exc, "orig_exc", None) or exc.__cause__ or exc.__context__
    return line


def compiled_text_template(case):
    """The same template compiled by the same kind of environment, for its line mapping."""
    if case.get("kind") != "text":
        return None
    templar = Templar(loader=LOADER, variables={})
    env = templar.copy_with_new_env(environment_class=AnsibleEnvironment, trim_blocks=True,
                                    lstrip_blocks=False).environment
    try:
        return env.from_string(case["template"])
    except Exception:  # syntax errors carry their own line
        return None


def undouble(text):
    """Ansible appends the original exception's text: "X. X" -> "X"."""
    half = (len(text) - 2) // 2
    if half > 0 and text[:half] + ". " + text[:half] == text:
        return text[:half]
    return text


def core_message(message):
    for pattern in CORE_PATTERNS:
        m = re.search(pattern, message)
        if m:
            return m.group(0)
    # Python errors raised while rendering, without Ansible's wrapper sentences.
    wrapped = re.match(r"Unexpected templating type error occurred on \(.*?\}\}\): (.*)$", message, re.S)
    if wrapped:
        message = wrapped.group(1)
    conditional = re.match(r"The conditional check .* failed\. The error was: (.*)$", message, re.S)
    if conditional:
        message = conditional.group(1)
    if "original message: " in message:
        message = message.rsplit("original message: ", 1)[1]
    return undouble(message).strip().splitlines()[0][:200]


def write_files(directory, files):
    for name, text in files.items():
        full = os.path.join(directory, name)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as fh:
            fh.write(text)


def run_case(case):
    kind = case.get("kind", "render")
    omit = RECORDER_OMIT
    variables = with_omit(case.get("vars") or {}, omit)
    variables["omit"] = omit
    # VariableManager.get_vars() adds `vars`: a copy of all variables (untemplated).
    variables["vars"] = {k: v for k, v in variables.items() if k != "omit"}
    templar = Templar(loader=LOADER, variables=variables)
    if kind == "render" and "files" in case:
        with tempfile.TemporaryDirectory() as tmp:
            write_files(tmp, case["files"])
            loader = DataLoader()
            loader.set_basedir(tmp)
            return Templar(loader=loader, variables=variables).template(with_omit(case["template"], omit))
    if kind == "render":
        return templar.template(with_omit(case["template"], omit))
    if kind == "text":
        env_templar = templar.copy_with_new_env(environment_class=AnsibleEnvironment,
                                                trim_blocks=True, lstrip_blocks=False)
        return env_templar.do_template(case["template"], preserve_trailing_newlines=True,
                                       escape_backslashes=False)
    if kind == "file":
        # Template module on a file, with `files` written to a directory that is the searchpath.
        with tempfile.TemporaryDirectory() as tmp:
            write_files(tmp, case["files"])
            env_templar = templar.copy_with_new_env(environment_class=AnsibleEnvironment,
                                                    trim_blocks=True, lstrip_blocks=False)
            env_templar.environment.loader.searchpath = [tmp]
            with open(os.path.join(tmp, case["template"]), encoding="utf-8") as fh:
                data = fh.read()
            return env_templar.do_template(data, preserve_trailing_newlines=True,
                                           escape_backslashes=False)
    if kind == "cond":
        cond = Conditional(loader=LOADER)
        when = case["when"]
        cond.when = when if isinstance(when, list) else [when]
        return cond.evaluate_conditional(templar, variables)
    if kind == "data":
        return remove_omitted(templar.template(with_omit(case["data"], omit)), omit)
    raise SystemExit(f"unknown kind {kind!r} in case {case.get('name')!r}")


def record_file(path):
    with open(path, encoding="utf-8") as fh:
        cases = yaml.safe_load(fh) or []
    for case in cases:
        for key in RECORDED:
            case.pop(key, None)
        try:
            case["expected"] = without_omit(plain(run_case(case)))
        except AnsibleError as exc:
            case["expected_error"] = core_message(str(exc.message))
            line = template_line(exc, compiled_text_template(case))
            if line is not None and case.get("kind") == "text":
                case["expected_error_line"] = line
        except Exception as exc:  # Jinja errors escaping Ansible's wrappers
            case["expected_error"] = core_message(f"{exc}")
            line = template_line(exc, compiled_text_template(case))
            if line is not None and case.get("kind") == "text":
                case["expected_error_line"] = line
    # Dump to text first: a failure must not leave a truncated case file behind.
    text = (
        "# Recorded by test/template/record-expectations.py from ansible-core 2.14;\n"
        "# edit name/kind/template/when/data/vars only, then re-run the recorder.\n"
        + yaml.safe_dump(cases, sort_keys=False, allow_unicode=True, width=100)
    )
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"recorded {len(cases)} cases in {path}")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    paths = argv or sorted(glob.glob(os.path.join(here, "..", "cases", "template", "*.yaml")))
    for path in paths:
        record_file(path)


if __name__ == "__main__":
    main(sys.argv[1:])
