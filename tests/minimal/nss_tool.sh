#!/usr/bin/env bash
# nss_tool.sh: NSS's own test peers, selfserv and tstclnt (Debian: libnss3-tools), with their
# defaults, on a throwaway certificate database made here and removed at exit. For showing a
# baselined deviation without tg-peer-nss (the replay: commands of vectors/baselines/nss/).
#
#   nss_tool.sh server PORT CERT KEY [--tls12|--tls13|--alpn]
#       selfserv on PORT with CERT (chain) and KEY (--alpn: -Q, ALPN http/1.1)
#   nss_tool.sh echo PORT CERT KEY [--tls12|--tls13]
#       nss_minimal (beside this script) on the same database: NSS's defaults, an echo
#   nss_tool.sh server-auth PORT CERT KEY CA
#       the same, requiring a client certificate (-r -r) that chains to CA
#   nss_tool.sh client PORT CA NAME [--tls12|--tls13]
#       tstclnt to 127.0.0.1:PORT, trusting CA, sending NAME as SNI (and checking it)
# The database: certutil -N (no password); a server's certificate and key through a PKCS #12 file
# (openssl pkcs12, pk12util); a CA with trust "CT,C,C". Exit status: the tool's own; 2 on bad
# usage or a database that cannot be made.
set -u
usage() {
  echo "usage: nss_tool.sh server PORT CERT KEY [--tls12|--tls13|--alpn]" >&2
  echo "       nss_tool.sh echo PORT CERT KEY [--tls12|--tls13]" >&2
  echo "       nss_tool.sh server-auth PORT CERT KEY CA" >&2
  echo "       nss_tool.sh client PORT CA NAME [--tls12|--tls13]" >&2
  exit 2
}
[ $# -ge 4 ] && [ $# -le 5 ] || usage
role=$1 port=$2 a=$3 b=$4
opts=()
case $1:${5:-} in
*:) ;;
server:--alpn) opts=(-Q) ;;
server-auth:*) opts=(-r -r) ;;
*:--tls12) opts=(-V tls1.2:tls1.2) ;;
*:--tls13) opts=(-V tls1.3:tls1.3) ;;
*) usage ;;
esac
db=$(mktemp -d) || exit 2
child=
trap '[ -n "$child" ] && kill "$child" 2>/dev/null; rm -rf "$db"' EXIT
trap 'exit 1' INT TERM HUP
certutil -N -d "sql:$db" --empty-password >/dev/null || exit 2
# Every CERTIFICATE block of FILE as DIR/cert-N.pem.
split_pem() {
  awk -v dir="$2" '/-----BEGIN CERTIFICATE-----/ { n++; f = dir "/cert-" n ".pem" }
                   f { print > f } /-----END CERTIFICATE-----/ { close(f); f = "" }' "$1"
}
# trust_ca FILE: every CERTIFICATE block of FILE as a trusted CA.
trust_ca() {
  mkdir "$db/ca" && split_pem "$1" "$db/ca"
  for f in "$db"/ca/cert-*.pem; do
    certutil -A -d "sql:$db" -n "ca-$(basename "$f" .pem)" -t CT,C,C -a -i "$f" || exit 2
  done
}
case $role in
server | server-auth | echo)
  openssl pkcs12 -export -in "$a" -inkey "$b" -name server -passout pass:nss \
    -out "$db/server.p12" 2>/dev/null || exit 2
  pk12util -i "$db/server.p12" -d "sql:$db" -W nss >/dev/null || exit 2
  if [ "$role" = echo ]; then
    "$(dirname "$0")/nss_minimal" "sql:$db" "$port" ${5:+"$5"} &
  else
    [ "$role" = server ] || trust_ca "$5"
    selfserv -d "sql:$db" -n server -p "$port" "${opts[@]}" &
  fi
  ;;
client)
  trust_ca "$a"
  tstclnt -d "sql:$db" -h 127.0.0.1 -4 -p "$port" -a "$b" "${opts[@]}" &
  ;;
*) usage ;;
esac
child=$!
wait "$child"
rc=$?
child=
exit $rc
