#!/usr/bin/python3
"""UI-PRMD deep squats projected into cameras around the subject, analysed by
formcheck, and compared with the 3-D truth of each repetition.

usage: /usr/bin/python3 tools/validity_uiprmd.py BUILD_DIR [--data DIR] [--yaws 0,15,...]
           [--elevation DEG] [--noise PX] [--movement m01] [--exercise overhead-squat] [--subjects s01,s02] [--out DIR]

For every repetition and camera yaw: build/uiprmd_project writes the keypoint
CSV and the truth JSON, build/formcheck analyze writes its JSON and per-frame
CSV; the script then reads formcheck's per-frame value of each metric at the
truth's bottom frame and prints, per metric and yaw, the median and 90th
percentile absolute error against the truth, and whether formcheck reported the
metric at all. Last, per yaw, how well the set score separates correct from
incorrect repetitions (AUC, Mann-Whitney), overall and per subject, and how well
the same set score computed from the 3-D truth itself separates them.
"""
import argparse
import csv
import glob
import json
import os
import statistics
import subprocess
import sys

# formcheck metric (per-frame CSV column) -> the truth it is compared with, at
# the bottom of the repetition, the scale of the truth to formcheck's unit, and
# the view formcheck is told (the error by yaw is measured with the view
# forced, so that it shows how far off its plane a metric stays right; the
# AUC runs let formcheck choose).
PAIRS = [
    ("trunk_forward_lean_deg", "trunk_forward_lean_deg", 1, "side"),
    ("depth_deg", "thigh_below_horizontal_deg", 1, "side"),
    ("pelvic_obliquity_deg", "pelvic_obliquity_deg", 1, "front"),
    ("trunk_lean_lateral_deg", "trunk_lateral_lean_deg", 1, "front"),
    ("lateral_shift_pct", "lateral_shift_pct", 1, "front"),
    ("knee_ankle_sep_pct", "knee_ankle_sep_ratio", 100, "front"),
    ("knee_medial_left_pct", "knee_medial_left_pct", 1, "front"),
    ("knee_medial_right_pct", "knee_medial_right_pct", 1, "front"),
    ("arm_forward_deg", "arm_trunk_deg", 1, "side"),
    ("hip_over_base_pct", "hip_over_base_pct", 1, "front"),
    ("wrist_ahead_pct", "wrist_ahead_pct", 1, "side"),
]


# formcheck metric -> (plane, function of the truth at the bottom): the
# truth's own value of each graded measure, for the set score of the truth.
TRUTH_OF = {
    "knee_ankle_sep_pct": ("front", lambda t: 100 * t["knee_ankle_sep_ratio"]),
    "knee_medial_left_pct": ("front", lambda t: t["knee_medial_left_pct"]),
    "knee_medial_right_pct": ("front", lambda t: t["knee_medial_right_pct"]),
    "pelvic_obliquity_deg": ("front", lambda t: t["pelvic_obliquity_deg"]),
    "trunk_lean_lateral_deg": ("front", lambda t: t["trunk_lateral_lean_deg"]),
    "lateral_shift_pct": ("front", lambda t: t["lateral_shift_pct"]),
    "depth_deg": ("side", lambda t: t["thigh_below_horizontal_deg"]),
    "trunk_shin_diff_deg": ("side", lambda t: t["trunk_forward_lean_deg"] - t["shin_forward_lean_deg"]),
    "arm_forward_deg": ("side", lambda t: t["arm_trunk_deg"]),
    "hip_over_base_pct": ("front", lambda t: t["hip_over_base_pct"]),
    "wrist_ahead_pct": ("side", lambda t: t["wrist_ahead_pct"]),
}


def penalty(th, v):
    """report/grade.c's penalty of value v under threshold th, uncertainty 0:
    10..20 past the watch level, 25..40 past the fault level."""
    w, f = th["levels"]["watch"], th["levels"]["fault"]
    x = v
    if th["direction"] == "below":
        x, w, f = -v, -w, -f
    elif th["direction"] == "abs":
        x = abs(v)
    gap = f - w
    if x > f:
        return 25 + 15 * min(1.0, (x - f) / gap)
    if x > w:
        return 10 + 10 * min(1.0, (x - w) / gap)
    return 0.0


def truth_scores(thresholds, exercise, truths):
    """The set score the grade's own table gives each repetition's 3-D truth,
    per plane: (plane, class, subject, score) rows."""
    rows = []
    for plane in ("front", "side"):
        for cls, subj, t in truths:
            pen = 0.0
            for th in thresholds:
                if exercise not in th["exercises"] or th.get("measure", "rep_peak") != "rep_peak":
                    continue
                for m in th["metric"] if isinstance(th["metric"], list) else [th["metric"]]:
                    if m in TRUTH_OF and TRUTH_OF[m][0] == plane:
                        pen += penalty(th, TRUTH_OF[m][1](t))
            rows.append((plane, cls, subj, max(0.0, 100 - pen)))
    return rows


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stdout, r.stderr


def value_at(csv_path, t):
    """formcheck's per-frame values at the frame nearest time t."""
    best, best_dt = None, None
    with open(csv_path, newline="") as f:
        for row in csv.DictReader(f):
            dt = abs(float(row["t_s"]) - t)
            if best_dt is None or dt < best_dt:
                best, best_dt = row, dt
    return best or {}


def auc(pos, neg):
    """P(a correct repetition scores higher than an incorrect one); ties half."""
    if not pos or not neg:
        return float("nan")
    wins = 0.0
    for p in pos:
        for n in neg:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return wins / (len(pos) * len(neg))


def pct(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared",
                                                    "data", "uiprmd"))
    ap.add_argument("--yaws", default="0,15,30,45,60,75,90")
    ap.add_argument("--elevation", default="5")
    ap.add_argument("--noise", default="0")
    ap.add_argument("--movement", default="m01")
    ap.add_argument("--exercise", default="overhead-squat",
                    help="what formcheck is told (m01 is a deep squat with the arms overhead)")
    ap.add_argument("--subjects", default="")
    ap.add_argument("--out", default="validity-out")
    a = ap.parse_args()
    proj = os.path.join(a.build, "validity", "uiprmd_project")
    fc = os.path.join(a.build, "formcheck")
    os.makedirs(a.out, exist_ok=True)
    reps = []
    for cls, suffix in (("correct", "_positions.txt.gz"), ("incorrect", "_positions_inc.txt.gz")):
        for p in sorted(glob.glob(os.path.join(a.data, cls, a.movement + "_s*" + suffix))):
            subj = os.path.basename(p).split("_")[1]
            if a.subjects and subj not in a.subjects.split(","):
                continue
            reps.append((cls, subj, p))
    if not reps:
        sys.exit("validity_uiprmd: no repetitions under " + a.data)
    yaws = [float(y) for y in a.yaws.split(",")]
    err = {y: {m: [] for m, *_ in PAIRS} for y in yaws}
    reported = {y: {m: 0 for m, *_ in PAIRS} for y in yaws}
    scores = {y: [] for y in yaws}
    truths = []
    views = {y: {} for y in yaws}
    body_yaw = {y: [] for y in yaws}
    for y in yaws:
        for cls, subj, p in reps:
            stem = os.path.join(a.out, "%s_%s_y%g" % (cls, os.path.basename(p).split(".")[0], y))
            rc, _, e = run([proj, "--yaw", str(y), "--elevation", a.elevation, "--noise", a.noise,
                            p, stem + ".kp.csv", stem + ".truth.json"])
            if rc:
                sys.exit("uiprmd_project failed on %s: %s" % (p, e))
            rows = {}
            for view in ("auto", "front", "side"):
                out = "%s.%s" % (stem, view)
                rc, _, e = run([fc, "analyze", "-q", "--exercise", a.exercise, "--view", view,
                                "--json", out + ".json", "--csv", out + ".csv", stem + ".kp.csv"])
                if rc:
                    sys.exit("formcheck analyze failed on %s: %s" % (stem, e))
                truth = json.load(open(stem + ".truth.json"))
                if view == "auto" and y == yaws[0]:
                    truths.append((cls, subj, truth["at_bottom"]))
                rows[view] = value_at(out + ".csv", truth["t_bottom_s"])
                if view == "auto":
                    rep = json.load(open(out + ".json"))
                    used = rep["view"]["used"]
                    views[y][used] = views[y].get(used, 0) + 1
                    if rep["view"].get("body_yaw_deg") is not None:
                        body_yaw[y].append(rep["view"]["body_yaw_deg"])
                    scores[y].append((cls, subj, rep["grade"]["score"]))
            for m, tm, scale, view in PAIRS:
                v = rows[view].get(m, "")
                if v not in ("", None):
                    reported[y][m] += 1
                    err[y][m].append(abs(float(v) - scale * truth["at_bottom"][tm]))
    n = len(reps)
    print("repetitions: %d (%s), elevation %s deg, noise %s px" %
          (n, a.movement, a.elevation, a.noise))
    print("\n| metric | " + " | ".join("yaw %g" % y for y in yaws) + " |")
    print("|---|" + "---|" * len(yaws))
    for m, _, _, view in PAIRS:
        cells = []
        for y in yaws:
            e = err[y][m]
            if not e:
                cells.append("not reported")
            else:
                cells.append("%.1f / %.1f (%d%%)" % (statistics.median(e), pct(e, 0.9),
                                                     round(100 * reported[y][m] / n)))
        print("| %s (--view %s) | %s |" % (m, view, " | ".join(cells)))
    print("\ncells: median / 90th percentile absolute error at the bottom (metric units), "
          "(share of repetitions where formcheck reported a value); the view forced as shown")
    print("\n| camera yaw | body yaw formcheck reads (median, 10th-90th percentile) |")
    print("|---|---|")
    for y in yaws:
        b = body_yaw[y]
        print("| %g | %s |" % (y, "%.0f (%.0f-%.0f)" % (statistics.median(b), pct(b, 0.1), pct(b, 0.9))
                               if b else "none"))
    print("\n| yaw | view used | AUC correct vs incorrect (set score) | per subject |")
    print("|---|---|---|---|")
    for y in yaws:
        s = scores[y]
        pos = [x[2] for x in s if x[0] == "correct" and x[2] is not None]
        neg = [x[2] for x in s if x[0] == "incorrect" and x[2] is not None]
        per = []
        for subj in sorted({x[1] for x in s}):
            ps = [x[2] for x in s if x[1] == subj and x[0] == "correct" and x[2] is not None]
            ns = [x[2] for x in s if x[1] == subj and x[0] == "incorrect" and x[2] is not None]
            per.append("%s %.2f" % (subj, auc(ps, ns)))
        graded = len(pos) + len(neg)
        print("| %g | %s | %.2f (graded %d of %d) | %s |" % (
            y, ", ".join("%s %d" % kv for kv in sorted(views[y].items())), auc(pos, neg), graded,
            len(s), ", ".join(per)))

    th_path = os.path.join(os.path.dirname(__file__), "..", "data", "thresholds.json")
    table = json.load(open(th_path))["thresholds"]
    ts = truth_scores(table, a.exercise, truths)
    graded_metrics = set()
    for th in table:
        if a.exercise in th["exercises"] and th.get("measure", "rep_peak") == "rep_peak":
            graded_metrics.update(th["metric"] if isinstance(th["metric"], list) else [th["metric"]])
    print("\nThe 3-D truth graded by the same table (data/thresholds.json, uncertainty 0; "
          "the FPPA, heels and feet have no truth here and are left out):")
    print("\n| plane | measures | AUC correct vs incorrect (truth's set score) | per subject |")
    print("|---|---|---|---|")
    for plane in ("front", "side"):
        r = [x for x in ts if x[0] == plane]
        pos = [x[3] for x in r if x[1] == "correct"]
        neg = [x[3] for x in r if x[1] == "incorrect"]
        per = []
        for subj in sorted({x[2] for x in r}):
            per.append("%s %.2f" % (subj, auc([x[3] for x in r if x[2] == subj and x[1] == "correct"],
                                              [x[3] for x in r if x[2] == subj and x[1] == "incorrect"])))
        print("| %s | %s | %.2f | %s |" % (plane, ", ".join(m for m in TRUTH_OF if TRUTH_OF[m][0] == plane and m in graded_metrics),
                                           auc(pos, neg), ", ".join(per)))


if __name__ == "__main__":
    main()
