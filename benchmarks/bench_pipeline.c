/* End to end on one clip: ms per frame of each stage (decode, conversion to
 * the model input, pose, analysis, grading + reports), frames per second
 * overall, and peak memory.
 *
 *   bench_pipeline [--model thunder|lightning] [--json FILE] [CLIP]
 *
 * CLIP defaults to the side-view squat in ../shared/data/videos. "decode" is
 * the time the pose loop waited for decoded frames (decoding runs in its own
 * thread, so it overlaps the model). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "analysis/analyzer.h"
#include "pose/video.h"
#include "report/grade.h"
#include "report/report.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    const char *clip = FC_BENCH_DEFAULT_CLIP, *json = NULL;
    enum fc_movenet_model model = FC_MOVENET_THUNDER;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
            model = strcmp(argv[++i], "lightning") == 0 ? FC_MOVENET_LIGHTNING : FC_MOVENET_THUNDER;
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json = argv[++i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: bench_pipeline [--model thunder|lightning] [--json FILE] "
                            "[CLIP]\n");
            return 2;
        } else {
            clip = argv[i];
        }
    }
    if (access(clip, R_OK) != 0) {
        fprintf(stderr, "bench_pipeline: %s: not readable; give a clip\n", clip);
        return 1;
    }

    struct fc_error err = {0};
    struct fc_video_pose_params vp = fc_video_pose_default_params();
    vp.movenet.model = model;
    struct fc_pose_track track;
    struct fc_video_pose_stats st;
    double t0 = now_ms();
    if (fc_video_pose_track(clip, &vp, &track, &st, &err) < 0) {
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);
        return 1;
    }
    double t1 = now_ms();
    struct fc_analyzer_params ap = fc_analyzer_default_params();
    ap.exercise = FC_EXERCISE_SQUAT;
    struct fc_frame_metrics *frames = NULL;
    struct fc_analysis a;
    struct fc_analyzer *an = NULL;
    if (fc_analyze_track(&track, &ap, 1, 6.0, &frames, &a, &an, &err) < 0) {
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);
        return 1;
    }
    double t2 = now_ms();
    struct fc_thresholds th;
    struct fc_grade g;
    if (fc_thresholds_load(NULL, &th, &err) < 0 || fc_grade_session(&a, &th, &g, &err) < 0) {
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);
        return 1;
    }
    struct fc_report r = {.input_path = clip,
                          .input_kind = "video",
                          .skeleton = "coco17",
                          .analysis = &a,
                          .grade = &g,
                          .thresholds = &th,
                          .frames = frames,
                          .n_frames = track.n_frames};
    char tmp[] = "/tmp/fcbenchXXXXXX";
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    char pj[64], pc[64], ph[64];
    snprintf(pj, sizeof pj, "%s/r.json", tmp);
    snprintf(pc, sizeof pc, "%s/r.csv", tmp);
    snprintf(ph, sizeof ph, "%s/r.html", tmp);
    FILE *devnull = fopen("/dev/null", "w");
    if (fc_report_json(pj, &r, &err) < 0 || fc_report_csv(pc, &r, &err) < 0 ||
        fc_report_html(ph, &r, &err) < 0) {
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);
        return 1;
    }
    fc_report_text(devnull, &r);
    fclose(devnull);
    double t3 = now_ms();
    unlink(pj);
    unlink(pc);
    unlink(ph);
    rmdir(tmp);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double n = (double)st.frames;
    const char *mname = model == FC_MOVENET_THUNDER ? "thunder" : "lightning";
    printf("clip %s: %dx%d %s, %ld frames; MoveNet %s (OpenCV DNN)\n", clip, st.width, st.height,
           st.codec, st.frames, mname);
    printf("%-28s %10s\n", "stage", "ms/frame");
    printf("%-28s %10.3f\n", "decode (waiting for frames)", st.decode_ms / n);
    printf("%-28s %10.3f\n", "convert to model input", st.convert_ms / n);
    printf("%-28s %10.3f\n", "pose (model + decoding)", st.pose_ms / n);
    printf("%-28s %10.4f\n", "analysis (filter + analyzer)", (t2 - t1) / n);
    printf("%-28s %10.4f\n", "grade + reports", (t3 - t2) / n);
    printf("%-28s %10.2f frames/s\n", "end to end", n * 1e3 / (t3 - t0));
    printf("%-28s %10ld KiB\n", "peak RSS", ru.ru_maxrss);
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) {
            perror(json);
            return 1;
        }
        fprintf(f,
                "{\"clip\": \"%s\", \"model\": \"%s\", \"frames\": %ld, \"width\": %d, "
                "\"height\": %d,\n \"ms_per_frame\": {\"decode_wait\": %.4f, \"convert\": %.4f, "
                "\"pose\": %.4f, \"analysis\": %.5f, \"report\": %.5f},\n \"end_to_end_fps\": "
                "%.3f, \"peak_rss_kib\": %ld}\n",
                clip, mname, st.frames, st.width, st.height, st.decode_ms / n, st.convert_ms / n,
                st.pose_ms / n, (t2 - t1) / n, (t3 - t2) / n, n * 1e3 / (t3 - t0), ru.ru_maxrss);
        fclose(f);
    }
    fc_grade_free(&g);
    fc_thresholds_free(&th);
    fc_analyzer_free(an);
    free(frames);
    fc_pose_track_free(&track);
    return 0;
}
