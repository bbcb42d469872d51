// The reference runtime for formcheck's pose benchmarks: runs a MoveNet ONNX
// file in ONNX Runtime (the native library inside the npm package
// onnxruntime-node, installed by tools/ort/install.sh) on an input tensor
// that formcheck wrote, and times inference the way bench_pose times
// OpenCV: warm-up runs excluded, median, 95th percentile and fastest run.
//
//   node tools/ort/movenet_ort.mjs --model FILE.onnx --input TENSOR.f32 --size N
//        [--threads 1,2] [--runs 50] [--warmup 5] [--heads HEATMAP.f32] [--profile 1]
//
// TENSOR.f32 is the raw float32 [1,3,N,N] tensor formcheck feeds its own
// runtime (bench_pose --ort writes it). With --heads (formcheck's heatmap
// output for the same input, raw float32) the largest difference of ONNX
// Runtime's heatmap from it is reported, so that both runtimes are known to
// compute the same thing. Prints one JSON object on stdout:
//   {"runtime": "onnxruntime-node 1.30.0", "results": [{"threads": 1,
//    "median_ms": ..., "p95_ms": ..., "min_ms": ..., "runs": 50,
//    "max_heatmap_diff": ...}, ...]}
// --profile 1 adds, for the first thread count, ONNX Runtime's own per-node
// times (its profiler, over --runs further runs): "profile": {"runs": R,
// "nodes": {"conv_18": mean ms, ...}, "types": {"FusedConv": mean ms per run}}.
// Exit status 3 when onnxruntime-node is not installed (the caller prints
// its table without the reference), 1 on any other failure.
//
// Sessions run with intra_op allow_spinning = 0: with spinning on, ONNX
// Runtime's idle workers busy-wait and on 2 cores take the caller's core
// (medians grow 3x or more). OpenCV's workers do not spin either.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

function die(msg, code = 1) {
  process.stderr.write(`movenet_ort: ${msg}\n`);
  process.exit(code);
}

const a = { model: null, input: null, size: null, threads: '1,2', runs: '50', warmup: '5', heads: null, profile: '0' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i].replace(/^--/, '');
  if (!(k in a) || i + 1 >= argv.length) die(`bad argument ${argv[i]}`);
  a[k] = argv[i + 1];
}
if (!a.model || !a.input || !a.size) die('usage: movenet_ort.mjs --model FILE.onnx --input TENSOR.f32 --size N');

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'package.json'));
let ort, version;
try {
  ort = require('onnxruntime-node');
  version = require('onnxruntime-node/package.json').version;
} catch (e) {
  die(`onnxruntime-node is not installed in ${here} (bash tools/ort/install.sh): ${e.message}`, 3);
}

const n = Number(a.size);
const raw = fs.readFileSync(a.input);
if (raw.byteLength !== 4 * 3 * n * n) die(`${a.input}: ${raw.byteLength} bytes, expected 3x${n}x${n} float32`);
const input = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
let heads = null;
if (a.heads) {
  const b = fs.readFileSync(a.heads);
  heads = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

const runs = Math.max(1, Number(a.runs));
const warmup = Math.max(0, Number(a.warmup));
const pct = (v, q) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
const results = [];
for (const threads of a.threads.split(',').map(Number)) {
  let session;
  try {
    session = await ort.InferenceSession.create(a.model, {
      intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  } catch (e) {
    die(`${a.model}: ONNX Runtime cannot load it: ${e.message}`);
  }
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, n, n]) };
  let out = await session.run(feeds);
  for (let i = 0; i < warmup; i++) out = await session.run(feeds);
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    out = await session.run(feeds);
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  let diff = null;
  if (heads && out.heatmap && out.heatmap.data.length === heads.length) {
    diff = 0;
    const o = out.heatmap.data;
    for (let i = 0; i < o.length; i++) diff = Math.max(diff, Math.abs(o[i] - heads[i]));
  }
  t.sort((x, y) => x - y);
  results.push({ threads, runs, median_ms: pct(t, 0.5), p95_ms: pct(t, 0.95), min_ms: t[0], max_heatmap_diff: diff });
  await session.release();
}
let profile = null;
if (a.profile === '1') {
  const os = await import('node:os');
  const prefix = path.join(os.tmpdir(), `fc_ort_profile_${process.pid}`);
  const threads = Number(a.threads.split(',')[0]);
  const session = await ort.InferenceSession.create(a.model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all', enableProfiling: true, profileFilePrefix: prefix,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, n, n]) };
  for (let i = 0; i < warmup; i++) await session.run(feeds);
  for (let i = 0; i < runs; i++) await session.run(feeds);
  session.endProfiling();
  await session.release();
  // the trace file is named prefix_<date>.json
  const dir = path.dirname(prefix);
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.json'));
  const nodes = {}, types = {};
  for (const f of files) {
    const trace = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    fs.unlinkSync(path.join(dir, f));
    for (const e of trace) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
      const name = e.name.slice(0, -'_kernel_time'.length);
      const ms = e.dur / 1e3 / (warmup + runs);
      nodes[name] = (nodes[name] || 0) + ms;
      const op = (e.args && e.args.op_name) || '?';
      types[op] = (types[op] || 0) + ms;
    }
  }
  profile = { threads, runs: warmup + runs, nodes, types };
}
process.stdout.write(JSON.stringify({ runtime: `onnxruntime-node ${version}`, results, profile }) + '\n');
