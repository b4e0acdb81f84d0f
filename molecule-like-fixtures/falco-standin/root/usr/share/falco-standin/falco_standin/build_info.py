# Replaced by build.sh with the values of the version being packaged.
FALCO_VERSION = "0.0.0-dev"
LIBS_VERSION = "0.0.0"
ENGINE_VERSION = "0.0.0"
PLUGIN_API_VERSION = "3.10.0"
DRIVER_API_VERSION = "8.0.0"
DRIVER_SCHEMA_VERSION = "3.0.0"
DEFAULT_DRIVER_VERSION = "0.0.0+driver"
