#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The man pages and the bash completion against the tool:
# - every page built from docs/man/*.scd renders with groff without a warning (and man -l
#   shows tern.1 without one, when man is installed);
# - the long options each `tern ... --help` lists are exactly the ones its page defines
#   (an option entry: a line starting with *-, then an indented description) and exactly
#   the ones the completion offers after "--". The options of `tern ca CMD` are the page's
#   OPTIONS section (common to every ca command) and its "## tern ca CMD" section; the same
#   for `tern ech CMD` and tern-ech(1).
# `tern bench` runs the separate program tern-bench; when it is not built, its options are
# read from its help text in bench/tern_bench/main.cpp.
# Usage: man_pages.sh TERN MAN_DIR SOURCE_DIR
set -uo pipefail

tern=$1 man_dir=$2 source=$3
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

if ! command -v groff >/dev/null; then
  echo "SKIP: groff is not installed (apt install groff-base)"
  exit 77
fi

sections=(get connect trace serve verify ca ech bench)
pages=(tern "${sections[@]/#/tern-}")

# 1. Every page is there and renders without warnings.
for page in "${pages[@]}"; do
  file=$man_dir/$page.1
  [[ -f $file ]] || { fail "$file was not built"; continue; }
  [[ -f $source/docs/man/$page.1.scd ]] || fail "no source docs/man/$page.1.scd"
  warnings=$(groff -t -man -Tutf8 -ww -z "$file" 2>&1)
  [[ -z $warnings ]] || fail "groff warns about $page.1: $warnings"
done
# And as man shows one (the same groff underneath, so one page is enough: man is slow).
if command -v man >/dev/null && [[ -f $man_dir/tern.1 ]]; then
  warnings=$(MANWIDTH=80 man --warnings -l "$man_dir/tern.1" 2>&1 >/dev/null)
  [[ -z $warnings ]] || fail "man -l warns about tern.1: $warnings"
fi
extra=$(cd "$source/docs/man" && ls *.scd | grep -vxF -f <(printf '%s.1.scd\n' "${pages[@]}"))
[[ -z $extra ]] || fail "pages with no subcommand to check them against: $extra"

# The long options in the option column (before the description) of the "Options:"
# section of a help text; the section ends at an empty line.
# (An option name may hold a dot before a digit: curl's --http1.1.)
help_options() {
  awk '
    /^Options:/ { on = 1; next }
    on && /^$/ { on = 0 }
    on && /^ +-/ {
      column = $0
      sub(/^ +/, "", column)
      sub(/  .*/, "", column)
      while (match(column, /--[A-Za-z0-9]([A-Za-z0-9-]|\.[0-9])*/)) {
        print substr(column, RSTART, RLENGTH)
        column = substr(column, RSTART + RLENGTH)
      }
    }
  ' | sort -u
}

# The long options the help of `tern ARGS...` lists.
tern_help() {
  local out
  out=$("$tern" "$@" --help 2>&1) || { echo "cannot run: tern $* --help" >&2; return 1; }
  help_options <<<"$out"
}

bench_help() {
  local out
  if out=$("$tern" bench --help 2>/dev/null) && [[ $out == *Options:* ]]; then
    help_options <<<"$out"
  else
    echo "note: tern-bench is not built; its options are read from its source" >&2
    sed -n '/kHelp = R"(/,/^)";/p' "$source/bench/tern_bench/main.cpp" | help_options
  fi
}

# "KEY --option" for each option entry of a page; KEY is "-" for the OPTIONS section and
# CMD for a "## tern ca CMD[, tern ca CMD2]" (or "## tern ech CMD") section (one line per CMD).
page_options() {
  awk '
    /^# / { key = ($0 == "# OPTIONS") ? "-" : ""; next }
    /^## tern (ca|ech) / { sub(/^## /, ""); gsub(/tern (ca|ech) /, ""); gsub(/,/, ""); key = $0; next }
    entry != "" && /^\t/ && key != "" {
      n = split(key, keys, " ")
      rest = entry
      while (match(rest, /--[A-Za-z0-9]([A-Za-z0-9-]|\.[0-9])*/)) {
        for (i = 1; i <= n; i++) print keys[i], substr(rest, RSTART, RLENGTH)
        rest = substr(rest, RSTART + RLENGTH)
      }
    }
    { entry = /^\*-/ ? $0 : "" }
  ' "$source/docs/man/$1.1.scd" | sort -u
}

# "WORDS --option" for each long option the completion offers after `tern WORDS --`, for
# every command line checked below, from one bash that sources the completion.
all_completions=$(bash -c '
  source "$1"
  for words in "" get connect trace serve verify bench "ca init" "ca issue" "ca revoke" \
      "ca crl" "ca ocsp" "ca list" "ca trust" "ca untrust" "ech keygen" "ech show"; do
    COMP_WORDS=(tern $words --); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    _tern
    for word in "${COMPREPLY[@]}"; do echo "${words// /_}: $word"; done
  done
' - "$source/completions/tern")

# The long options the completion offers for `tern WORDS... --`.
completion_options() {
  local key="$*"
  key=${key// /_}
  awk -v k="$key:" '$1 == k && $2 ~ /^--/ { print $2 }' <<<"$all_completions" | sort -u
}

# compare WHAT EXPECTED ACTUAL: the two lists must hold the same words (pure bash: this
# runs often, and the machine may be busy).
compare() {
  local -A expected=() actual=()
  local word missing="" unknown=""
  for word in $2; do expected[$word]=1; done
  for word in $3; do actual[$word]=1; done
  for word in $2; do [[ -n ${actual[$word]-} ]] || missing+="$word "; done
  for word in $3; do [[ -n ${expected[$word]-} ]] || unknown+="$word "; done
  [[ -z $missing ]] || fail "$1 lacks $missing"
  [[ -z $unknown ]] || fail "$1 has options that --help does not list: $unknown"
}

check() {  # check NAME HELP_OPTIONS PAGE_OPTIONS COMPLETION_OPTIONS
  [[ -n $2 ]] || { fail "no options found in the help of $1"; return; }
  compare "the man page of '$1'" "$2" "$3"
  compare "the completion of '$1'" "$2" "$4"
}

# 2. tern and each subcommand but ca.
check "tern" "$(tern_help)" "$(page_options tern | awk '$1 == "-" { print $2 }')" \
  "$(completion_options)"
for sub in get connect trace serve verify; do
  check "tern $sub" "$(tern_help "$sub")" \
    "$(page_options "tern-$sub" | awk '$1 == "-" { print $2 }')" "$(completion_options "$sub")"
done
check "tern bench" "$(bench_help)" "$(page_options tern-bench | awk '$1 == "-" { print $2 }')" \
  "$(completion_options bench)"

# 3. tern ca and tern ech, and their commands.
for group in ca ech; do
  page=$(page_options "tern-$group")
  common=$(awk '$1 == "-" { print $2 }' <<<"$page")
  compare "the OPTIONS of the man page of 'tern $group'" "$(tern_help "$group")" \
    "$(comm -12 <(echo "$common") <(tern_help "$group"))"
  commands=$("$tern" "$group" --help |
    awk '/^Subcommands:/ { on = 1; next } on && /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }')
  [[ -n $commands ]] || fail "tern $group --help lists no commands"
  for command in $commands; do
    grep -qx "## tern $group $command\(,.*\)\?\|## .*, tern $group $command" \
      "$source/docs/man/tern-$group.1.scd" ||
      fail "tern-$group(1) has no section '## tern $group $command'"
    check "tern $group $command" "$(tern_help "$group" "$command")" \
      "$( (echo "$common"; awk -v c="$command" '$1 == c { print $2 }' <<<"$page") | sort -u)" \
      "$(completion_options "$group" "$command")"
  done
done

if ((failures)); then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "ok: ${#pages[@]} man pages render cleanly and match --help and the completion"
