#!/bin/sh
# Records what ansible-playbook (ansible-core 2.14) prints for each case of test/cases/output/plain:
# the default callback, no colour, not a TTY, on localhost (or the case's inventory.ini) over the
# local connection.
# Usage: test/output/record-ansible-output.sh [case-name...]
set -eu
cases_dir="$(cd "$(dirname "$0")/../cases/output/plain" && pwd)"
[ $# -gt 0 ] || set -- $(ls "$cases_dir")
for name in "$@"; do
  dir="$cases_dir/$name"
  args=""
  [ -f "$dir/args" ] && args="$(cat "$dir/args")"
  inventory=localhost,
  [ -f "$dir/inventory.ini" ] && inventory=inventory.ini
  # shellcheck disable=SC2086 # args holds words on purpose
  (cd "$dir" && ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ansible-playbook $args -i $inventory -c local playbook.yml > ansible.txt 2>&1) || true
  # the case's own path differs from checkout to checkout
  sed -i "s|$dir|<case-dir>|g" "$dir/ansible.txt"
  echo "recorded $name"
done
