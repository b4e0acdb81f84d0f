"""Version facts of the packaged build, and behaviour that depends on them."""
import platform

from . import build_info as b

FALCO_VERSION = b.FALCO_VERSION
LIBS_VERSION = b.LIBS_VERSION
ENGINE_VERSION = b.ENGINE_VERSION
PLUGIN_API_VERSION = b.PLUGIN_API_VERSION
DRIVER_API_VERSION = b.DRIVER_API_VERSION
DRIVER_SCHEMA_VERSION = b.DRIVER_SCHEMA_VERSION
DEFAULT_DRIVER_VERSION = b.DEFAULT_DRIVER_VERSION


def semver_tuple(text):
    parts = []
    for piece in str(text).split("-")[0].split("+")[0].split("."):
        try:
            parts.append(int(piece))
        except ValueError:
            parts.append(0)
    while len(parts) < 3:
        parts.append(0)
    return tuple(parts[:3])


def legacy_ebpf_removed():
    # The legacy eBPF probe (engine.kind: ebpf) was removed in Falco 0.44.0.
    return semver_tuple(FALCO_VERSION) >= (0, 44, 0)


def version_text():
    """The block `falco --version` prints on stdout (same layout as the real one)."""
    return (
        f"Falco version: {FALCO_VERSION}\n"
        f"Libs version:  {LIBS_VERSION}\n"
        f"Plugin API:    {PLUGIN_API_VERSION}\n"
        f"Engine:        {ENGINE_VERSION}\n"
        "Driver:\n"
        f"  API version:    {DRIVER_API_VERSION}\n"
        f"  Schema version: {DRIVER_SCHEMA_VERSION}\n"
        f"  Default driver: {DEFAULT_DRIVER_VERSION}\n"
    )


def versions_json(plugin_versions=None):
    """Body of the webserver's /versions endpoint."""
    return {
        "falco_version": FALCO_VERSION,
        "libs_version": LIBS_VERSION,
        "plugin_api_version": PLUGIN_API_VERSION,
        "driver_api_version": DRIVER_API_VERSION,
        "driver_schema_version": DRIVER_SCHEMA_VERSION,
        "default_driver_version": DEFAULT_DRIVER_VERSION,
        "engine_version": str(semver_tuple(ENGINE_VERSION)[1]),
        "engine_version_semver": ENGINE_VERSION,
        "plugin_versions": dict(plugin_versions or {}),
    }


def machine():
    return platform.machine() or "x86_64"
