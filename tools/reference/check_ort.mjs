// Developer check, not part of the build: runs the converted ONNX files in
// ONNX Runtime (the native library inside the npm package onnxruntime-node,
// installed OUTSIDE the repository, e.g.
//   mkdir -p /tmp/ort && cd /tmp/ort && npm init -y && npm install --ignore-scripts onnxruntime-node
// ) on the exact input tensor of the TF.js reference, compares the four heads
// with the TF.js heads and times inference: the speed anchor of docs/models.md.
//
//   node tools/reference/check_ort.mjs --ort /tmp/ort --model lightning --ref /tmp/ref
//        [--models DIR] [--threads 2] [--runs 50] [--encodings std,opencv]

import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createRequire } from 'node:module';

const HEADS = ['heatmap', 'center', 'regression', 'offset'];

function die(msg) {
  process.stderr.write(`check_ort: ${msg}\n`);
  process.exit(1);
}

const a = { ort: null, model: null, ref: null, models: null, threads: '2', runs: '50', encodings: 'std,opencv' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i].replace(/^--/, '');
  if (!(k in a) || i + 1 >= argv.length) die(`bad argument ${argv[i]}`);
  a[k] = argv[i + 1];
}
if (!a.ort || !a.model || !a.ref) die('usage: check_ort.mjs --ort DIR --model lightning|thunder --ref DIR');
const modelsDir = a.models || process.env.FORMCHECK_MODELS
  || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'formcheck', 'models');

const require = createRequire(path.join(path.resolve(a.ort), 'package.json'));
const ort = require('onnxruntime-node');
const ortVersion = require('onnxruntime-node/package.json').version;

const ref = JSON.parse(fs.readFileSync(path.join(a.ref, `${a.model}.json`), 'utf8'));
const n = ref.input_size;
const u8 = fs.readFileSync(path.join(a.ref, `${a.model}.u8`));
const chw = new Float32Array(3 * n * n);
for (let i = 0; i < n * n; i++) for (let c = 0; c < 3; c++) chw[c * n * n + i] = u8[i * 3 + c];
const tfHeads = {};
for (const h of HEADS) {
  const b = fs.readFileSync(path.join(a.ref, `${a.model}-heads`, `${h}.f32`));
  tfHeads[h] = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

const threads = Number(a.threads);
const runs = Number(a.runs);
console.log(`onnxruntime-node ${ortVersion}, ${threads} intra-op threads, median of ${runs} runs`);
for (const enc of a.encodings.split(',')) {
  const file = path.join(modelsDir, `movenet-${a.model}-${enc}.onnx`);
  const session = await ort.InferenceSession.create(file, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // no busy-waiting: on a 2-core machine spinning workers steal the main thread's core
    extra: { session: { intra_op: { allow_spinning: process.env.ORT_SPIN || '0' } } },
  });
  const feeds = { input: new ort.Tensor('float32', chw, [1, 3, n, n]) };
  const out = await session.run(feeds);
  const diffs = HEADS.map((h) => {
    let m = 0;
    const o = out[h].data;
    for (let i = 0; i < o.length; i++) m = Math.max(m, Math.abs(o[i] - tfHeads[h][i]));
    return m;
  });
  for (let i = 0; i < 5; i++) await session.run(feeds);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((x, y) => x - y);
  console.log(`  ${path.basename(file)}: ${times[Math.floor(runs / 2)].toFixed(1)} ms (min ${times[0].toFixed(1)}); `
    + `max |head - TF.js| ${Math.max(...diffs).toExponential(2)} (`
    + HEADS.map((h, i) => `${h} ${diffs[i].toExponential(1)}`).join(', ') + ')');
}
