#!/bin/sh
# Stands in for tcplab-netsetup in GUI tests: records each call in $FAKE_NETSETUP_LOG and answers
# like the helper does (one JSON line). A device named "fail0" is refused.
echo "$*" >> "${FAKE_NETSETUP_LOG:-/dev/null}"
case " $* " in
  *" fail0 "*) echo '{"ok":false,"verb":"'"$1"'","error":"refusing to touch \"fail0\": it was not created by tcplab-netsetup"}'
               echo 'tcplab-netsetup: refusing to touch "fail0"' >&2; exit 1 ;;
esac
if [ "$1" = status ]; then
  echo '{"ok":true,"verb":"status","interfaces":[{"name":"tap7","kind":"tap","up":true,"operstate":"down","mtu":1500,"owner":1000,"addresses":[],"routes":[]}]}'
else
  echo '{"ok":true,"verb":"'"$1"'"}'
fi
