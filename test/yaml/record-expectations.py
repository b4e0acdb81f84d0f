#!/usr/bin/python3
"""Record what ansible-playbook (ansible-core 2.14) prints for YAML scalars, into test/cases/yaml/*.yaml.

    /usr/bin/python3 test/yaml/record-expectations.py [test/cases/yaml/some.yaml ...]

A case is written by hand with `name` and `value` (the YAML text of one scalar). Every case's
value is written, as variable `<source><i>`, into each place Ansible reads YAML from:

    group_vars   group_vars/all.yml next to the inventory
    vars_files   vals.yml, named by the play's vars_files
    play_vars    the play's `vars:`
    from_yaml    a block scalar in the play's vars, read with `| from_yaml`

and one debug task per case prints "{{ v }}|{{ v | type_debug }}" for each. In json.yaml the
values are JSON text, written into group_vars/all.json and vals.json (Ansible reads JSON first). The recorder writes
`expected: {group_vars: ..., vars_files: ..., play_vars: ..., from_yaml: ...}`; test/yaml/typing.test.ts
builds the same files (fixture() there mirrors fixture() here) and runs them through falco-deploy.
Recorded fields are never edited by hand; re-run this script instead.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CALLBACKS = os.path.join(HERE, "..", "support", "ansible-callback")
YAML_SOURCES = ("group_vars", "vars_files", "play_vars", "from_yaml")
JSON_SOURCES = ("group_vars", "vars_files")


def expression(source, i):
    if source == "from_yaml":
        return f"(fy_text | from_yaml).fy{i}"
    return {"group_vars": "gv", "vars_files": "vf", "play_vars": "pv"}[source] + str(i)


def sources_of(path):
    return JSON_SOURCES if os.path.basename(path) == "json.yaml" else YAML_SOURCES


def debug_tasks(count, sources):
    tasks = ""
    for i in range(count):
        tasks += f"    - name: case {i}\n      debug:\n        msg:\n"
        for source in sources:
            e = expression(source, i)
            tasks += f"          {source}: \"{{{{ {e} }}}}|{{{{ {e} | type_debug }}}}\"\n"
    return tasks


def fixture(values, sources):
    if sources == JSON_SOURCES:
        obj = lambda prefix: "{" + ", ".join(f'"{prefix}{i}": {v}' for i, v in enumerate(values)) + "}\n"
        return {
            "inventory.ini": "localhost ansible_connection=local\n",
            "group_vars/all.json": obj("gv"),
            "vals.json": obj("vf"),
            "playbook.yml": "- hosts: localhost\n  gather_facts: false\n  vars_files: [vals.json]\n  tasks:\n"
            + debug_tasks(len(values), sources),
        }
    lines = lambda prefix, indent="": "".join(f"{indent}{prefix}{i}: {v}\n" for i, v in enumerate(values))
    playbook = (
        "- hosts: localhost\n  gather_facts: false\n  vars_files: [vals.yml]\n  vars:\n"
        + lines("pv", "    ")
        + "    fy_text: |\n"
        + lines("fy", "      ")
        + "  tasks:\n"
        + debug_tasks(len(values), sources)
    )
    return {
        "inventory.ini": "localhost ansible_connection=local\n",
        "group_vars/all.yml": lines("gv"),
        "vals.yml": lines("vf"),
        "playbook.yml": playbook,
    }


def record_file(path):
    with open(path, encoding="utf-8") as fh:
        cases = yaml.safe_load(fh) or []
    with tempfile.TemporaryDirectory() as tmp:
        sources = sources_of(path)
        for name, text in fixture([c["value"] for c in cases], sources).items():
            os.makedirs(os.path.dirname(os.path.join(tmp, name)), exist_ok=True)
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as fh:
                fh.write(text)
        env = dict(os.environ, ANSIBLE_CALLBACK_PLUGINS=CALLBACKS, ANSIBLE_STDOUT_CALLBACK="results_json",
                   ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false")
        run = subprocess.run(["ansible-playbook", "-i", "inventory.ini", "playbook.yml"], cwd=tmp, env=env,
                             capture_output=True, text=True)
        results = [json.loads(l)["result"] for l in run.stdout.splitlines() if l.startswith("{")]
        if run.returncode != 0 or len(results) != len(cases):
            raise SystemExit(f"ansible-playbook failed on {path}:\n{run.stdout}\n{run.stderr}")
    for case, result in zip(cases, results):
        case["expected"] = {source: result["msg"][source] for source in sources}
    version = subprocess.run(["ansible", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    text = (
        f"# Recorded by test/yaml/record-expectations.py from {version};\n"
        "# edit name/value only, then re-run the recorder.\n"
        + yaml.safe_dump(cases, sort_keys=False, allow_unicode=True, width=100)
    )
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"recorded {len(cases)} cases in {path}")


def main(argv):
    for path in argv or sorted(glob.glob(os.path.join(HERE, "..", "cases", "yaml", "*.yaml"))):
        record_file(path)


if __name__ == "__main__":
    main(sys.argv[1:])
