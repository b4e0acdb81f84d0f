#!/bin/bash
# Builds a signed apt repository laid out like download.falco.org/packages/deb, serving the
# Falco stand-in (two versions) and the Debian packages it depends on that test hosts lack.
#
#   build-repo.sh OUTDIR [FALCO_VERSION...]      default versions: 0.43.0 0.44.1
#
# Result (OUTDIR must be new or empty):
#   OUTDIR/dists/stable/{Release,InRelease,Release.gpg}
#   OUTDIR/dists/stable/main/binary-amd64/{Packages,Packages.gz,Release}
#   OUTDIR/pool/main/...                             the .deb files
#   OUTDIR/falcosecurity-packages.asc                ASCII-armored public key (the "key URL")
#   OUTDIR/repo-key.fingerprint                      its fingerprint, 40 hex digits, one line
#
# Use it exactly like the real repository, with URL = where OUTDIR is served:
#   deb [signed-by=/usr/share/keyrings/falco-archive-keyring.gpg] URL stable main
# e.g. URL=file:///srv/falco-repo when OUTDIR is bind-mounted read-only at /srv/falco-repo,
# or http://10.213.0.1:PORT with serve-http.sh.
#
# A fresh signing key is generated on every build in a temporary GNUPGHOME (no passphrase).
# Dependencies (python3-yaml, libyaml-0-2) come from `apt-get download` on this Debian
# controller, cached in ${FALCO_DEPLOY_CACHE:-/var/tmp/falco-deploy}/apt-repo-debs.
# Needs: gnupg, apt-utils (apt-ftparchive), dpkg-dev is not needed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: build-repo.sh OUTDIR [FALCO_VERSION...]}
shift
CACHE=${FALCO_DEPLOY_CACHE:-/var/tmp/falco-deploy}/apt-repo-debs
DEPENDENCIES=(python3-yaml libyaml-0-2)
KEY_UID="falco-deploy test repository (stand-in for falcosecurity-packages) <falco-deploy@example.invalid>"

for tool in gpg apt-ftparchive dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "build-repo.sh: '$tool' is missing (apt-get install gnupg apt-utils dpkg)" >&2; exit 2; }
done
mkdir -p "$OUT"
if [ -n "$(ls -A "$OUT")" ]; then
  echo "build-repo.sh: $OUT is not empty; give a new directory" >&2
  exit 2
fi
OUT=$(cd "$OUT" && pwd)

# 1. Packages: the stand-in, then the dependencies test hosts do not have.
mkdir -p "$OUT/pool/main/f/falco" "$OUT/pool/main/deps"
"$HERE/../falco-standin/build.sh" "$OUT/pool/main/f/falco" "$@" >/dev/null
mkdir -p "$CACHE"
(
  exec 9>"$CACHE/.lock"
  flock 9
  for pkg in "${DEPENDENCIES[@]}"; do
    if ! compgen -G "$CACHE/${pkg}_*.deb" >/dev/null; then
      (cd "$CACHE" && apt-get download "$pkg" >/dev/null 2>"$CACHE/.download.err") || {
        cat "$CACHE/.download.err" >&2
        echo "build-repo.sh: could not download $pkg from the Debian mirror (try apt-get update)" >&2
        exit 1
      }
    fi
  done
)
for pkg in "${DEPENDENCIES[@]}"; do
  cp "$(ls "$CACHE/${pkg}"_*.deb | sort -V | tail -n1)" "$OUT/pool/main/deps/"
done

# 2. Indexes, relative to OUTDIR like a real archive.
BIN=$OUT/dists/stable/main/binary-amd64
mkdir -p "$BIN"
(cd "$OUT" && apt-ftparchive packages pool >"$BIN/Packages")
gzip -9n <"$BIN/Packages" >"$BIN/Packages.gz"
printf 'Archive: stable\nComponent: main\nOrigin: falco-deploy\nLabel: falco-deploy stand-in\nArchitecture: amd64\n' >"$BIN/Release"
(cd "$OUT/dists/stable" && apt-ftparchive \
  -o APT::FTPArchive::Release::Origin=falco-deploy \
  -o APT::FTPArchive::Release::Label="falco-deploy stand-in" \
  -o APT::FTPArchive::Release::Suite=stable \
  -o APT::FTPArchive::Release::Codename=stable \
  -o APT::FTPArchive::Release::Architectures=amd64 \
  -o APT::FTPArchive::Release::Components=main \
  -o APT::FTPArchive::Release::Description="Stand-in for download.falco.org/packages/deb (tests only)" \
  release . >"$OUT/dists/stable/Release.tmp")
mv "$OUT/dists/stable/Release.tmp" "$OUT/dists/stable/Release"

# 3. A throwaway signing key; sign Release the way apt expects (InRelease + Release.gpg).
GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
gpg --batch --quiet --passphrase '' --quick-gen-key "$KEY_UID" ed25519 sign never 2>/dev/null
FPR=$(gpg --batch --quiet --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
gpg --batch --quiet --yes --local-user "$FPR" --digest-algo SHA512 --clearsign \
  -o "$OUT/dists/stable/InRelease" "$OUT/dists/stable/Release"
gpg --batch --quiet --yes --local-user "$FPR" --digest-algo SHA512 --armor --detach-sign \
  -o "$OUT/dists/stable/Release.gpg" "$OUT/dists/stable/Release"
gpg --batch --armor --export "$FPR" >"$OUT/falcosecurity-packages.asc"
echo "$FPR" >"$OUT/repo-key.fingerprint"

# apt reads file: repositories as the unprivileged _apt user.
chmod -R a+rX "$OUT"
echo "repository: $OUT"
echo "key:        $OUT/falcosecurity-packages.asc"
echo "fingerprint: $FPR"
