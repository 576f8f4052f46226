#!/usr/bin/env bash
# Checks .ci/check-commit-messages (what CI runs on the history and the commit-msg hook runs on
# each new message) on a scratch repository: short subjects pass, a 73-character subject or a
# body without the blank line fails and is named, commits before the base are not checked.
set -euo pipefail
checker=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cd "$tmp"
git init -q .
git config user.email t@example.invalid
git config user.name test
commit() { git commit -q --allow-empty -F - ; }
printf '%s\n' "$(printf 'x%.0s' $(seq 90))" | commit  # before the base: not checked
base=$(git rev-parse HEAD)
printf 'Short subject\n\nA body after a blank line.\n' | commit
printf '%s\n' "$(printf 'y%.0s' $(seq 72))" | commit  # exactly 72: allowed
HUBCAP_COMMITS_SINCE=$base "$checker" || fail "valid history was refused"

printf '%s\n' "$(printf 'z%.0s' $(seq 73))" | commit
if HUBCAP_COMMITS_SINCE=$base "$checker" 2>err.txt; then fail "73-character subject accepted"; fi
grep -q "subject is 73 characters" err.txt || fail "message does not name the problem: $(cat err.txt)"
grep -q "$(git rev-parse --short HEAD)" err.txt || fail "message does not name the commit"

# The commit-msg hook form: one message file.
printf 'Subject\nno blank line\n' > msg
if "$checker" msg 2>err.txt; then fail "body without blank line accepted"; fi
grep -q "blank line" err.txt || fail "unclear message: $(cat err.txt)"
printf 'Subject\n\nbody\n# a git comment line longer than seventy-two characters, stripped by git anyway\n' > msg
"$checker" msg || fail "comment lines were counted"
printf '\n\nbody\n' > msg
if "$checker" msg 2>/dev/null; then fail "empty subject accepted"; fi

# A base missing from the clone (shallow) skips with a note instead of failing CI.
HUBCAP_COMMITS_SINCE=0123456789abcdef0123456789abcdef01234567 "$checker" 2>err.txt \
    || fail "missing base should not fail"
grep -q "nothing checked" err.txt || fail "missing base not reported"
echo "commit message checks behave"
