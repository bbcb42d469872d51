#!/usr/bin/python3
"""Convert a TensorFlow.js graph model to formcheck's flat graph file for XNNPACK.

XNNPACK has no model loader: a program builds its subgraph operator by
operator. This writes what pose/dnn_xnnpack.c builds it from, a flat file
(format in docs/models.md, reader pose/xnn_graph.c):

    /usr/bin/python3 tools/tfjs_to_xnn.py MODEL.json OUT.xnn
    /usr/bin/python3 tools/tfjs_to_xnn.py --sample OUT.xnn    # a 3-op graph for tests and fuzzing

The graph is cut at the heads as tools/tfjs_to_onnx.py cuts it (the same
TF.js reader and the same head names: MoveNet's four, BlazePose's landmarks,
world landmarks and pose flag). XNNPACK is NHWC, as the TF.js
graph is, so nothing is transposed but the convolution filters:
  _FusedConv2D / Conv2D        convolution_2d, HWIO -> OHWI, ReLU/ReLU6 folded
                               into the output clamp, TF SAME as explicit pads
  (Fused)DepthwiseConv2dNative depthwise_convolution_2d, [kh,kw,C,M] ->
                               [1,kh,kw,C*M] (same memory order), a zero bias
                               when the graph has none
  AddV2                        add2; Sub/Mul of a constant: add2/multiply2 with
                               a static tensor (x - 0 is dropped)
  ResizeBilinear               static_resize_bilinear_2d (half-pixel centres)
  Sigmoid                      sigmoid
  Relu6 (of an AddV2 used only by it): the add2's output clamp [0, 6]
  Pad (zeros)                  of H and W: the pads of the VALID convolution
                               that follows; of the channels: static_constant_pad
  MaxPool (VALID)              max_pooling_2d
  Placeholder, Cast, Unpack, ExpandDims, Squeeze, Identity: the batch of one
                               stays 4-D; the input is float RGB 0-255 NHWC

Exit status: 0 written, 1 conversion failed (message on stderr).
"""

import argparse
import collections
import os
import struct
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tfjs_to_onnx import (ConversionError, _attr_bool, _attr_int, _attr_ints, _attr_str,  # noqa: E402
                          _attr_strs, graph_heads, load_tfjs, spatial_pads)

# ---- the file format (docs/models.md "The XNNPACK graph file"); pose/xnn_graph.h mirrors it
MAGIC = b"FCXNNGR\0"
VERSION = 1
HEADER = struct.Struct("<8s6IQI4x")  # magic, version, values, ops, outputs, input, weights, payload, crc
VALUE = struct.Struct("<I4IIII")  # ndims, dims[4], kind, weight offset (floats), reserved
OUTPUT = struct.Struct("<I12s")  # value id, name (NUL-padded)
OP = struct.Struct("<I3II10I2f")  # type, inputs[3], output, params[10], out_min, out_max
KIND_INTERNAL, KIND_STATIC, KIND_INPUT, KIND_OUTPUT = 0, 1, 2, 3
OP_CONV, OP_DWCONV, OP_ADD, OP_MUL, OP_SIGMOID, OP_RESIZE, OP_MAXPOOL, OP_PAD = 1, 2, 3, 4, 5, 6, 7, 8
NONE = 0xFFFFFFFF
INF = float("inf")


class Graph:
    def __init__(self):
        self.values = []  # (dims, kind, offset)
        self.ops = []
        self.outputs = []
        self.weights = []  # float32 arrays
        self.nweights = 0
        self.input = None

    def value(self, dims, kind=KIND_INTERNAL, data=None):
        dims = tuple(int(d) for d in dims)
        if not 1 <= len(dims) <= 4:
            raise ConversionError(f"a tensor of rank {len(dims)} (1..4 supported)")
        off = 0
        if data is not None:
            data = np.ascontiguousarray(data, np.float32).ravel()
            if data.size != int(np.prod(dims)):
                raise ConversionError(f"static data of {data.size} values for shape {dims}")
            off = self.nweights
            self.weights.append(data)
            self.nweights += data.size
            kind = KIND_STATIC
        self.values.append((dims, kind, off))
        return len(self.values) - 1

    def op(self, kind, inputs, out, params=(), out_min=-INF, out_max=INF):
        ins = list(inputs) + [NONE] * (3 - len(inputs))
        ps = list(params) + [0] * (10 - len(params))
        self.ops.append((kind, ins, out, ps, out_min, out_max))

    def shape(self, v):
        return self.values[v][0]

    def mark_output(self, v, name):
        dims, kind, off = self.values[v]
        if kind != KIND_INTERNAL:
            raise ConversionError(f"output {name} is not a computed tensor")
        self.values[v] = (dims, KIND_OUTPUT, off)
        self.outputs.append((v, name))

    def serialize(self):
        if self.input is None or not self.outputs:
            raise ConversionError("a graph needs an input and at least one output")
        parts = []
        for dims, kind, off in self.values:
            parts.append(VALUE.pack(len(dims), *(list(dims) + [0] * (4 - len(dims))), kind, off, 0))
        for v, name in self.outputs:
            raw = name.encode()
            if len(raw) >= 12:
                raise ConversionError(f"output name {name!r} is longer than 11 bytes")
            parts.append(OUTPUT.pack(v, raw))
        for kind, ins, out, ps, lo, hi in self.ops:
            parts.append(OP.pack(kind, *ins, out, *ps, lo, hi))
        for w in self.weights:
            parts.append(w.astype("<f4").tobytes())
        payload = b"".join(parts)
        header = HEADER.pack(MAGIC, VERSION, len(self.values), len(self.ops), len(self.outputs),
                             self.input, self.nweights, len(payload), zlib.crc32(payload))
        return header + payload


def same_pads(size, stride, k, dil):
    """TF SAME padding: output ceil(in/stride), the odd pixel at the end."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (k - 1) * dil + 1 - size, 0)
    return out, total // 2, total - total // 2


class Converter:
    def __init__(self, nodes, weights):
        self.nodes = {n["name"]: n for n in nodes}
        self.weights = weights
        self.g = Graph()
        self.tensors = {}  # TF node -> value id
        self.consts = {}
        self.pending_pad = {}  # TF node -> (top, bottom, left, right) for the next convolution
        self.uses = collections.Counter(i.split(":")[0].lstrip("^") for n in nodes for i in n.get("input", []))

    def weight(self, tf_name):
        tf_name = tf_name.split(":")[0]
        if tf_name not in self.weights:
            raise ConversionError(f"{tf_name}: expected a constant")
        return self.weights[tf_name]

    def is_const(self, tf_name):
        return tf_name.split(":")[0] in self.weights

    def input_of(self, n, i, padded=False):
        src = n["input"][i].split(":")
        if len(src) > 1 and src[1] != "0":
            raise ConversionError(f"{n['name']}: input {n['input'][i]} (a second output) is not supported")
        if src[0] not in self.tensors:
            raise ConversionError(f"{n['name']}: input {src[0]} has not been converted")
        if src[0] in self.pending_pad and not padded:
            raise ConversionError(f"{n['name']}: a zero-padded input is only supported by a VALID convolution")
        return self.tensors[src[0]]

    def order(self, outputs):
        seen, order = set(), []
        sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))

        def visit(name):
            name = name.split(":")[0].lstrip("^")
            if name in seen:
                return
            seen.add(name)
            if name not in self.nodes:
                raise ConversionError(f"graph refers to a missing node {name}")
            n = self.nodes[name]
            if n["op"] != "Const":
                for i in n.get("input", []):
                    visit(i)
            order.append(name)

        for o in outputs:
            visit(o)
        return [n for n in order if self.nodes[n]["op"] != "Const"]

    def convert(self, outputs):
        tf_ops = collections.Counter()
        for name in self.order(outputs.values()):
            n = self.nodes[name]
            tf_ops[n["op"]] += 1
            handler = getattr(self, "op_" + n["op"].lstrip("_"), None)
            if handler is None:
                raise ConversionError(f"{name}: TF op {n['op']} is not supported by this converter")
            self.tensors[name] = handler(n)
        for onnx_name, tf_name in outputs.items():
            self.g.mark_output(self.tensors[tf_name.split(":")[0]], onnx_name)
        return self.g, tf_ops

    # identities for a batch of one
    def op_Placeholder(self, n):
        dims = [int(d.get("size", -1)) for d in n["attr"]["shape"]["shape"]["dim"]]
        if dims and dims[0] == -1:
            dims[0] = 1  # a free batch dimension (BlazePose): run with a batch of one
        if len(dims) != 4 or dims[0] != 1 or dims[3] != 3 or min(dims) <= 0:
            raise ConversionError(f"{n['name']}: expected a fixed [1,H,W,3] input, got {dims}")
        v = self.g.value(dims, KIND_INPUT)
        self.g.input = v
        return v

    def op_Cast(self, n):
        return self.input_of(n, 0)

    op_Identity = op_Cast

    def op_Unpack(self, n):
        if _attr_int(n["attr"], "axis", 0) != 0 or _attr_int(n["attr"], "num") != 1:
            raise ConversionError(f"{n['name']}: only Unpack of a batch of one is supported")
        return self.input_of(n, 0)

    def op_ExpandDims(self, n):
        if int(self.weight(n["input"][1]).ravel()[0]) != 0:
            raise ConversionError(f"{n['name']}: only ExpandDims of the batch axis is supported")
        return self.input_of(n, 0)

    def op_Squeeze(self, n):
        if _attr_ints(n["attr"], "squeeze_dims") != [0]:
            raise ConversionError(f"{n['name']}: only Squeeze of the batch axis is supported")
        return self.input_of(n, 0)

    # element-wise
    def const_value(self, arr):
        arr = np.asarray(arr, np.float32)
        if arr.size and np.all(arr == arr.ravel()[0]):
            arr = arr.ravel()[:1]
        dims = arr.shape if arr.ndim else (1,)
        return self.g.value(dims, data=arr)

    def _binary(self, n, kind, negate=False):
        a, b = n["input"][0], n["input"][1]
        if self.is_const(a) and not self.is_const(b):
            if negate:
                raise ConversionError(f"{n['name']}: constant minus tensor is not supported")
            a, b = b, a
        if self.is_const(b):
            x = self.tensors[a.split(":")[0]]
            k = np.asarray(self.weight(b), np.float32)
            if negate:
                k = -k  # x - k == x + (-k) exactly in IEEE arithmetic
            if kind == OP_ADD and np.all(k == 0) or kind == OP_MUL and np.all(k == 1):
                return x  # exact no-ops
            c = self.const_value(k)
            out_shape = np.broadcast_shapes(self.g.shape(x), self.g.shape(c))
            if tuple(out_shape) != self.g.shape(x):
                raise ConversionError(f"{n['name']}: a constant that broadcasts the tensor")
            y = self.g.value(self.g.shape(x))
            self.g.op(kind, [x, c], y)
            return y
        x, z = self.input_of(n, 0), self.input_of(n, 1)
        if negate:
            raise ConversionError(f"{n['name']}: Sub of two tensors is not supported")
        if self.g.shape(x) != self.g.shape(z):
            raise ConversionError(f"{n['name']}: shapes {self.g.shape(x)} and {self.g.shape(z)}")
        y = self.g.value(self.g.shape(x))
        self.g.op(kind, [x, z], y)
        return y

    def op_AddV2(self, n):
        return self._binary(n, OP_ADD)

    op_Add = op_AddV2

    def op_Sub(self, n):
        return self._binary(n, OP_ADD, negate=True)

    def op_Mul(self, n):
        return self._binary(n, OP_MUL)

    def op_Relu6(self, n):
        """Folded into the output clamp of the add2 that computes its input,
        when nothing else reads that sum (BlazePose's residual blocks)."""
        src = n["input"][0].split(":")[0]
        x = self.input_of(n, 0)
        producer = [k for k, op in enumerate(self.g.ops) if op[2] == x]
        if self.uses[src] != 1 or not producer or self.g.ops[producer[0]][0] != OP_ADD:
            raise ConversionError(f"{n['name']}: Relu6 only after an AddV2 that nothing else reads")
        kind, ins, out, ps, lo, hi = self.g.ops[producer[0]]
        self.g.ops[producer[0]] = (kind, ins, out, ps, max(lo, 0.0), min(hi, 6.0))
        return x

    def op_Pad(self, n):
        x = self.input_of(n, 0)
        top, bottom, left, right, c0, c1 = spatial_pads(n, self.weight(n["input"][1]))
        if (top or bottom or left or right) and (c0 or c1):
            raise ConversionError(f"{n['name']}: padding of both space and channels")
        if not (c0 or c1):
            self.pending_pad[n["name"]] = (top, bottom, left, right)
            return x
        b, h, w, c = self.g.shape(x)
        y = self.g.value((b, h, w, c0 + c + c1))
        self.g.op(OP_PAD, [x], y, (0, 0, 0, c0, 0, 0, 0, c1))
        return y

    def op_MaxPool(self, n):
        attr = n.get("attr", {})
        x = self.input_of(n, 0)
        k, s = _attr_ints(attr, "ksize"), _attr_ints(attr, "strides")
        if (_attr_str(attr, "data_format", "NHWC") != "NHWC" or _attr_str(attr, "padding") != "VALID"
                or k[0] != 1 or k[3] != 1 or s[0] != 1 or s[3] != 1):
            raise ConversionError(f"{n['name']}: only VALID spatial NHWC MaxPool is supported")
        b, h, w, c = self.g.shape(x)
        y = self.g.value((b, (h - k[1]) // s[1] + 1, (w - k[2]) // s[2] + 1, c))
        self.g.op(OP_MAXPOOL, [x], y, (0, 0, 0, 0, k[1], k[2], s[1], s[2], 1, 1))
        return y

    def op_Sigmoid(self, n):
        x = self.input_of(n, 0)
        y = self.g.value(self.g.shape(x))
        self.g.op(OP_SIGMOID, [x], y)
        return y

    # convolutions
    def _conv(self, n, depthwise, fused):
        attr = n.get("attr", {})
        x = self.input_of(n, 0, padded=True)
        pad = self.pending_pad.get(n["input"][0].split(":")[0])
        shape = self.g.shape(x)
        if len(shape) != 4:
            raise ConversionError(f"{n['name']}: convolution of a rank-{len(shape)} tensor")
        if _attr_str(attr, "data_format", "NHWC") != "NHWC":
            raise ConversionError(f"{n['name']}: only NHWC is supported")
        w = np.asarray(self.weight(n["input"][1]), np.float32)
        kh, kw, cin, cm = w.shape
        if shape[3] != cin:
            raise ConversionError(f"{n['name']}: input has {shape[3]} channels, kernel expects {cin}")
        cout = cin * cm if depthwise else cm
        strides = _attr_ints(attr, "strides", [1, 1, 1, 1])
        dil = _attr_ints(attr, "dilations", [1, 1, 1, 1])
        sh, sw, dh, dw = strides[1], strides[2], dil[1], dil[2]
        padding = _attr_str(attr, "padding", "VALID")
        _, ih, iw, _ = shape
        if pad is not None:  # a zero Pad before a VALID convolution: its pads
            if padding != "VALID":
                raise ConversionError(f"{n['name']}: a padded input to a {padding} convolution")
            pt, pb, pl, pr = pad
            oh = (ih + pt + pb - (kh - 1) * dh - 1) // sh + 1
            ow = (iw + pl + pr - (kw - 1) * dw - 1) // sw + 1
        elif padding == "SAME":
            oh, pt, pb = same_pads(ih, sh, kh, dh)
            ow, pl, pr = same_pads(iw, sw, kw, dw)
        elif padding == "VALID":
            oh, ow = (ih - (kh - 1) * dh - 1) // sh + 1, (iw - (kw - 1) * dw - 1) // sw + 1
            pt = pb = pl = pr = 0
        else:
            raise ConversionError(f"{n['name']}: padding {padding} is not supported")
        fused_ops = _attr_strs(attr, "fused_ops") if fused else []
        act = None
        if fused_ops:
            if fused_ops[0] != "BiasAdd" or len(fused_ops) > 2:
                raise ConversionError(f"{n['name']}: fused ops {fused_ops} are not supported")
            bias = np.asarray(self.weight(n["input"][2]), np.float32).ravel()
            if bias.shape != (cout,):
                raise ConversionError(f"{n['name']}: bias of {bias.shape} for {cout} channels")
            act = fused_ops[1] if len(fused_ops) == 2 else None
        else:
            bias = np.zeros(cout, np.float32)
        lo, hi = {None: (-INF, INF), "Relu": (0.0, INF), "Relu6": (0.0, 6.0)}.get(act, (None, None))
        if lo is None:
            raise ConversionError(f"{n['name']}: fused activation {act} is not supported")
        if depthwise:
            wv = self.g.value((1, kh, kw, cout), data=w.reshape(1, kh, kw, cout))
        else:
            wv = self.g.value((cout, kh, kw, cin), data=w.transpose(3, 0, 1, 2))
        bv = self.g.value((cout,), data=bias)
        y = self.g.value((1, oh, ow, cout))
        self.g.op(OP_DWCONV if depthwise else OP_CONV, [x, wv, bv], y,
                  (pt, pr, pb, pl, kh, kw, sh, sw, dh, dw), lo, hi)
        return y

    def op_FusedConv2D(self, n):
        return self._conv(n, depthwise=False, fused=True)

    def op_Conv2D(self, n):
        return self._conv(n, depthwise=False, fused=False)

    def op_FusedDepthwiseConv2dNative(self, n):
        return self._conv(n, depthwise=True, fused=True)

    def op_DepthwiseConv2dNative(self, n):
        return self._conv(n, depthwise=True, fused=False)

    def op_ResizeBilinear(self, n):
        x = self.input_of(n, 0)
        oh, ow = [int(v) for v in self.weight(n["input"][1]).ravel()]
        if _attr_bool(n["attr"], "align_corners") or not _attr_bool(n["attr"], "half_pixel_centers"):
            raise ConversionError(f"{n['name']}: only half-pixel-centre bilinear resizing is supported")
        b, _, _, c = self.g.shape(x)
        y = self.g.value((b, oh, ow, c))
        self.g.op(OP_RESIZE, [x], y, (oh, ow))
        return y


def sample_graph():
    """A tiny graph with known numbers, for tests and as a fuzzing seed:
    input [1,4,4,2] -> 3x3 convolution to 3 channels (SAME, ReLU6) ->
    bilinear x2 -> + 0.5 -> sigmoid, output 'y' [1,8,8,3]."""
    g = Graph()
    x = g.value((1, 4, 4, 2), KIND_INPUT)
    g.input = x
    w = (np.arange(3 * 3 * 3 * 2, dtype=np.float32) % 7 - 3) / 8
    wv = g.value((3, 3, 3, 2), data=w)
    bv = g.value((3,), data=np.array([0.25, -0.5, 1.0], np.float32))
    c = g.value((1, 4, 4, 3))
    g.op(OP_CONV, [x, wv, bv], c, (1, 1, 1, 1, 3, 3, 1, 1, 1, 1), 0.0, 6.0)
    r = g.value((1, 8, 8, 3))
    g.op(OP_RESIZE, [c], r, (8, 8))
    k = g.value((1,), data=np.array([0.5], np.float32))
    a = g.value((1, 8, 8, 3))
    g.op(OP_ADD, [r, k], a)
    y = g.value((1, 8, 8, 3))
    g.op(OP_SIGMOID, [a], y)
    g.mark_output(y, "y")
    return g


def write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_json", nargs="?", help="TF.js graph model.json (weight shards beside it)")
    ap.add_argument("out", help="graph file to write")
    ap.add_argument("--sample", action="store_true", help="write the small sample graph instead")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    try:
        if a.sample:
            g, tf_ops = sample_graph(), collections.Counter()
        else:
            if not a.model_json:
                ap.error("MODEL.json is required without --sample")
            _, nodes, weights = load_tfjs(a.model_json)
            g, tf_ops = Converter(nodes, weights).convert(graph_heads(nodes))
        data = g.serialize()
        write(a.out, data)
    except (ConversionError, OSError) as e:
        print(f"tfjs_to_xnn: {e}", file=sys.stderr)
        return 1
    if not a.quiet:
        names = {OP_CONV: "convolution_2d", OP_DWCONV: "depthwise_convolution_2d", OP_ADD: "add2",
                 OP_MUL: "multiply2", OP_SIGMOID: "sigmoid", OP_RESIZE: "static_resize_bilinear_2d",
                 OP_MAXPOOL: "max_pooling_2d", OP_PAD: "static_constant_pad"}
        ops = collections.Counter(names[o[0]] for o in g.ops)
        print(f"{a.model_json or 'sample'}: TF ops converted ({sum(tf_ops.values())}), "
              f"{len(g.ops)} XNNPACK nodes: " + ", ".join(f"{k} {v}" for k, v in ops.most_common()))
        print(f"  {len(g.values)} values, {g.nweights} weights; input {g.shape(g.input)}; outputs "
              + ", ".join(f"{name} {g.shape(v)}" for v, name in g.outputs))
        print(f"  wrote {a.out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
