"""Falco configuration: falco.yaml + config_files (config.d) + `-o key=value` options.

Merge rules follow Falco >= 0.41: included files are merged at the ROOT KEY LEVEL only
(a partial `engine:` map replaces the whole `engine:` map) with a per-entry strategy:
append (default: sequences appended, everything else replaced), override, add-only.
Directories are read in lexicographic order. `-o` options win over every file.
"""
import os
import re

from . import versions, yamlfile

PRIORITIES = ["emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"]
PRIORITY_ALIASES = {"info": "informational"}
ENGINE_KINDS = ["kmod", "modern_ebpf", "ebpf", "replay", "gvisor", "nodriver"]
STRATEGIES = ["append", "override", "add-only"]

# Root keys of the real falco.yaml schema; anything else is reported as a schema warning.
KNOWN_KEYS = {
    "config_files", "watch_config_files", "rules_files", "rules_file", "rule_matching", "outputs_queue",
    "append_output", "static_fields", "load_plugins", "plugins", "plugins_hostinfo", "engine", "capture",
    "time_format_iso_8601", "buffer_format_base64", "priority", "json_output",
    "json_include_output_property", "json_include_message_property", "json_include_output_fields_property",
    "json_include_tags_property", "buffered_outputs", "stdout_output", "syslog_output", "file_output",
    "http_output", "program_output", "grpc_output", "grpc", "webserver", "log_stderr", "log_syslog",
    "log_level", "libs_logger", "output_timeout", "syscall_event_timeouts", "syscall_event_drops",
    "metrics", "base_syscalls", "falco_libs", "container_engines", "container", "config_files_strategy",
}


class ConfigError(Exception):
    pass


def normalize_priority(value):
    text = str(value).strip().lower()
    text = PRIORITY_ALIASES.get(text, text)
    return text if text in PRIORITIES else None


def priority_rank(value):
    return PRIORITIES.index(normalize_priority(value))


class Config:
    def __init__(self):
        self.data = {}
        self.origin = {}  # root key -> file (or "-o option") that last set it
        self.files = []  # [(path, schema_status)] in Falco's "initialized with" order
        self.warnings = []

    def get(self, dotted, default=None):
        node = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return default if node is None else node

    def where(self, dotted):
        return self.origin.get(dotted.split(".")[0], "defaults")

    # Resolved views used by the daemon.
    def engine_kind(self):
        return self.get("engine.kind", "kmod")

    def min_priority(self):
        return normalize_priority(self.get("priority", "debug"))

    def rules_paths(self):
        paths = self.get("rules_files")
        if paths is None:
            paths = self.get("rules_file", [])
        if isinstance(paths, str):
            paths = [paths]
        return list(paths)


def _set_path(data, dotted, value):
    """Apply `-o a.b[0].c=value` / `-o a.b[]=value` to nested data."""
    tokens = re.findall(r"[^.\[\]]+|\[\d*\]", dotted)
    if not tokens:
        raise ConfigError(f"Invalid option '{dotted}'")
    node = data
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        nxt = tokens[i + 1] if not last else None
        fresh = [] if (nxt or "").startswith("[") else {}
        if token.startswith("["):
            if not isinstance(node, list):
                raise ConfigError(f"Invalid option '{dotted}': not a list")
            if token == "[]":
                node.append(value if last else fresh)
                node = node[-1]
                continue
            index = int(token[1:-1])
            while len(node) <= index:
                node.append(None)
            if last:
                node[index] = value
            else:
                if not isinstance(node[index], (dict, list)):
                    node[index] = fresh
                node = node[index]
        else:
            if not isinstance(node, dict):
                raise ConfigError(f"Invalid option '{dotted}': '{token}' is not inside a map")
            if last:
                node[token] = value
            else:
                if not isinstance(node.get(token), (dict, list)):
                    node[token] = fresh
                node = node[token]


def _apply_options(config, options):
    for option in options:
        if "=" not in option:
            raise ConfigError(f"Error parsing config option \"{option}\". Must be of the form key=val or key.subkey=val")
        key, raw = option.split("=", 1)
        _set_path(config.data, key.strip(), yamlfile.parse_scalar(raw))
        config.origin[re.split(r"[.\[]", key.strip())[0]] = "-o option"


def _read_mapping(path):
    try:
        data = yamlfile.parse_file(path)
    except OSError as exc:
        raise ConfigError(f"Could not read config file ({path}): {exc.strerror}") from None
    except yamlfile.YamlError as exc:
        raise ConfigError(f"Cannot read config file ({path}): {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"Cannot read config file ({path}): root element is not a map")
    return data


def _schema_status(data):
    unknown = sorted(k for k in data if k not in KNOWN_KEYS)
    if not unknown:
        return "ok"
    return ("failed for <root>: Object contains a property that could not be validated using "
            f"'properties' or 'additionalProperties' constraints: '{unknown[0]}'.")


def _merge(config, data, path, strategy):
    for key, value in data.items():
        if key == "config_files":
            config.warnings.append(f"{path}: 'config_files' in an included file is ignored")
            continue
        exists = key in config.data
        if strategy == "add-only" and exists:
            continue
        if strategy == "append" and exists and isinstance(config.data[key], list) and isinstance(value, list):
            config.data[key] = config.data[key] + value
        else:
            config.data[key] = value
        config.origin[key] = path


def _include_entries(config):
    entries = config.get("config_files", [])
    if isinstance(entries, (str, dict)):
        entries = [entries]
    if not isinstance(entries, list):
        raise ConfigError(f"'config_files' must be a list (in {config.where('config_files')})")
    result = []
    for entry in entries:
        if isinstance(entry, str):
            result.append((entry, "append"))
        elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
            strategy = entry.get("strategy", "append")
            if strategy not in STRATEGIES:
                raise ConfigError(f"Unknown strategy '{strategy}' for config file '{entry['path']}'; "
                                  f"valid strategies: {', '.join(STRATEGIES)}")
            result.append((entry["path"], strategy))
        else:
            raise ConfigError(f"Invalid 'config_files' entry {entry!r}: expected a path or {{path, strategy}}")
    return result


def load(path, options=()):
    """Load like Falco: main file, -o, included files in order, -o again (options always win)."""
    config = Config()
    config.data = _read_mapping(path)
    for key in config.data:
        config.origin[key] = path
    main_status = _schema_status(config.data)
    _apply_options(config, options)
    included = []
    for entry, strategy in _include_entries(config):
        if os.path.isdir(entry):
            names = sorted(n for n in os.listdir(entry) if os.path.isfile(os.path.join(entry, n)))
            files = [os.path.join(entry, n) for n in names]
        elif os.path.isfile(entry):
            files = [entry]
        else:
            continue  # Falco skips config_files entries that do not exist
        for file in files:
            data = _read_mapping(file)
            included.append((file, _schema_status(data)))
            _merge(config, data, file, strategy)
    _apply_options(config, options)
    # Falco lists the included files first, then the main file.
    config.files = sorted(included) + [(path, main_status)]
    validate(config)
    return config


# ---- validation of the keys falco-deploy manages ------------------------------------------

def _type_name(expected):
    return {bool: "boolean", int: "integer", str: "string", list: "list", dict: "map"}[expected]


def _check(config, dotted, expected, required=False):
    value = config.get(dotted)
    if value is None:
        if required:
            raise ConfigError(f"Invalid configuration: '{dotted}' is required (in {config.where(dotted)})")
        return None
    ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    if not ok:
        raise ConfigError(f"Invalid configuration: '{dotted}' must be a {_type_name(expected)}, "
                          f"got {value!r} (in {config.where(dotted)})")
    return value


def _check_map(config, dotted):
    value = config.data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is not None and not isinstance(value, dict):
        raise ConfigError(f"Invalid configuration: '{dotted}' must be a map, got {value!r} (in {config.where(dotted)})")
    return value is not None


def _validate_engine(config):
    _check_map(config, "engine")
    kind = _check(config, "engine.kind", str)
    if kind is None:
        return
    if kind == "ebpf" and versions.legacy_ebpf_removed():
        raise ConfigError("Invalid configuration: engine.kind 'ebpf' (legacy eBPF probe) is no longer supported "
                          f"since Falco 0.44.0; use 'modern_ebpf' or 'kmod' (in {config.where('engine')})")
    if kind not in ENGINE_KINDS:
        raise ConfigError(f"Invalid configuration: unknown engine.kind '{kind}'; valid kinds: "
                          f"{', '.join(k for k in ENGINE_KINDS if k != 'ebpf' or not versions.legacy_ebpf_removed())}"
                          f" (in {config.where('engine')})")


def _validate_outputs(config):
    for name in ("stdout_output", "syslog_output", "file_output", "program_output", "http_output", "grpc_output"):
        if _check_map(config, name):
            _check(config, f"{name}.enabled", bool)
    if config.get("file_output.enabled"):
        _check(config, "file_output.filename", str, required=True)
    _check(config, "file_output.keep_alive", bool)
    if config.get("program_output.enabled"):
        _check(config, "program_output.program", str, required=True)
    _check(config, "program_output.keep_alive", bool)
    if config.get("http_output.enabled"):
        url = _check(config, "http_output.url", str, required=True)
        if not re.match(r"^https?://", url):
            raise ConfigError(f"Invalid configuration: 'http_output.url' must be an http(s) URL, got {url!r} "
                              f"(in {config.where('http_output')})")
    for flag in ("json_output", "json_include_output_property", "json_include_message_property",
                 "json_include_tags_property", "json_include_output_fields_property", "buffered_outputs",
                 "time_format_iso_8601", "log_stderr", "log_syslog", "watch_config_files"):
        _check(config, flag, bool)


def _validate_webserver(config):
    if not _check_map(config, "webserver"):
        return
    _check(config, "webserver.enabled", bool)
    _check(config, "webserver.ssl_enabled", bool)
    _check(config, "webserver.listen_address", str)
    _check(config, "webserver.k8s_healthz_endpoint", str)
    _check(config, "webserver.prometheus_metrics_enabled", bool)
    port = _check(config, "webserver.listen_port", int)
    if port is not None and not 0 < port < 65536:
        raise ConfigError(f"Invalid configuration: 'webserver.listen_port' must be 1-65535, got {port} "
                          f"(in {config.where('webserver')})")
    if config.get("webserver.enabled", True) and config.get("webserver.ssl_enabled", False):
        cert = config.get("webserver.ssl_certificate", "/etc/falco/falco.pem")
        if not os.path.isfile(cert):
            raise ConfigError(f"Invalid configuration: webserver.ssl_enabled is true but the certificate "
                              f"'{cert}' does not exist (in {config.where('webserver')})")


def _validate_rules_and_plugins(config):
    for key in ("rules_files", "rules_file"):
        value = config.get(key)
        if value is not None and not (isinstance(value, str) or
                                      (isinstance(value, list) and all(isinstance(v, str) for v in value))):
            raise ConfigError(f"Invalid configuration: '{key}' must be a list of paths, got {value!r} "
                              f"(in {config.where(key)})")
    plugins = _check(config, "plugins", list) or []
    by_name = {}
    for plugin in plugins:
        if not isinstance(plugin, dict) or not isinstance(plugin.get("name"), str):
            raise ConfigError(f"Invalid configuration: every 'plugins' entry needs a 'name' (in {config.where('plugins')})")
        by_name[plugin["name"]] = plugin
    for name in _check(config, "load_plugins", list) or []:
        if name not in by_name:
            raise ConfigError(f"Cannot load plugin '{name}': plugin config not found for given name "
                              f"(in {config.where('load_plugins')})")
        library = by_name[name].get("library_path", "")
        if not os.path.isabs(library):
            library = os.path.join("/usr/share/falco/plugins", library)
        if not os.path.isfile(library):
            raise ConfigError(f"Cannot load plugin '{name}': cannot load plugin library {library}: "
                              "No such file or directory")


def validate(config):
    _validate_engine(config)
    priority = config.get("priority")
    if priority is not None and normalize_priority(priority) is None:
        raise ConfigError(f"Invalid configuration: 'priority' must be one of {', '.join(PRIORITIES)}, got "
                          f"{priority!r} (in {config.where('priority')})")
    level = config.get("log_level")
    if level is not None and normalize_priority(level) is None:
        raise ConfigError(f"Invalid configuration: 'log_level' must be one of {', '.join(PRIORITIES)}, got "
                          f"{level!r} (in {config.where('log_level')})")
    _validate_outputs(config)
    _validate_webserver(config)
    _validate_rules_and_plugins(config)
