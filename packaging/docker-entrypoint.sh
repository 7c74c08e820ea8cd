#!/bin/sh
# The image's entrypoint: on the first `start` in an empty node directory, makes the node (`porchlight init`)
# from the environment, then runs porchlight in place of this shell (exec), so the SIGTERM of `docker stop`
# reaches the node and it stops cleanly.
#   PORCHLIGHT_ROLE       resident, agency, auditor, witness or relay (read at the first start only)
#   PORCHLIGHT_INIT       more `porchlight init` flags, e.g. "--chain /chain/chain.json --bootstrap /dns4/relay/tcp/4001/p2p/…"
#   PORCHLIGHT_LISTEN     libp2p listen addresses, space-separated (default: TCP 4001 on every interface)
#   PORCHLIGHT_API_HOST   where the HTTP API listens (default 0.0.0.0, which a published port needs: publish it
#                         on the host's 127.0.0.1, or put it behind a reverse proxy and list its name in api.allowedHosts)
#   PORCHLIGHT_API_PORT   (default 8080)
set -eu
dir="${PORCHLIGHT_DIR:-/var/lib/porchlight}"
if [ "${1:-}" = start ] && [ ! -e "$dir/config.json" ]; then
  if [ -z "${PORCHLIGHT_ROLE:-}" ]; then
    echo "porchlight-entrypoint: $dir holds no node: set PORCHLIGHT_ROLE for its first start, or run porchlight init" >&2
    exit 2
  fi
  listen=""
  for addr in ${PORCHLIGHT_LISTEN:-/ip4/0.0.0.0/tcp/4001}; do listen="$listen --listen $addr"; done
  # $listen and PORCHLIGHT_INIT are lists of flags: split on spaces on purpose.
  # shellcheck disable=SC2086
  porchlight init --role "$PORCHLIGHT_ROLE" --dir "$dir" --api-host "${PORCHLIGHT_API_HOST:-0.0.0.0}" \
    --api-port "${PORCHLIGHT_API_PORT:-8080}" $listen ${PORCHLIGHT_INIT:-}
fi
exec porchlight "$@"
