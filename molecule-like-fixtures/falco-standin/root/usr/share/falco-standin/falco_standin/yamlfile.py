"""YAML reading with Falco-like error text (Falco uses yaml-cpp; we use PyYAML)."""
import yaml


class YamlError(Exception):
    pass


def _describe(exc):
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"yaml-cpp: error at line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return f"yaml-cpp: {problem}"


def parse_text(text):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise YamlError(_describe(exc)) from None


def parse_file(path):
    with open(path, encoding="utf-8") as handle:
        return parse_text(handle.read())


def parse_scalar(text):
    """Value of a `-o key=value` option: parsed as YAML like Falco does, strings stay strings."""
    try:
        return yaml.safe_load(text) if text != "" else ""
    except yaml.YAMLError:
        return text
