"""Just enough of Falco's filter syntax to find macro references and unbalanced parentheses."""
import re

_TOKEN = re.compile(r"""\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<op><=|>=|!=|=|<|>)|"""
                    r"""(?P<punct>[(),])|(?P<word>[^\s(),=<>!"']+))""")
LOGIC = {"and", "or", "not"}
VALUE_OPS = {"=", "!=", "<", "<=", ">", ">=", "contains", "icontains", "bcontains", "startswith",
             "bstartswith", "endswith", "glob", "iglob", "regex"}
LIST_OPS = {"in", "intersects", "pmatch"}
UNARY_OPS = {"exists"}


class ConditionError(Exception):
    pass


def tokenize(text):
    tokens, pos = [], 0
    text = text or ""
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"unexpected character at offset {pos}: {text[pos:pos + 10]!r}")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def macro_references(text):
    """Bare identifiers used where a predicate is expected (Falco resolves those as macros)."""
    tokens = tokenize(text)
    depth = 0
    for kind, value in tokens:
        if kind == "punct" and value == "(":
            depth += 1
        elif kind == "punct" and value == ")":
            depth -= 1
            if depth < 0:
                raise ConditionError("unexpected token ')'")
    if depth != 0:
        raise ConditionError("unexpected end of condition: expecting ')'")
    refs, i = [], 0
    while i < len(tokens):
        kind, value = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else (None, None)
        if kind == "op" or (kind == "word" and value in VALUE_OPS):
            i += 2  # skip the operator and its operand
            if i - 1 < len(tokens) and tokens[i - 1] == ("punct", "("):  # e.g. val(...) operand
                i = _skip_group(tokens, i - 1)
            continue
        if kind == "word" and value in LIST_OPS:
            i = _skip_group(tokens, i + 1) if nxt == ("punct", "(") else i + 2
            continue
        if kind == "word" and nxt == ("punct", "(") and value not in LOGIC:
            i = _skip_group(tokens, i + 1)  # transformer such as tolower(proc.name)
            continue
        if kind == "word" and value not in LOGIC and value not in UNARY_OPS:
            if "." not in value and "[" not in value and not re.match(r"^-?\d", value):
                refs.append(value)
        i += 1
    return refs


def _skip_group(tokens, open_index):
    depth, i = 0, open_index
    while i < len(tokens):
        if tokens[i] == ("punct", "("):
            depth += 1
        elif tokens[i] == ("punct", ")"):
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i
