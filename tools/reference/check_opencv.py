#!/usr/bin/python3
"""Developer check, not part of the build: runs the converted ONNX files in
OpenCV's DNN module (Python bindings: `apt-get install python3-opencv`, which
formcheck itself does not need) on the exact input tensor that the TF.js
reference used, compares the four heads with the TF.js heads, decodes the
keypoints from the heads with the algorithm documented in docs/models.md and
compares them with the full TF.js graph's keypoints, and times inference.

    node tools/reference/movenet_ref.mjs --model lightning --image IMG \
         --out /tmp/ref/lightning.json --input-out /tmp/ref/lightning.u8 \
         --heads-out /tmp/ref/lightning-heads
    /usr/bin/python3 tools/reference/check_opencv.py --model lightning --ref /tmp/ref
"""

import argparse
import json
import os
import sys
import time

import numpy as np

HEADS = ("heatmap", "center", "regression", "offset")


def models_dir(arg):
    if arg:
        return arg
    if os.environ.get("FORMCHECK_MODELS"):
        return os.environ["FORMCHECK_MODELS"]
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "formcheck", "models")


def decode(heatmap, center, regression, offset):
    """MoveNet SinglePose decoding, as the TF.js graph does it after the heads
    (NCHW numpy arrays, batch 1). Returns [17, 3]: y, x normalised, score."""
    k, g = heatmap.shape[1], heatmap.shape[2]
    f16 = lambda v: np.float32(np.float16(v))
    yy, xx = np.mgrid[0:g, 0:g].astype(np.float32)
    # centre prior: 1/(distance in cells to cell (g/2, g/2) + 1.8), stored as float16 in the graph
    d = np.sqrt((yy - g / 2) ** 2 + (xx - g / 2) ** 2)
    prior = (1.0 / (d + np.float32(1.8))).astype(np.float16).astype(np.float32)
    ci = int(np.argmax(center[0, 0] * prior))  # first maximum, row-major
    cy, cx = divmod(ci, g)
    out = np.zeros((k, 3), np.float32)
    for j in range(k):
        ry = cy + regression[0, 2 * j, cy, cx]
        rx = cx + regression[0, 2 * j + 1, cy, cx]
        dist = np.sqrt((yy - ry) ** 2 + (xx - rx) ** 2)
        hi = int(np.argmax(heatmap[0, j] / (dist + f16(1.8))))
        hy, hx = divmod(hi, g)
        out[j, 0] = (hy + offset[0, 2 * j, hy, hx]) * f16(1.0 / g)
        out[j, 1] = (hx + offset[0, 2 * j + 1, hy, hx]) * f16(1.0 / g)
        out[j, 2] = heatmap[0, j, hy, hx]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", choices=["lightning", "thunder"], required=True)
    ap.add_argument("--ref", required=True, help="folder with MODEL.json, MODEL.u8, MODEL-heads/")
    ap.add_argument("--models", help="folder with the ONNX files (default: the fetch cache)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=50)
    a = ap.parse_args()
    import cv2

    ref = json.load(open(os.path.join(a.ref, f"{a.model}.json")))
    n = ref["input_size"]
    x = np.fromfile(os.path.join(a.ref, f"{a.model}.u8"), np.uint8).reshape(1, n, n, 3)
    blob = np.ascontiguousarray(x.transpose(0, 3, 1, 2).astype(np.float32))
    tf_heads = {}
    for h in HEADS:
        shape = ref["heads"][h]["shape_nchw"]
        tf_heads[h] = np.fromfile(os.path.join(a.ref, f"{a.model}-heads", f"{h}.f32"), "<f4").reshape(shape)
    kp_ref = np.array(ref["keypoints_model_output"], np.float32)
    kp_tf = decode(*(tf_heads[h] for h in HEADS))
    print(f"{a.model}: decode(TF.js heads) vs TF.js keypoints: max |diff| "
          f"{np.abs(kp_tf - kp_ref).max():.2e}")

    cv2.setNumThreads(a.threads)
    print(f"OpenCV {cv2.__version__}, {cv2.getNumThreads()} threads, median of {a.runs} runs")
    ok = True
    for enc in ("opencv", "std"):
        path = os.path.join(models_dir(a.models), f"movenet-{a.model}-{enc}.onnx")
        net = cv2.dnn.readNetFromONNX(path)
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        names = list(HEADS)
        net.setInput(blob, "input")
        outs = dict(zip(names, net.forward(names)))
        diffs = {h: float(np.abs(outs[h] - tf_heads[h]).max()) for h in HEADS}
        kp = decode(*(outs[h] for h in HEADS))
        kp_diff = float(np.abs(kp - kp_ref).max())
        for _ in range(5):
            net.setInput(blob, "input")
            net.forward(names)
        times = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            net.setInput(blob, "input")
            net.forward(names)
            times.append((time.perf_counter() - t0) * 1000)
        worst = max(diffs.values())
        ok &= worst < 1e-4 and kp_diff < 1e-4
        print(f"  {os.path.basename(path)}: {np.median(times):.1f} ms (min {min(times):.1f}); "
              f"max |head - TF.js| {worst:.2e} ("
              + ", ".join(f"{h} {v:.1e}" for h, v in diffs.items())
              + f"); keypoints {kp_diff:.2e}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
