#!/bin/bash
# Builds the Debian package, unpacks it into a temporary root with dpkg-deb -x and runs the
# unpacked programs from there (a relocated tree: nothing may come from the build tree), then
# runs lintian on it: errors fail, warnings are printed.
#
# usage: test_package.sh BUILD_DIR "EXPECTED_BIN..." "EXPECTED_PRIVATE..."
# Exit 77 (CTest SKIP_RETURN_CODE) when dpkg-deb or cpack is missing.
set -u -o pipefail

build=$1
expect_bin=$2
expect_private=$3

skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAILED: $*"; exit 1; }
step() { echo; echo "== $*"; }

command -v dpkg-deb >/dev/null || skip "dpkg-deb not found (Debian package dpkg); cannot unpack a .deb here"
cpack=$(dirname "$(command -v cmake)")/cpack
[ -x "$cpack" ] || skip "cpack not found next to cmake"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hubcap-package-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

step "Building the package (cpack -G DEB, into $tmp/pkg)"
# Its own package directory, so `make package` in the same build dir does not collide.
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log"; fail "cpack could not build the package"; }
deb=$(ls "$tmp"/pkg/hubcap_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || { cat "$tmp/cpack.log"; fail "no hubcap_*.deb produced"; }
echo "$deb"
dpkg-deb --field "$deb"

step "Control fields"
control=$(dpkg-deb --field "$deb")
for field in "Package: hubcap" "Section: science" "Maintainer: " "Description: "; do
    grep -q "^$field" <<<"$control" || fail "control field '$field' missing"
done
depends=$(dpkg-deb --field "$deb" Depends)
for dep in python3 python3-torch libqt6core6 libc6; do
    grep -Eq "(^|, )$dep( |,|$)" <<<"$depends" || fail "Depends lacks $dep: $depends"
done

step "Unpacking into a temporary root"
root=$tmp/root
dpkg-deb -x "$deb" "$root" || fail "dpkg-deb -x failed"
usr=$root/usr
for exe in $expect_bin; do
    [ -x "$usr/bin/$exe" ] || fail "usr/bin/$exe missing"
done
for f in $expect_private; do
    [ -e "$usr/lib/hubcap/$f" ] || fail "usr/lib/hubcap/$f missing"
done
for f in share/applications/io.github.hubcap.Hubcap.desktop \
         share/metainfo/io.github.hubcap.Hubcap.metainfo.xml \
         share/icons/hicolor/scalable/apps/io.github.hubcap.Hubcap.svg \
         share/icons/hicolor/48x48/apps/io.github.hubcap.Hubcap.png \
         share/man/man1/hubcap-cli.1.gz \
         share/bash-completion/completions/hubcap-cli \
         share/doc/hubcap/copyright; do
    [ -s "$usr/$f" ] || fail "usr/$f missing"
done
if [ -d "$(dirname "$0")/../../resources/demo-hub" ]; then
    [ -f "$usr/share/hubcap/demo-hub/hubconf.py" ] || fail "usr/share/hubcap/demo-hub/hubconf.py missing"
fi

# The unpacked programs run with a clean environment and a temporary home.
home=$tmp/home
mkdir -p "$home"
run() { env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"; }
cli=$usr/bin/hubcap-cli

step "Shared libraries resolve inside the unpacked root"
lib=$(run ldd "$cli" | grep libhubcap-archive) || fail "ldd: libhubcap-archive.so not needed?"
echo "$lib"
grep -q "=> $usr/bin/../lib/hubcap/libhubcap-archive.so\|=> $usr/lib/hubcap/libhubcap-archive.so" <<<"$lib" ||
    fail "libhubcap-archive.so does not come from the unpacked root: $lib"

for exe in "$usr"/bin/* "$usr"/lib/hubcap/*; do
    missing=$(run ldd "$exe" | grep "not found")
    [ -z "$missing" ] || fail "$exe: unresolved libraries: $missing"
done

if [ -x "$usr/bin/hubcap" ]; then
    step "hubcap --version (the GUI, offscreen)"
    run timeout 60 "$usr/bin/hubcap" --version || fail "hubcap --version failed"
fi

step "hubcap-cli --version"
version=$(run "$cli" --version) || fail "hubcap-cli --version failed"
echo "$version"
for word in "hubcap-cli " "git " "Qt " "KArchive " "libtorch " "Python " "torch "; do
    grep -q "$word" <<<"$version" || fail "--version does not mention '$word'"
done

help=$(run "$cli" --help) || fail "hubcap-cli --help failed"
has_command() { sed -n '/^Commands:/,/^$/p' <<<"$help" | grep -q "^  $1 "; }

step "hubcap-cli --hub-dir <tmp> cache ls"
if has_command cache; then
    mkdir -p "$tmp/hub"
    run "$cli" --hub-dir "$tmp/hub" cache ls || fail "cache ls failed"
    run "$cli" --json --hub-dir "$tmp/hub" cache ls >"$tmp/cache.json" || fail "cache ls --json failed"
    grep -q '"hub_dir"' "$tmp/cache.json" || fail "cache ls --json lacks hub_dir: $(cat "$tmp/cache.json")"
else
    echo "not checked: this hubcap-cli has no 'cache' command yet"
fi

step "static list of the installed demo repository"
if has_command list && [ -d "$usr/share/hubcap/demo-hub" ]; then
    run "$cli" --json --hub-dir "$tmp/hub" list "$usr/share/hubcap/demo-hub" --source local \
        >"$tmp/list.json" 2>"$tmp/list.err" || { cat "$tmp/list.json" "$tmp/list.err"; fail "static list failed"; }
    head -c 600 "$tmp/list.json"; echo
    grep -q '"entrypoints"' "$tmp/list.json" || fail "list --json has no entrypoints"
    grep -q '"name"' "$tmp/list.json" || fail "list --json lists no entrypoint of the demo repository"
else
    echo "not checked: no 'list' command or no installed demo repository yet"
fi

step "bash completion lists the CLI's commands"
complete_words() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _hubcap_cli;
        printf "%s\n" "${COMPREPLY[@]}"' _ "$usr/share/bash-completion/completions/hubcap-cli" "$@" |
        sort -u | tr '\n' ' '
}
commands=$(sed -n '/^Commands:/,/^$/p' <<<"$help" | awk 'NR>1 && NF {print $1}' | sort -u | tr '\n' ' ')
completed=$(complete_words hubcap-cli "" | tr ' ' '\n' | grep -v '^-' | grep . | sort -u | tr '\n' ' ')
echo "commands:  $commands"
echo "completed: $completed"
[ "$commands" = "$completed" ] || fail "completion does not offer exactly the CLI's commands"
if has_command cache; then
    subs=$(complete_words hubcap-cli --hub-dir /tmp cache "")
    echo "hubcap-cli --hub-dir /tmp cache <TAB>: $subs"
    grep -qw ls <<<"$subs" || fail "completion does not offer 'cache ls'"
fi
if has_command list && grep -q "list .*--source github|local" <<<"$help"; then
    values=$(complete_words hubcap-cli list x --source "")
    echo "hubcap-cli list x --source <TAB>: $values"
    [ "$values" = "github local " ] || fail "completion of --source values: '$values'"
fi

step "man page"
zcat "$usr/share/man/man1/hubcap-cli.1.gz" | grep -q -- "--hub-dir" || fail "man page lacks --hub-dir"

step "desktop file and AppStream metainfo"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$usr/share/applications/io.github.hubcap.Hubcap.desktop" || fail "desktop-file-validate"
else
    echo "not checked: desktop-file-validate missing (Debian package desktop-file-utils)"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$usr/share/metainfo/io.github.hubcap.Hubcap.metainfo.xml" || fail "appstreamcli validate"
else
    echo "not checked: appstreamcli missing (Debian package appstream)"
fi

step "lintian"
if command -v lintian >/dev/null; then
    lintian --tag-display-limit 0 "$deb" >"$tmp/lintian.log" 2>&1
    grep -v "running with root privileges" "$tmp/lintian.log"
    if grep -q "^E:" "$tmp/lintian.log"; then
        fail "lintian reports errors"
    fi
    echo "lintian: no errors ($(grep -c '^W:' "$tmp/lintian.log") warnings)"
else
    echo "not checked: lintian missing (Debian package lintian)"
fi

echo
echo "PASSED"
