"""Falco rules files: loading, validation and `-V` style reports.

Errors and warnings are shaped like Falco's rule loader output:

    /path/rules.yaml: Invalid
    1 Errors:
    In rules content: (/path/rules.yaml:0:0)
        rule 'X': (/path/rules.yaml:3:2)
    ------
    - rule: X
      ^
    ------
    LOAD_ERR_YAML_VALIDATE (Error validating internal structure of YAML file): Item has no mapping for key 'condition'
"""
import os

import yaml

from . import condition as cond
from . import config as cfg
from . import versions

CODES = {
    "LOAD_ERR_FILE_READ": "Could not read file",
    "LOAD_ERR_YAML_PARSE": "Error parsing YAML",
    "LOAD_ERR_YAML_VALIDATE": "Error validating internal structure of YAML file",
    "LOAD_ERR_COMPILE_CONDITION": "Error compiling condition",
    "LOAD_ERR_COMPILE_OUTPUT": "Error compiling output",
    "LOAD_ERR_VALIDATE": "Error validating rule/macro/list/exception objects",
    "LOAD_UNUSED_MACRO": "Unused macro",
    "LOAD_UNUSED_LIST": "Unused list",
}
ITEM_KINDS = ("rule", "macro", "list", "required_engine_version", "required_plugin_versions")


class Problem:
    def __init__(self, code, message, path, line=0, column=0, item=None, snippet=None):
        self.code, self.message, self.path = code, message, path
        self.line, self.column, self.item, self.snippet = line, column, item, snippet

    def render(self):
        lines = [f"In rules content: ({self.path}:0:0)"]
        if self.item:
            lines.append(f"    {self.item}: ({self.path}:{self.line}:{self.column})")
        if self.snippet is not None:
            lines += ["------", self.snippet, " " * self.column + "^", "------"]
        lines.append(f"{self.code} ({CODES[self.code]}): {self.message}")
        return "\n".join(lines)


class FileResult:
    def __init__(self, path):
        self.path, self.errors, self.warnings = path, [], []

    def summary(self):
        if self.errors:
            out = [f"{self.path}: Invalid", f"{len(self.errors)} Errors:"]
            out += [e.render() for e in self.errors]
            if self.warnings:
                out += [f"{len(self.warnings)} Warnings:"] + [w.render() for w in self.warnings]
            return "\n".join(out)
        if self.warnings:
            return "\n".join([f"{self.path}: Ok, with warnings", f"{len(self.warnings)} Warnings:"]
                             + [w.render() for w in self.warnings])
        return f"{self.path}: Ok"


class RuleSet:
    def __init__(self):
        self.rules, self.macros, self.lists = {}, {}, {}
        self.order = []  # rule names in load order
        self.used_macros, self.used_lists = set(), set()

    def enabled_rules(self):
        return [self.rules[n] for n in self.order if self.rules[n].get("enabled", True)]


def _snippet(text_lines, line):
    return text_lines[line - 1] if 0 < line <= len(text_lines) else ""


def _positions(text):
    """Start (line, column) of each top-level sequence item, 1-based line / 0-based column like Falco."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [(item.start_mark.line + 1, item.start_mark.column) for item in node.value]


def _describe(item):
    for kind in ("rule", "macro", "list"):
        if kind in item:
            return f"{kind} '{item[kind]}'"
    return "item"


class Loader:
    def __init__(self, ruleset=None):
        self.ruleset = ruleset or RuleSet()

    def load_file(self, path):
        result = FileResult(path)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            result.errors.append(Problem("LOAD_ERR_FILE_READ", f"Could not open file {path}: {exc.strerror}", path))
            return result
        self.load_text(path, text, result)
        return result

    def load_text(self, path, text, result):
        try:
            items = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"error at line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            result.errors.append(Problem("LOAD_ERR_YAML_PARSE", f"yaml-cpp: {where}{problem}", path))
            return
        if items is None:
            return
        if not isinstance(items, list):
            result.errors.append(Problem("LOAD_ERR_YAML_VALIDATE", "Rules content is not yaml array of objects", path))
            return
        lines, positions = text.splitlines(), _positions(text)
        added = []
        for index, item in enumerate(items):
            line, column = positions[index] if index < len(positions) else (0, 0)

            def fail(code, message, item=item, line=line, column=column):
                label = _describe(item) if isinstance(item, dict) else "item"
                result.errors.append(Problem(code, message, path, line, column, label, _snippet(lines, line)))

            if not isinstance(item, dict):
                fail("LOAD_ERR_YAML_VALIDATE", "Unexpected element type. Each element should be a yaml associative array.")
                continue
            kinds = [k for k in ITEM_KINDS if k in item]
            if not kinds:
                fail("LOAD_ERR_YAML_VALIDATE", "Unknown top level object")
                continue
            handler = getattr(self, "_" + kinds[0])
            error = handler(item, path, line)
            if error:
                fail(*error)
            elif kinds[0] in ("rule", "macro"):
                added.append((kinds[0], item[kinds[0]], line, column))
        self._compile(path, lines, added, result)

    # ---- item handlers: return (code, message) on error ------------------------------------

    def _required_engine_version(self, item, path, line):
        wanted = item["required_engine_version"]
        if versions.semver_tuple(wanted) > versions.semver_tuple(versions.ENGINE_VERSION):
            return ("LOAD_ERR_VALIDATE", f"Rules require engine version {wanted}, but engine version is "
                                         f"{versions.ENGINE_VERSION}")
        return None

    def _required_plugin_versions(self, item, path, line):
        if not isinstance(item["required_plugin_versions"], list):
            return ("LOAD_ERR_YAML_VALIDATE", "Value is not a sequence: required_plugin_versions")
        return None

    def _list(self, item, path, line):
        name = item["list"]
        if "items" not in item:
            return ("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'items'")
        values = item["items"] or []
        if not isinstance(values, list):
            return ("LOAD_ERR_YAML_VALIDATE", "Value is not a sequence: items")
        existing = self.ruleset.lists.get(name)
        if _wants_append(item, "items"):
            if existing is None:
                return ("LOAD_ERR_VALIDATE", "List has 'append' key or an append override but no list by that name "
                                             "already exists")
            existing["items"] = existing["items"] + values
        else:
            self.ruleset.lists[name] = {"name": name, "items": list(values), "file": path, "line": line}
        return None

    def _macro(self, item, path, line):
        name = item["macro"]
        if "condition" not in item:
            return ("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'condition'")
        existing = self.ruleset.macros.get(name)
        if _wants_append(item, "condition"):
            if existing is None:
                return ("LOAD_ERR_VALIDATE", "Macro has 'append' key or an append override but no macro by that "
                                             "name already exists")
            existing["condition"] = f"{existing['condition']} {item['condition']}"
        else:
            self.ruleset.macros[name] = {"name": name, "condition": str(item["condition"]), "file": path,
                                         "line": line}
        return None

    def _rule(self, item, path, line):
        name = item["rule"]
        existing = self.ruleset.rules.get(name)
        if "enabled" in item and not isinstance(item["enabled"], bool):
            return ("LOAD_ERR_YAML_VALIDATE", "Value for key 'enabled' is not a boolean")
        if "tags" in item and not (isinstance(item["tags"], list) and all(isinstance(t, str) for t in item["tags"])):
            return ("LOAD_ERR_YAML_VALIDATE", "Value is not a sequence of strings: tags")
        if item.get("append") or isinstance(item.get("override"), dict):
            if existing is None:
                return ("LOAD_ERR_VALIDATE", "Rule has 'append' key or an override but no rule by that name "
                                             "already exists")
            return self._amend_rule(existing, item)
        definition_keys = {"condition", "output", "desc", "priority"}
        if existing is not None and not definition_keys & set(item):
            if "enabled" in item:
                existing["enabled"] = item["enabled"]
            return None
        if existing is None and not definition_keys & set(item) and "enabled" in item:
            return ("LOAD_ERR_VALIDATE", "Rule has 'enabled' key but no rule by that name already exists")
        for key in ("condition", "output", "desc", "priority"):
            if key not in item:
                return ("LOAD_ERR_YAML_VALIDATE", f"Item has no mapping for key '{key}'")
        priority = cfg.normalize_priority(item["priority"])
        if priority is None:
            return ("LOAD_ERR_VALIDATE", "Invalid priority")
        rule = {
            "name": name, "desc": str(item["desc"]), "condition": str(item["condition"]),
            "output": str(item["output"]).strip(), "priority": priority, "tags": list(item.get("tags") or []),
            "enabled": item.get("enabled", True), "source": item.get("source", "syscall"), "file": path, "line": line,
        }
        if existing is None:
            self.ruleset.order.append(name)
        self.ruleset.rules[name] = rule
        return None

    def _amend_rule(self, existing, item):
        override = item.get("override") or {}
        for key in ("condition", "output", "desc", "priority", "tags", "enabled", "exceptions"):
            if key not in item:
                continue
            mode = override.get(key, "append" if item.get("append") else None)
            if mode not in ("append", "replace"):
                return ("LOAD_ERR_VALIDATE", f"Key '{key}' cannot be overridden without an override mode")
            if key == "priority":
                priority = cfg.normalize_priority(item[key])
                if priority is None:
                    return ("LOAD_ERR_VALIDATE", "Invalid priority")
                existing[key] = priority
            elif key == "tags" and mode == "append":
                existing[key] = existing[key] + list(item[key])
            elif mode == "append" and key in ("condition", "output", "desc"):
                existing[key] = f"{existing[key]} {item[key]}"
            else:
                existing[key] = item[key]
        return None

    # ---- compile step: macro references ----------------------------------------------------

    def _compile(self, path, lines, added, result):
        for kind, name, line, column in added:
            entry = (self.ruleset.rules if kind == "rule" else self.ruleset.macros).get(name)
            if entry is None:
                continue
            try:
                refs = cond.macro_references(entry["condition"])
            except cond.ConditionError as exc:
                result.errors.append(Problem("LOAD_ERR_COMPILE_CONDITION", str(exc), path, line, column,
                                             f"{kind} '{name}'", _snippet(lines, line)))
                continue
            for ref in refs:
                if ref in self.ruleset.macros:
                    self.ruleset.used_macros.add(ref)
                    continue
                result.errors.append(Problem("LOAD_ERR_COMPILE_CONDITION", f"Undefined macro '{ref}' used in filter.",
                                             path, line, column, f"{kind} '{name}'", _snippet(lines, line)))
                break
            for word in cond.tokenize(entry["condition"]):
                if word[0] == "word" and word[1] in self.ruleset.lists:
                    self.ruleset.used_lists.add(word[1])
        for lst in self.ruleset.lists.values():
            for value in lst["items"]:
                if isinstance(value, str) and value in self.ruleset.lists:
                    self.ruleset.used_lists.add(value)


def _wants_append(item, key):
    return bool(item.get("append")) or (isinstance(item.get("override"), dict) and item["override"].get(key) == "append")


def expand_paths(paths):
    """rules_files entries: files as given, directories expanded to their files in lexical order."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += [os.path.join(path, n) for n in sorted(os.listdir(path))
                      if os.path.isfile(os.path.join(path, n))]
        else:
            files.append(path)
    return files


def unused_warnings(loader, results):
    """Falco warns about macros and lists no rule or macro uses (reported on the file defining them)."""
    by_path = {r.path: r for r in results}
    for name, macro in loader.ruleset.macros.items():
        if name not in loader.ruleset.used_macros and macro["file"] in by_path:
            by_path[macro["file"]].warnings.append(Problem("LOAD_UNUSED_MACRO", "Macro not referred to by any other "
                                                           "rule/macro", macro["file"], macro["line"], 2,
                                                           f"macro '{name}'"))
    for name, lst in loader.ruleset.lists.items():
        if name not in loader.ruleset.used_lists and lst["file"] in by_path:
            by_path[lst["file"]].warnings.append(Problem("LOAD_UNUSED_LIST", "List not referred to by any other "
                                                         "rule/macro", lst["file"], lst["line"], 2, f"list '{name}'"))


def load_all(paths):
    """Load files in order into one rule set. Returns (ruleset, [FileResult])."""
    loader = Loader()
    results = [loader.load_file(p) for p in expand_paths(paths)]
    unused_warnings(loader, results)
    return loader.ruleset, results
