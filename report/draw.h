/* formcheck report: drawing on packed RGB pixels, for the annotated video
 * and a live view: blended boxes, anti-aliased lines and discs, and a
 * built-in 5x7 bitmap font scaled by whole numbers. No fonts or images are
 * read; everything clips to the canvas.
 *
 *     struct fc_canvas c = {rgb, width, height, width * 3};
 *     fc_draw_rect(&c, 0, 0, width, 40, (struct fc_rgb){0, 0, 0}, 0.6f);
 *     fc_draw_line(&c, 10, 10, 100, 80, 4, (struct fc_rgb){60, 220, 90}, 1.0f);
 *     fc_draw_text(&c, 8, 8, "REP 3/5", 3, (struct fc_rgb){255, 255, 255});
 *
 * Primitives: report/draw.c; the font: report/font.c. */
#ifndef FC_REPORT_DRAW_H
#define FC_REPORT_DRAW_H

#include <stddef.h>
#include <stdint.h>

/* Packed RGB24 pixels to draw on. */
struct fc_canvas {
    uint8_t *rgb;
    int width, height, stride; /* stride in bytes */
};

struct fc_rgb {
    uint8_t r, g, b;
};

/* The skeleton's bones as joint pairs, each with the part it draws:
 * FC_BONE_BODY (arms, trunk, legs; the feet when the model gives them),
 * FC_BONE_FACE (nose, eyes, ears) and FC_BONE_HEAD (the nose to the
 * shoulders: where the head is, without the face). A drawing picks parts:
 *
 *     for (size_t b = 0; b < fc_bones_count; b++)
 *         if (fc_bones[b].part & (FC_BONE_BODY | FC_BONE_FACE)) ... */
enum fc_bone_part { FC_BONE_BODY = 1, FC_BONE_FACE = 2, FC_BONE_HEAD = 4 };
struct fc_bone {
    unsigned char a, b, part;
};
extern const struct fc_bone fc_bones[];
extern const size_t fc_bones_count;

/* alpha 0..1 blends colour over what is there. Everything clips to the canvas. */
void fc_draw_rect(struct fc_canvas *c, int x, int y, int w, int h, struct fc_rgb colour,
                  float alpha);
/* A line width_px wide with round ends, anti-aliased; a zero-length line is a disc. */
void fc_draw_line(struct fc_canvas *c, float x0, float y0, float x1, float y1, float width_px,
                  struct fc_rgb colour, float alpha);
/* The same line drawn in dashes dash_px long with gaps as long (a
 * reference line beside a measured one). */
void fc_draw_dashed(struct fc_canvas *c, float x0, float y0, float x1, float y1, float width_px,
                    float dash_px, struct fc_rgb colour, float alpha);
void fc_draw_disc(struct fc_canvas *c, float x, float y, float radius_px, struct fc_rgb colour,
                  float alpha);

/* The built-in font: 5x7 glyphs (8 rows with descenders) for printable
 * ASCII, the degree sign (UTF-8 "\xc2\xb0", or '\x7f') and the plus-minus
 * sign ("\xc2\xb1"), in 6 x 8 cells,
 * scaled by a whole factor. Any other character draws as '?'. */
#define FC_FONT_CELL_W 6
#define FC_FONT_CELL_H 8
/* The glyph of ch: 5 column bytes, bit 0 the top row; NULL when none. */
const uint8_t *fc_font_glyph(unsigned ch);
/* Pixel width of text at scale (one line, no trailing gap), and the height
 * of its capitals (descenders reach one row, scale pixels, below). */
int fc_text_width(const char *text, int scale);
int fc_text_height(int scale);
/* Draws text with its top-left corner at (x, y); returns its width. */
int fc_draw_text(struct fc_canvas *c, int x, int y, const char *text, int scale,
                 struct fc_rgb colour);

#endif
