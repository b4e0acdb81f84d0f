#!/bin/bash
# Builds the Falco stand-in .deb packages (test double of the real `falco` package).
#
#   build.sh OUTDIR [VERSION...]        default versions: 0.43.0 0.44.1
#
# Writes OUTDIR/falco_<VERSION>_amd64.deb for each version. Deterministic: same sources and
# version give byte-identical packages (fixed mtimes, root ownership, SOURCE_DATE_EPOCH).
# No network. Needs dpkg-deb (dpkg) and python3 only.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: build.sh OUTDIR [VERSION...]}
shift
VERSIONS=("$@")
[ ${#VERSIONS[@]} -gt 0 ] || VERSIONS=(0.43.0 0.44.1)
EPOCH=${SOURCE_DATE_EPOCH:-1767225600} # 2026-01-01T00:00:00Z

# version -> libs, engine semver, default driver (as reported by the real releases)
facts() {
  case $1 in
    0.43.*) echo "0.23.1 0.58.0 9.1.0+driver" ;;
    0.44.*) echo "0.25.4 0.62.0 9.1.0+driver" ;;
    *) echo "0.25.4 0.62.0 9.1.0+driver" ;;
  esac
}

older_than_044() { # 0.43.9 -> true, 0.44.0 -> false
  [ "$(printf '%s\n0.44.0\n' "$1" | sort -V | head -n1)" != "0.44.0" ]
}

build_one() {
  local version=$1 libs engine driver stage
  read -r libs engine driver <<<"$(facts "$version")"
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' RETURN
  cp -a "$HERE/root/." "$stage/"
  find "$stage" -name __pycache__ -prune -exec rm -rf {} +
  mkdir -p "$stage/etc/falco/rules.d" "$stage/etc/falco/config.d" "$stage/DEBIAN"
  if older_than_044 "$version"; then
    cp "$HERE/legacy-ebpf/falco-bpf.service" "$stage/usr/lib/systemd/system/"
  fi
  cat >"$stage/usr/share/falco-standin/falco_standin/build_info.py" <<PY
# Written by build.sh for this package version.
FALCO_VERSION = "$version"
LIBS_VERSION = "$libs"
ENGINE_VERSION = "$engine"
PLUGIN_API_VERSION = "3.10.0"
DRIVER_API_VERSION = "8.0.0"
DRIVER_SCHEMA_VERSION = "3.0.0"
DEFAULT_DRIVER_VERSION = "$driver"
PY
  for script in postinst prerm postrm; do
    cp "$HERE/debian/$script" "$stage/DEBIAN/$script"
  done
  cp "$HERE/debian/conffiles" "$stage/DEBIAN/conffiles"
  local subst=(-e "s/@FALCO_VERSION@/$version/g" -e "s/@DEFAULT_DRIVER_VERSION@/$driver/g")
  sed -i "${subst[@]}" "$stage/etc/falco/falco.yaml" "$stage/etc/falco/falco_rules.yaml" \
    "$stage/etc/falcoctl/falcoctl.yaml" "$stage/DEBIAN/postinst"
  find "$stage" -type d -exec chmod 755 {} +
  find "$stage" -type f -exec chmod 644 {} +
  chmod 755 "$stage/usr/bin/falco" "$stage/usr/bin/falcoctl" "$stage/usr/share/falco-standin/record-maintscript" \
    "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm" "$stage/DEBIAN/postrm"
  local size
  size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
  sed -e "s/@FALCO_VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$size/" "$HERE/debian/control.in" >"$stage/DEBIAN/control"
  find "$stage" -exec touch -h -d "@$EPOCH" {} +
  SOURCE_DATE_EPOCH=$EPOCH dpkg-deb --root-owner-group -Zxz --build "$stage" "$OUT/falco_${version}_amd64.deb" >/dev/null
  echo "$OUT/falco_${version}_amd64.deb"
}

mkdir -p "$OUT"
for v in "${VERSIONS[@]}"; do
  [[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "build.sh: bad version '$v' (want X.Y.Z)" >&2; exit 2; }
  build_one "$v"
done
