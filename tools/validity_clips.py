#!/usr/bin/python3
"""formcheck on every real clip beside the project: a table per clip of what it
reports, for docs/validity.md.

usage: /usr/bin/python3 tools/validity_clips.py FORMCHECK [--data DIR] [--out DIR]
           [--model thunder|lightning]

For each video in DATA/videos (../shared/data by default) formcheck analyze runs
once with the exercise it detects and, for squat clips, once more with
--exercise squat; the script prints, per run, the view used, the reps, the
grade, the largest knee FPPA over all frames (a knee cannot bend sideways by
more than a few tens of degrees: anything beyond 35 deg would be a measurement
failure), the frames where the FPPA was not measurable (the leg out of plane), the
knee-to-ankle separation and medial knee displacement at the bottoms, and the
findings.
"""
import argparse
import csv
import glob
import json
import os
import subprocess
import sys


def frames_max_abs(csv_path, cols):
    best = None
    with open(csv_path, newline="") as f:
        for row in csv.DictReader(f):
            for c in cols:
                v = row.get(c, "")
                if v:
                    x = abs(float(v))
                    best = x if best is None or x > best else best
    return best


def fmt(x, spec="%.1f"):
    return "-" if x is None else spec % x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("formcheck")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared",
                                                    "data"))
    ap.add_argument("--out", default="validity-clips")
    ap.add_argument("--model", default="thunder")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    clips = sorted(glob.glob(os.path.join(a.data, "videos", "*.mp4")))
    if not clips:
        sys.exit("validity_clips: no clips under " + a.data)
    print("| clip | exercise | view | reps | grade | max abs FPPA, deg (frames) | FPPA not "
          "measurable (leg out of plane), frames L/R | KASR at the bottoms, % | medial knee L/R at "
          "the bottoms, % of leg | findings |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for clip in clips:
        name = os.path.basename(clip).rsplit(".", 1)[0]
        runs = [("auto", [])]
        if "squat" in name:
            runs.append(("squat", ["--exercise", "squat"]))
        for label, extra in runs:
            stem = os.path.join(a.out, name + "." + label)
            cmd = [a.formcheck, "analyze", "-q", "--model", a.model, "--json", stem + ".json",
                   "--csv", stem + ".csv"] + extra + [clip]
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if r.returncode:
                print("| %s | %s | failed: %s |" % (name, label, r.stderr.strip()[:120]))
                continue
            j = json.load(open(stem + ".json"))
            m = j["metrics"]
            fppa = frames_max_abs(stem + ".csv", ["knee_fppa_left_deg", "knee_fppa_right_deg"])
            deep = "%d/%d" % (m["knee_fppa_left_deg"]["frames_out_of_plane"],
                              m["knee_fppa_right_deg"]["frames_out_of_plane"])
            kasr = ", ".join(fmt(rep["peaks"].get("knee_ankle_sep_pct"), "%.0f")
                             for rep in j["reps"] if "knee_ankle_sep_pct" in rep["peaks"])
            med = ", ".join("%s/%s" % (fmt(rep["peaks"].get("knee_medial_left_pct")),
                                       fmt(rep["peaks"].get("knee_medial_right_pct")))
                            for rep in j["reps"] if "knee_medial_left_pct" in rep["peaks"])
            g = j["grade"]
            grade = "not graded" if g["score"] is None else "%.0f %s" % (g["score"], g["band"])
            faults = {}
            for f in j["findings"]:
                key = "%s (%s)" % (f["fault"], f["severity"])
                faults[key] = faults.get(key, 0) + 1
            print("| %s | %s | %s | %d | %s | %s | %s | %s | %s | %s |" % (
                name, j["exercise"], j["view"]["used"], j["n_reps"], grade, fmt(fppa), deep,
                kasr or "-", med or "-",
                "; ".join("%s x%d" % kv for kv in sorted(faults.items())) or "none"))


if __name__ == "__main__":
    main()
