#!/bin/sh
# Records ansible-playbook (core 2.14) --list-tasks / --list-tags output for a playbook case, for
# the runner to compare listTasks()/listTags() against:
#   test/playbook/record-ansible-lists.sh test/cases/playbook/<case> [playbook.yml]
set -eu
cd "$1"
pb="${2:-playbook.yml}"
ansible-playbook -i localhost, "$pb" --list-tasks > ansible-list-tasks.txt 2>/dev/null
ansible-playbook -i localhost, "$pb" --list-tags > ansible-list-tags.txt 2>/dev/null
ansible-playbook -i localhost, "$pb" --list-hosts > ansible-list-hosts.txt 2>/dev/null
