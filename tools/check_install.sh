#!/usr/bin/env bash
# check_install.sh BUILD_DIR [VIDEO]: installs the built program into a
# temporary prefix with `cmake --install`, then runs the installed copy from
# another folder: synth a session, analyze it, and analyze VIDEO when given
# (that needs the MoveNet models). Fails when the installed program cannot
# run without the source or build tree.
set -euo pipefail
build=$(cd "$1" && pwd)
video=${2:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fc-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
fc=$tmp/prefix/bin/formcheck
[ -x "$fc" ] || { echo "check_install: no bin/formcheck under the prefix" >&2; exit 1; }
[ -x "$tmp/prefix/share/formcheck/tools/fetch_models.sh" ] ||
    { echo "check_install: no share/formcheck/tools/fetch_models.sh" >&2; exit 1; }

mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
"$fc" synth --exercise squat --view front --out session.csv
"$fc" analyze -q --out out session.csv >analyze.txt
for f in out/session.json out/session.csv out/session.html; do
    [ -s "$f" ] || { echo "check_install: analyze wrote no $f" >&2; exit 1; }
done
if [ -n "$video" ]; then
    name=$(basename "$video")
    "$fc" analyze -q --out video-out "$video" >video.txt
    [ -s "video-out/${name%.*}.json" ] || { echo "check_install: no report for $video" >&2; exit 1; }
fi
echo "check_install: the installed program ran from $tmp/elsewhere"
