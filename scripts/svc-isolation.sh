#!/usr/bin/env bash
# Isolation check for one partially linked service object: every undefined
# symbol must be part of the allowed interface (ipc_call, kapi_*, a few libc
# string functions). Usage: svc-isolation.sh <name> <object> <nm> <allowed...>
set -u
name=$1 obj=$2 nm=$3
shift 3
allowed=" $* "
bad=0
for sym in $("$nm" -u "$obj" | awk '{print $2}'); do
    case "$allowed" in
        *" $sym "*) ;;
        *) echo "  ISOLATION: service '$name' references '$sym', which is outside ipc/ and kernel/svc_api.h" >&2; bad=1 ;;
    esac
done
exit $bad
