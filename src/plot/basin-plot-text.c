/* basin-plot-text.c: text with cairo's toy font API.
 *
 * Figures use cairo's toy text API and not Pango, so that the command-line
 * tool draws them without GTK.  The toy API does no font fallback, so the
 * symbols in figure text (λ, θ, π, Σ, −, ·, —) must be in the "Sans" font,
 * which is DejaVu Sans on Debian.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin-figure-private.h"

/**
 * basin_plot_use_font:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @role: what the text is
 *
 * Selects the font face and size of @role on @cr.
 */
void
basin_plot_use_font (cairo_t              *cr,
                     const BasinPlotStyle *style,
                     BasinFontRole         role)
{
  cairo_font_weight_t weight = CAIRO_FONT_WEIGHT_NORMAL;
  double size = style->tick_font;

  switch (role)
    {
    case BASIN_FONT_TICK:
      size = style->tick_font;
      break;

    case BASIN_FONT_LABEL:
      size = style->label_font;
      break;

    case BASIN_FONT_PANEL_TITLE:
      size = style->panel_title_font;
      weight = CAIRO_FONT_WEIGHT_BOLD;
      break;

    case BASIN_FONT_TITLE:
      size = style->title_font;
      weight = CAIRO_FONT_WEIGHT_BOLD;
      break;

    case BASIN_FONT_CAPTION:
      size = style->caption_font;
      break;

    default:
      g_assert_not_reached ();
    }

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, weight);
  cairo_set_font_size (cr, size);
}

/**
 * basin_plot_text_width:
 * @cr: a cairo context with a font selected
 * @text: UTF-8 text
 *
 * Returns: the advance width of @text in user-space units
 */
double
basin_plot_text_width (cairo_t    *cr,
                       const char *text)
{
  cairo_text_extents_t extents;

  if (text == NULL || text[0] == '\0')
    return 0.0;

  cairo_text_extents (cr, text, &extents);

  return extents.x_advance;
}

/**
 * basin_plot_line_height:
 * @cr: a cairo context with a font selected
 *
 * Returns: the height of a line of text, ascent plus descent
 */
double
basin_plot_line_height (cairo_t *cr)
{
  cairo_font_extents_t extents;

  cairo_font_extents (cr, &extents);

  return extents.ascent + extents.descent;
}

/**
 * basin_plot_show_text:
 * @cr: a cairo context with a font and source selected
 * @text: UTF-8 text
 * @x: anchor x
 * @y: anchor y
 * @halign: 0 puts the start of the text at @x, 0.5 the middle, 1 the end
 * @valign: 0 puts the top of the line at @y, 0.5 the middle, 1 the bottom
 *
 * Draws one line of text aligned to an anchor point.
 */
void
basin_plot_show_text (cairo_t    *cr,
                      const char *text,
                      double      x,
                      double      y,
                      double      halign,
                      double      valign)
{
  cairo_font_extents_t font;
  double width;
  double baseline;

  if (text == NULL || text[0] == '\0')
    return;

  cairo_font_extents (cr, &font);
  width = basin_plot_text_width (cr, text);
  baseline = y - valign * (font.ascent + font.descent) + font.ascent;

  cairo_move_to (cr, x - halign * width, baseline);
  cairo_show_text (cr, text);
  cairo_new_path (cr);
}

/**
 * basin_plot_show_text_vertical:
 * @cr: a cairo context with a font and source selected
 * @text: UTF-8 text
 * @x: anchor x
 * @y: anchor y
 * @halign: alignment along the text, which reads from bottom to top
 * @valign: 0 puts the top of the letters at @x, so the text lies to the
 *   right of the anchor; 1 puts it to the left
 *
 * Draws one line of text turned by 90° counterclockwise, as the title of
 * a vertical axis.
 */
void
basin_plot_show_text_vertical (cairo_t    *cr,
                               const char *text,
                               double      x,
                               double      y,
                               double      halign,
                               double      valign)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, -G_PI / 2.0);
  basin_plot_show_text (cr, text, 0.0, 0.0, halign, valign);
  cairo_restore (cr);
}

/**
 * basin_plot_ellipsize:
 * @cr: a cairo context with a font selected
 * @text: UTF-8 text
 * @max_width: available width
 *
 * Shortens @text with a trailing ellipsis until it fits in @max_width.
 *
 * Returns: (transfer full): @text, or a shortened copy
 */
char *
basin_plot_ellipsize (cairo_t    *cr,
                      const char *text,
                      double      max_width)
{
  g_autoptr(GString) shortened = NULL;
  glong n_chars;

  if (text == NULL)
    return g_strdup ("");

  /* A little slack, so that text measured to fit a width computed from
   * its own extents is never shortened by rounding. */
  max_width += 0.01;

  if (basin_plot_text_width (cr, text) <= max_width)
    return g_strdup (text);

  n_chars = g_utf8_strlen (text, -1);
  shortened = g_string_new (NULL);

  while (n_chars > 0)
    {
      const char *end = g_utf8_offset_to_pointer (text, --n_chars);

      g_string_truncate (shortened, 0);
      g_string_append_len (shortened, text, end - text);
      g_string_append (shortened, "…");

      if (basin_plot_text_width (cr, shortened->str) <= max_width)
        break;
    }

  return g_string_free (g_steal_pointer (&shortened), FALSE);
}

static void
wrap_paragraph (cairo_t    *cr,
                const char *paragraph,
                double      max_width,
                GPtrArray  *lines)
{
  g_auto(GStrv) words = g_strsplit (paragraph, " ", -1);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize previous_len = line->len;

      if (words[i][0] == '\0')
        continue;

      if (line->len > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, words[i]);

      if (previous_len > 0 && basin_plot_text_width (cr, line->str) > max_width)
        {
          g_string_truncate (line, previous_len);
          g_ptr_array_add (lines, g_strdup (line->str));
          g_string_assign (line, words[i]);
        }
    }

  if (line->len > 0)
    g_ptr_array_add (lines, g_strdup (line->str));
}

/**
 * basin_plot_wrap_text:
 * @cr: a cairo context with a font selected
 * @text: UTF-8 text; newlines start new lines
 * @max_width: available width
 *
 * Breaks @text into lines at spaces so that each line fits in @max_width.
 * A single word wider than @max_width stays on a line of its own.
 *
 * Returns: (transfer full) (element-type utf8): the lines
 */
GPtrArray *
basin_plot_wrap_text (cairo_t    *cr,
                      const char *text,
                      double      max_width)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) paragraphs = NULL;

  if (text == NULL)
    return lines;

  paragraphs = g_strsplit (text, "\n", -1);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    wrap_paragraph (cr, paragraphs[i], max_width, lines);

  return lines;
}

/**
 * basin_plot_set_rgb:
 * @cr: a cairo context
 * @hex: colour as 0xRRGGBB
 *
 * Sets an opaque source colour.
 */
void
basin_plot_set_rgb (cairo_t *cr,
                    guint32  hex)
{
  cairo_set_source_rgb (cr,
                        ((hex >> 16) & 0xff) / 255.0,
                        ((hex >> 8) & 0xff) / 255.0,
                        (hex & 0xff) / 255.0);
}
