#!/bin/bash
# Serves a repository built by build-repo.sh over plain HTTP (optional; file:// works too).
#
#   serve-http.sh REPO_DIR ADDRESS PORT
#
# ADDRESS must be loopback (127.0.0.1) or the sandbox bridge address (e.g. 10.213.0.1) so
# only this machine and its own test hosts can reach it. Runs in the foreground; stop it
# by killing this process's PID.
set -euo pipefail
REPO=${1:?usage: serve-http.sh REPO_DIR ADDRESS PORT}
ADDRESS=${2:?usage: serve-http.sh REPO_DIR ADDRESS PORT}
PORT=${3:?usage: serve-http.sh REPO_DIR ADDRESS PORT}
case $ADDRESS in
  127.*|10.213.*) ;;
  *) echo "serve-http.sh: refusing to bind $ADDRESS (loopback or the sandbox bridge only)" >&2; exit 2 ;;
esac
exec /usr/bin/python3 -m http.server --bind "$ADDRESS" --directory "$REPO" "$PORT"
