#!/usr/bin/env bash
# valgrind (callgrind) for the host IPC cost measurement of make bench;
# installed from Debian's archive like everything in scripts/deps.sh.
set -euo pipefail
command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null && exit 0
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
echo "  DEPS    valgrind (for the IPC cost measurement)"
$SUDO apt-get install -y -qq --no-install-recommends valgrind >/dev/null 2>&1 || {
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends valgrind >/dev/null
}
