#!/usr/bin/env bash
# The man pages (docs/man/): tlsgauntlet.1 and one tlsgauntlet-COMMAND.1 per command that
# `tlsgauntlet --help` lists, and no other; each renders with groff's man macros without a
# warning, names its command, and mentions every option that the command's --help prints, so a
# page that falls behind its command fails here.
#   man.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
. "$(dirname "$0")/lib.sh"
man_dir=$src/docs/man

if ! command -v groff >/dev/null 2>&1; then
  echo "man.sh: groff is missing (scripts/setup installs groff-base)" >&2
  exit 1
fi

# Warnings of every kind (-ww) on stderr; -z: no output, only the checks.
renders_clean() { # PAGE
  local warnings
  warnings=$(groff -man -Tutf8 -ww -z "$1" 2>&1 >/dev/null)
  [ -z "$warnings" ] || { echo "$warnings" | head -5; return 1; }
}
# The page's roff source as plain text: \- as -, font escapes dropped.
page_text() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' "$1"; }
mentions_all() { # PAGE TEXT-WITH-OPTIONS
  local text missing=() opt
  text=$(page_text "$1")
  for opt in $(grep -oE -- '(^|[^a-zA-Z0-9-])--?[a-z][a-z0-9-]*' <<<"$2" | grep -oE -- '--?[a-z][a-z0-9-]*' |
    sort -u); do
    # One-dash words of prose ("1-based", "a-z") are not options; -o and -h are.
    [[ $opt == --* || $opt =~ ^-[a-z]$ ]] || continue
    grep -qF -- "$opt" <<<"$text" || missing+=("$opt")
  done
  [ ${#missing[@]} -eq 0 ] || { echo "  not in $(basename "$1"): ${missing[*]}"; return 1; }
}

commands=$("$tg" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && $1 != "" { print $1 }' |
  grep -vx help)
check "tlsgauntlet --help lists commands" test -n "$commands"
check "tlsgauntlet.1 renders without warnings" renders_clean "$man_dir/tlsgauntlet.1"
check "tlsgauntlet.1 mentions --help and --version" mentions_all "$man_dir/tlsgauntlet.1" \
  "--help --version"
for cmd in $commands; do
  page=$man_dir/tlsgauntlet-$cmd.1
  check "$cmd: has a man page (docs/man/tlsgauntlet-$cmd.1)" test -f "$page"
  [ -f "$page" ] || continue
  check "$cmd: the page renders without warnings" renders_clean "$page"
  check "$cmd: the page is named tlsgauntlet-$cmd" grep -q "^tlsgauntlet\\\\-$cmd \\\\- " "$page"
  check "$cmd: tlsgauntlet.1 lists it" grep -qx "\\.B $cmd" "$man_dir/tlsgauntlet.1"
  check "$cmd: the page mentions every option of its --help" mentions_all "$page" \
    "$("$tg" "$cmd" --help 2>&1)"
done
# And no page for a command that is not there (any more).
for page in "$man_dir"/tlsgauntlet-*.1; do
  cmd=$(basename "$page" .1)
  cmd=${cmd#tlsgauntlet-}
  check "docs/man/tlsgauntlet-$cmd.1 is for a command of --help" grep -qx "$cmd" <<<"$commands"
done
# The checks themselves notice a page that falls behind (an option it lacks) and a warning.
fails_quietly() { ! "$@" >/dev/null; }
check "a missing option is noticed" fails_quietly mentions_all "$man_dir/tlsgauntlet-list.1" \
  "--filter --no-such-option"
printf '.TH X 1\n.SH NAME\nx \\- y\n.XQ\n' >"$tmp/bad.1"
check "a warning is noticed" fails_quietly renders_clean "$tmp/bad.1"
finish man
