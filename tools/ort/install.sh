#!/usr/bin/env bash
# Installs the reference runtime for formcheck's pose benchmarks: ONNX
# Runtime, the native library inside the npm package onnxruntime-node, at the
# version pinned in package-lock.json, into tools/ort/node_modules (ignored by
# git). --ignore-scripts: the package's install script downloads GPU
# libraries that the CPU benchmark does not need. Does nothing when the
# pinned version is already there.
set -euo pipefail
cd "$(dirname "$0")"
want=$(node -p 'require("./package-lock.json").packages["node_modules/onnxruntime-node"].version' 2>/dev/null) || {
    echo "ort: node not found or package-lock.json unreadable; the benchmarks run without the reference" >&2
    exit 1
}
have=$(node -p 'require("./node_modules/onnxruntime-node/package.json").version' 2>/dev/null || true)
if [ "$have" = "$want" ]; then
    echo "ort: onnxruntime-node $want present"
    exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "ort: npm not found" >&2; exit 1; }
echo "ort: installing onnxruntime-node $want (npm ci --ignore-scripts)"
npm ci --ignore-scripts --no-audit --no-fund --silent
