#!/usr/bin/env bash
# tg-peer-boringssl: the same tests as tg-peer-openssl (peer_openssl.sh), one adapter source.
#   peer_boringssl.sh TLSGAUNTLET SOURCE_DIR
TG_SSLAPI_IMPL=boringssl exec bash "$(dirname "${BASH_SOURCE[0]}")/peer_openssl.sh" "$@"
