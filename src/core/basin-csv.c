/* basin-csv.c: labelled tables from CSV files, plain or gzip-compressed.
 *
 * A file contains one row per sample: numeric feature columns and one label
 * column, separated by commas, semicolons or tabs.  Fields may be quoted
 * with double quotes ("" inside a quoted field is one quote) but a quoted
 * field cannot span lines.  Blank lines are skipped.  With a semicolon or
 * tab delimiter, numbers may use a decimal comma.
 *
 * Messages count lines and columns from 1, as editors and spreadsheets do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "basin-dataset.h"
#include "basin-error.h"
#include "basin-file-private.h"

/* More distinct labels than this almost always means the wrong column was
 * taken as the label. */
#define CSV_MAX_CLASSES 1000
#define CSV_SNIFF_LINES 20
#define CSV_CANCEL_INTERVAL 1024

typedef struct {
  const char *pos;
  const char *end;
  guint       number;   /* line number of the last line returned */
} LineReader;

/* The fields of one row, unquoted, each ending in '\0' inside @text. */
typedef struct {
  GString *text;
  GArray  *starts;      /* gsize offsets into text */
} Fields;

typedef struct {
  char      *display_name;
  char       delimiter;
  gboolean   has_header;
  guint      n_columns;
  guint      first_line;     /* line of the first row, header or data */
  guint      label_index;    /* 0-based */
  char     **column_names;   /* n_columns names */
} Layout;

typedef struct {
  GArray     *features;      /* float, n_rows × n_features */
  GArray     *label_ids;     /* guint32 indices into @distinct */
  GPtrArray  *distinct;      /* label strings, in order of first appearance */
  GArray     *first_lines;   /* guint, the line where each distinct label first appears */
  GHashTable *ids;           /* label string → id + 1 */
} Rows;

static void
fields_init (Fields *fields)
{
  fields->text = g_string_new (NULL);
  fields->starts = g_array_new (FALSE, FALSE, sizeof (gsize));
}

static void
fields_clear (Fields *fields)
{
  g_string_free (fields->text, TRUE);
  g_array_unref (fields->starts);
}

static guint
fields_count (const Fields *fields)
{
  return fields->starts->len;
}

static const char *
fields_get (const Fields *fields,
            guint         index)
{
  return fields->text->str + g_array_index (fields->starts, gsize, index);
}

/* Returns the next line that is not blank, without its line ending, or
 * NULL at the end of the text. */
static const char *
line_reader_next (LineReader *reader,
                  gsize      *length_out)
{
  while (reader->pos < reader->end)
    {
      const char *start = reader->pos;
      const char *newline = memchr (start, '\n', reader->end - start);
      const char *stop = newline != NULL ? newline : reader->end;
      gsize length = stop - start;

      reader->pos = newline != NULL ? newline + 1 : reader->end;
      reader->number++;
      if (length > 0 && start[length - 1] == '\r')
        length--;

      for (gsize i = 0; i < length; i++)
        if (!g_ascii_isspace (start[i]))
          {
            *length_out = length;
            return start;
          }
    }

  return NULL;
}

static const char *
skip_spaces (const char *p,
             const char *end)
{
  while (p < end && *p == ' ')
    p++;
  return p;
}

/* Appends one quoted field starting at the opening quote @p; returns the
 * position after the closing quote, or NULL if the quote is not closed. */
static const char *
read_quoted (const char *p,
             const char *end,
             GString    *text)
{
  for (p++; p < end; p++)
    {
      if (*p != '"')
        {
          g_string_append_c (text, *p);
          continue;
        }
      if (p + 1 < end && p[1] == '"')
        {
          g_string_append_c (text, '"');
          p++;
          continue;
        }
      return p + 1;
    }

  return NULL;
}

/* Appends one unquoted field, trimmed of spaces; returns the position of
 * the delimiter that ends it or @end. */
static const char *
read_unquoted (const char *p,
               const char *end,
               char        delimiter,
               GString    *text)
{
  const char *stop = memchr (p, delimiter, end - p);
  const char *last;

  if (stop == NULL)
    stop = end;
  last = stop;
  while (last > p && last[-1] == ' ')
    last--;
  g_string_append_len (text, p, last - p);
  return stop;
}

/* Splits a line into @fields.  Returns FALSE, with the 1-based column in
 * @bad_column, if a quoted field is not closed or is followed by more
 * text before the next delimiter. */
static gboolean
split_line (const char *line,
            gsize       length,
            char        delimiter,
            Fields     *fields,
            guint      *bad_column)
{
  const char *p = line, *end = line + length;

  g_string_truncate (fields->text, 0);
  g_array_set_size (fields->starts, 0);

  for (;;)
    {
      gsize start = fields->text->len;

      g_array_append_val (fields->starts, start);
      p = skip_spaces (p, end);
      if (p < end && *p == '"')
        {
          p = read_quoted (p, end, fields->text);
          if (p != NULL)
            p = skip_spaces (p, end);
          if (p == NULL || (p < end && *p != delimiter))
            {
              *bad_column = fields->starts->len;
              return FALSE;
            }
        }
      else
        {
          p = read_unquoted (p, end, delimiter, fields->text);
        }
      g_string_append_c (fields->text, '\0');

      if (p >= end)
        return TRUE;
      p++;
    }
}

/* Counts @delimiter outside double quotes. */
static guint
count_delimiters (const char *line,
                  gsize       length,
                  char        delimiter)
{
  gboolean quoted = FALSE;
  guint count = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (line[i] == '"')
        quoted = !quoted;
      else if (line[i] == delimiter && !quoted)
        count++;
    }
  return count;
}

/* Picks the delimiter that splits the first lines into the same number of
 * fields, preferring more fields.  On a tie the semicolon wins over the
 * comma, because files separated by semicolons often use decimal commas.
 * Returns 0 if no candidate occurs on the first line. */
static char
detect_delimiter (const char *text,
                  gsize       length)
{
  const char candidates[] = { ';', '\t', ',' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean consistent[G_N_ELEMENTS (candidates)] = { TRUE, TRUE, TRUE };
  LineReader reader = { text, text + length, 0 };
  const char *line;
  gsize line_length;
  char best = 0;
  guint best_count = 0;
  gboolean best_consistent = FALSE;

  for (guint n = 0; n < CSV_SNIFF_LINES
       && (line = line_reader_next (&reader, &line_length)) != NULL; n++)
    for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
      {
        guint count = count_delimiters (line, line_length, candidates[c]);

        if (n == 0)
          counts[c] = count;
        else if (count != counts[c])
          consistent[c] = FALSE;
      }

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      gboolean better;

      if (consistent[c] != best_consistent)
        better = consistent[c] && counts[c] > 0;
      else
        better = counts[c] > best_count;

      if (better)
        {
          best = candidates[c];
          best_count = counts[c];
          best_consistent = consistent[c];
        }
    }

  return best;
}

/* Parses a whole cell as a number.  With a delimiter other than the comma,
 * a comma counts as the decimal separator. */
static gboolean
parse_number (const char *cell,
              char        delimiter,
              double     *value)
{
  char buffer[128];
  char *end = NULL;
  gsize length = strlen (cell);

  if (length == 0 || length >= sizeof buffer)
    return FALSE;

  memcpy (buffer, cell, length + 1);
  if (delimiter != ',')
    for (char *p = buffer; *p != '\0'; p++)
      if (*p == ',')
        *p = '.';

  *value = g_ascii_strtod (buffer, &end);
  return end == buffer + length;
}

static void
layout_clear (Layout *layout)
{
  g_free (layout->display_name);
  g_strfreev (layout->column_names);
}

/* Formats `column 3 (“petal_width”)`, or `column 3` without a header. */
static char *
format_column (const Layout *layout,
               guint         column)
{
  if (layout->has_header)
    return g_strdup_printf (_("column %u (“%s”)"), column + 1, layout->column_names[column]);
  return g_strdup_printf (_("column %u"), column + 1);
}

/* Formats `“data.csv” line 17, column 3 (“petal_width”)` for messages. */
static char *
format_location (const Layout *layout,
                 guint         line,
                 guint         column)
{
  g_autofree char *column_text = format_column (layout, column);

  return g_strdup_printf (_("“%s” line %u, %s"), layout->display_name, line, column_text);
}

/* Checks that @text is UTF-8, naming the first line that is not. */
static gboolean
check_utf8 (const char   *text,
            gsize         length,
            const Layout *layout,
            GError      **error)
{
  const char *bad = NULL;
  guint line = 1;

  if (g_utf8_validate_len (text, length, &bad))
    return TRUE;

  for (const char *p = text; p < bad; p++)
    line += *p == '\n';
  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
               _("“%s” line %u is not valid UTF-8 text; save the file as UTF-8."),
               layout->display_name, line);
  return FALSE;
}

static gboolean
set_location_error (GError      **error,
                    const Layout *layout,
                    guint         line,
                    guint         column,
                    const char   *format,
                    ...) G_GNUC_PRINTF (5, 6);

/* Sets an error whose message starts with the file, line and column. */
static gboolean
set_location_error (GError      **error,
                    const Layout *layout,
                    guint         line,
                    guint         column,
                    const char   *format,
                    ...)
{
  g_autofree char *location = format_location (layout, line, column);
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA, "%s: %s", location, detail);
  return FALSE;
}

/* Splits one line, reporting an unclosed quote or a wrong field count. */
static gboolean
split_row (const Layout *layout,
           const char   *line,
           gsize         length,
           guint         line_number,
           Fields       *fields,
           GError      **error)
{
  guint bad_column = 0;

  if (!split_line (line, length, layout->delimiter, fields, &bad_column))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” line %u, column %u: a quoted field is not closed or is "
                     "followed by other text. Quoted fields cannot span lines."),
                   layout->display_name, line_number, bad_column);
      return FALSE;
    }

  if (layout->n_columns != 0 && fields_count (fields) != layout->n_columns)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” line %u has %u fields but line %u has %u; every row "
                     "needs the same number of columns."),
                   layout->display_name, line_number, fields_count (fields),
                   layout->first_line, layout->n_columns);
      return FALSE;
    }

  return TRUE;
}

/* Finds the label column by name in the first row or by number. */
static gboolean
resolve_label_column (Layout                *layout,
                      const Fields          *first,
                      const BasinCsvOptions *options,
                      GError               **error)
{
  if (options->label_name == NULL)
    {
      guint column = options->label_column == 0 ? layout->n_columns : options->label_column;

      if (column > layout->n_columns)
        {
          g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                       _("Label column %u does not exist: “%s” has %u columns."),
                       column, layout->display_name, layout->n_columns);
          return FALSE;
        }
      layout->label_index = column - 1;
      return TRUE;
    }

  for (guint i = 0; i < layout->n_columns; i++)
    if (options->header != BASIN_CSV_HEADER_ABSENT
        && strcmp (fields_get (first, i), options->label_name) == 0)
      {
        layout->label_index = i;
        return TRUE;
      }

  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
               _("“%s” has no column named “%s” in its header (line %u). Check "
                 "the spelling, or choose the label column by number."),
               layout->display_name, options->label_name, layout->first_line);
  return FALSE;
}

/* Decides whether the first row is a header: in automatic mode it is if
 * a feature cell contains text that is not a number.  Empty cells do not
 * count, so a missing value in the first data row is reported as such. */
static gboolean
first_row_is_header (const Layout          *layout,
                     const Fields          *first,
                     const BasinCsvOptions *options)
{
  double value;

  if (options->header != BASIN_CSV_HEADER_AUTO)
    return options->header == BASIN_CSV_HEADER_PRESENT;
  if (options->label_name != NULL)
    return TRUE;

  for (guint i = 0; i < layout->n_columns; i++)
    {
      const char *cell = fields_get (first, i);

      if (i != layout->label_index && cell[0] != '\0'
          && !parse_number (cell, layout->delimiter, &value))
        return TRUE;
    }
  return FALSE;
}

static void
set_column_names (Layout       *layout,
                  const Fields *first)
{
  layout->column_names = g_new0 (char *, layout->n_columns + 1);
  for (guint i = 0; i < layout->n_columns; i++)
    {
      const char *name = layout->has_header ? fields_get (first, i) : "";

      layout->column_names[i] = name[0] != '\0' ? g_strdup (name)
        : g_strdup_printf (_("column %u"), i + 1);
    }
}

/* Checks that the feature columns match those of a training file. */
static gboolean
check_reference_columns (const Layout       *layout,
                         const BasinCsvInfo *reference,
                         GError            **error)
{
  guint n_features = layout->n_columns - 1;
  guint feature = 0;

  if (n_features != reference->n_features)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” has %u feature columns but the training file has %u; "
                     "use a file with the same columns."),
                   layout->display_name, n_features, reference->n_features);
      return FALSE;
    }

  if (!layout->has_header || !reference->has_header)
    return TRUE;

  for (guint i = 0; i < layout->n_columns; i++)
    {
      if (i == layout->label_index)
        continue;
      if (strcmp (layout->column_names[i], reference->feature_names[feature]) != 0)
        {
          g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                       _("“%s” column %u is “%s” but the training file has “%s” "
                         "there; use the same columns in the same order."),
                       layout->display_name, i + 1, layout->column_names[i],
                       reference->feature_names[feature]);
          return FALSE;
        }
      feature++;
    }
  return TRUE;
}

/* Reads the first row and settles the delimiter, the number of columns,
 * the label column and whether there is a header.  Leaves the first row's
 * cells in @first. */
static gboolean
read_layout (Layout                *layout,
             LineReader            *lines,
             const BasinCsvOptions *options,
             Fields                *first,
             GError               **error)
{
  gsize length = 0;
  const char *line;

  layout->delimiter = options->delimiter != 0 ? options->delimiter
    : detect_delimiter (lines->pos, lines->end - lines->pos);
  if (layout->delimiter == 0)
    layout->delimiter = ',';

  line = line_reader_next (lines, &length);
  if (line == NULL)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” is empty; a CSV file needs rows of feature values and "
                     "a label."), layout->display_name);
      return FALSE;
    }
  layout->first_line = lines->number;
  if (!split_row (layout, line, length, lines->number, first, error))
    return FALSE;

  layout->n_columns = fields_count (first);
  if (layout->n_columns < 2)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” line %u has a single column; Basin needs feature "
                     "columns and a label column, separated by commas, semicolons "
                     "or tabs."), layout->display_name, lines->number);
      return FALSE;
    }

  if (!resolve_label_column (layout, first, options, error))
    return FALSE;
  layout->has_header = first_row_is_header (layout, first, options);
  set_column_names (layout, first);

  return options->reference == NULL
         || check_reference_columns (layout, options->reference, error);
}

static void
rows_init (Rows *rows)
{
  rows->features = g_array_new (FALSE, FALSE, sizeof (float));
  rows->label_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  rows->distinct = g_ptr_array_new_with_free_func (g_free);
  rows->first_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  rows->ids = g_hash_table_new (g_str_hash, g_str_equal);
}

static void
rows_clear (Rows *rows)
{
  g_array_unref (rows->features);
  g_array_unref (rows->label_ids);
  g_ptr_array_unref (rows->distinct);
  g_array_unref (rows->first_lines);
  g_hash_table_unref (rows->ids);
}

static void
rows_add_label (Rows       *rows,
                const char *label,
                guint       line)
{
  gpointer found = g_hash_table_lookup (rows->ids, label);
  guint32 id;

  if (found != NULL)
    {
      id = GPOINTER_TO_UINT (found) - 1;
    }
  else
    {
      char *copy = g_strdup (label);

      id = rows->distinct->len;
      g_ptr_array_add (rows->distinct, copy);
      g_array_append_val (rows->first_lines, line);
      g_hash_table_insert (rows->ids, copy, GUINT_TO_POINTER (id + 1));
    }
  g_array_append_val (rows->label_ids, id);
}

/* Parses one feature cell into a finite float. */
static gboolean
parse_feature (const Layout *layout,
               const char   *cell,
               guint         line,
               guint         column,
               float        *out,
               GError      **error)
{
  double value;

  if (cell[0] == '\0')
    return set_location_error (error, layout, line, column,
                               _("the cell is empty. Fill in missing values or "
                                 "remove the row."));
  if (!parse_number (cell, layout->delimiter, &value))
    return set_location_error (error, layout, line, column,
                               _("“%s” is not a number. Every column except the "
                                 "label must hold numbers."), cell);
  if (!isfinite (value))
    return set_location_error (error, layout, line, column,
                               _("the value “%s” is not finite. Replace or remove "
                                 "NaN and infinite values."), cell);
  if (fabs (value) > G_MAXFLOAT)
    return set_location_error (error, layout, line, column,
                               _("%s is outside the range of single-precision "
                                 "floats (±3.4e38)."), cell);
  *out = (float) value;
  return TRUE;
}

static gboolean
parse_row (const Layout *layout,
           const Fields *fields,
           guint         line,
           Rows         *rows,
           GError      **error)
{
  const char *label = fields_get (fields, layout->label_index);

  for (guint i = 0; i < layout->n_columns; i++)
    {
      float value;

      if (i == layout->label_index)
        continue;
      if (!parse_feature (layout, fields_get (fields, i), line, i, &value, error))
        return FALSE;
      g_array_append_val (rows->features, value);
    }

  if (label[0] == '\0')
    return set_location_error (error, layout, line, layout->label_index,
                               _("the label is empty. Give every row a label or "
                                 "remove the row."));
  rows_add_label (rows, label, line);
  return TRUE;
}

/* Parses every data row; @first contains the cells of the first row. */
static gboolean
read_rows (const Layout *layout,
           LineReader   *lines,
           Fields       *first,
           Rows         *rows,
           GCancellable *cancellable,
           GError      **error)
{
  gsize length = 0;
  const char *line;
  guint n_read = 0;

  if (!layout->has_header && !parse_row (layout, first, layout->first_line, rows, error))
    return FALSE;

  while ((line = line_reader_next (lines, &length)) != NULL)
    {
      if (++n_read % CSV_CANCEL_INTERVAL == 0
          && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!split_row (layout, line, length, lines->number, first, error)
          || !parse_row (layout, first, lines->number, rows, error))
        return FALSE;
    }

  if (rows->label_ids->len == 0)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” has a header but no data rows."), layout->display_name);
      return FALSE;
    }
  return TRUE;
}

/* Parses @label as a class index below @limit: a non-negative integer,
 * possibly written with a zero fraction such as "2.0". */
static gboolean
label_as_index (const char *label,
                char        delimiter,
                guint       limit,
                guint32    *out)
{
  double value;

  if (!parse_number (label, delimiter, &value) || !(value >= 0.0 && value < limit)
      || value != floor (value))
    return FALSE;
  *out = (guint32) value;
  return TRUE;
}

/* Uses integer labels as class indices.  Returns FALSE, leaving @info
 * alone, if some label is not a non-negative integer below CSV_MAX_CLASSES. */
static gboolean
map_integer_labels (const Layout *layout,
                    const Rows   *rows,
                    guint32      *class_of_id,
                    BasinCsvInfo *info)
{
  guint32 max = 0;

  for (guint id = 0; id < rows->distinct->len; id++)
    {
      if (!label_as_index (rows->distinct->pdata[id], layout->delimiter,
                           CSV_MAX_CLASSES, &class_of_id[id]))
        return FALSE;
      max = MAX (max, class_of_id[id]);
    }

  info->integer_labels = TRUE;
  info->n_classes = max + 1;
  info->class_names = g_new0 (char *, info->n_classes + 1);
  for (guint c = 0; c < info->n_classes; c++)
    info->class_names[c] = g_strdup_printf ("%u", c);
  return TRUE;
}

typedef struct {
  const Rows *rows;
  gboolean    numeric;
  char        delimiter;
} LabelOrder;

static gint
compare_labels (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const LabelOrder *order = user_data;
  const char *left = order->rows->distinct->pdata[*(const guint32 *) a];
  const char *right = order->rows->distinct->pdata[*(const guint32 *) b];
  double x, y;

  if (order->numeric && parse_number (left, order->delimiter, &x)
      && parse_number (right, order->delimiter, &y) && x != y)
    return x < y ? -1 : 1;
  return strcmp (left, right);
}

/* Maps distinct label strings to classes in sorted order: numerically if
 * every label is a number, by bytes otherwise. */
static gboolean
map_string_labels (const Layout *layout,
                   const Rows   *rows,
                   guint32      *class_of_id,
                   BasinCsvInfo *info,
                   GError      **error)
{
  guint n = rows->distinct->len;
  g_autofree guint32 *sorted = g_new (guint32, n);
  LabelOrder order = { rows, TRUE, layout->delimiter };
  double value;

  if (n > CSV_MAX_CLASSES)
    {
      g_autofree char *column = format_column (layout, layout->label_index);

      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("The label %s of “%s” has %u distinct values, more than the "
                     "%u classes Basin supports. Check that it is the label "
                     "column."), column, layout->display_name, n, CSV_MAX_CLASSES);
      return FALSE;
    }

  for (guint id = 0; id < n; id++)
    {
      sorted[id] = id;
      order.numeric = order.numeric
        && parse_number (rows->distinct->pdata[id], layout->delimiter, &value);
    }
  g_qsort_with_data (sorted, n, sizeof (guint32), compare_labels, &order);

  info->integer_labels = FALSE;
  info->n_classes = n;
  info->class_names = g_new0 (char *, n + 1);
  for (guint c = 0; c < n; c++)
    {
      class_of_id[sorted[c]] = c;
      info->class_names[c] = g_strdup (rows->distinct->pdata[sorted[c]]);
    }
  return TRUE;
}

static gboolean
find_reference_class (const BasinCsvInfo *reference,
                      const char         *label,
                      char                delimiter,
                      guint32            *out)
{
  if (reference->integer_labels)
    return label_as_index (label, delimiter, reference->n_classes, out);

  for (guint c = 0; c < reference->n_classes; c++)
    if (strcmp (reference->class_names[c], label) == 0)
      {
        *out = c;
        return TRUE;
      }
  return FALSE;
}

/* Maps labels to the classes of a training file. */
static gboolean
map_reference_labels (const Layout       *layout,
                      const Rows         *rows,
                      const BasinCsvInfo *reference,
                      guint32            *class_of_id,
                      BasinCsvInfo       *info,
                      GError            **error)
{
  for (guint id = 0; id < rows->distinct->len; id++)
    {
      const char *label = rows->distinct->pdata[id];

      if (!find_reference_class (reference, label, layout->delimiter, &class_of_id[id]))
        return set_location_error (error, layout,
                                   g_array_index (rows->first_lines, guint, id),
                                   layout->label_index,
                                   _("the label “%s” is not one of the %u classes of "
                                     "the training file."), label, reference->n_classes);
    }

  info->integer_labels = reference->integer_labels;
  info->n_classes = reference->n_classes;
  info->class_names = g_strdupv (reference->class_names);
  return TRUE;
}

/* Rejects a file whose rows all have the same class. */
static gboolean
check_several_classes (const Layout       *layout,
                       const Rows         *rows,
                       const guint32      *class_of_id,
                       const BasinCsvInfo *info,
                       GError            **error)
{
  guint32 first = class_of_id[0];
  g_autofree char *column = NULL;

  for (guint id = 1; id < rows->distinct->len; id++)
    if (class_of_id[id] != first)
      return TRUE;

  column = format_column (layout, layout->label_index);
  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
               _("Every row of “%s” has the label “%s” in %s; a classifier needs "
                 "at least two classes. Check that it is the label column."),
               layout->display_name, info->class_names[first], column);
  return FALSE;
}

/* Turns label strings into classes and fills the class fields of @info.
 * Returns a class per distinct label, or NULL with @error set. */
static guint32 *
map_labels (const Layout          *layout,
            const Rows            *rows,
            const BasinCsvOptions *options,
            BasinCsvInfo          *info,
            GError               **error)
{
  g_autofree guint32 *class_of_id = g_new0 (guint32, rows->distinct->len);

  if (options->reference != NULL)
    {
      if (!map_reference_labels (layout, rows, options->reference, class_of_id, info, error))
        return NULL;
      return g_steal_pointer (&class_of_id);
    }

  if (!map_integer_labels (layout, rows, class_of_id, info)
      && !map_string_labels (layout, rows, class_of_id, info, error))
    return NULL;
  if (!check_several_classes (layout, rows, class_of_id, info, error))
    return NULL;
  return g_steal_pointer (&class_of_id);
}

/* Fills the column fields of @info and standardizes @dataset if asked. */
static void
finish_info (const Layout          *layout,
             const BasinCsvOptions *options,
             BasinDataset          *dataset,
             BasinCsvInfo          *info)
{
  const BasinCsvInfo *reference = options->reference;
  guint dim = dataset->dim, feature = 0;

  info->n_features = dim;
  info->feature_names = g_new0 (char *, dim + 1);
  for (guint i = 0; i < layout->n_columns; i++)
    if (i != layout->label_index)
      info->feature_names[feature++] = g_strdup (layout->column_names[i]);
  info->label_name = g_strdup (layout->column_names[layout->label_index]);
  info->has_header = layout->has_header;
  info->delimiter = layout->delimiter;

  if (reference != NULL ? reference->mean == NULL : !options->standardize)
    return;

  if (reference != NULL)
    {
      info->mean = g_memdup2 (reference->mean, dim * sizeof (float));
      info->std = g_memdup2 (reference->std, dim * sizeof (float));
    }
  else
    {
      info->mean = g_new (float, dim);
      info->std = g_new (float, dim);
      basin_dataset_feature_statistics (dataset, info->mean, info->std);
    }
  basin_dataset_standardize (dataset, info->mean, info->std);
}

static BasinDataset *
build_dataset (const Layout  *layout,
               Rows          *rows,
               const guint32 *class_of_id,
               guint          n_classes)
{
  guint n_rows = rows->label_ids->len;
  BasinDataset *dataset = basin_dataset_new_features (layout->display_name, n_rows,
                                                      layout->n_columns - 1, n_classes);

  memcpy (dataset->features, rows->features->data,
          (gsize) n_rows * dataset->dim * sizeof (float));
  for (guint i = 0; i < n_rows; i++)
    dataset->labels[i] = class_of_id[g_array_index (rows->label_ids, guint32, i)];
  return dataset;
}

static gboolean
check_options (const BasinCsvOptions *options,
               GError               **error)
{
  if (options->delimiter != 0 && options->delimiter != ',' && options->delimiter != ';'
      && options->delimiter != '\t')
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("The CSV delimiter “%c” is not supported: use a comma, a "
                     "semicolon or a tab."), options->delimiter);
      return FALSE;
    }
  return TRUE;
}

/* Parses the text of a whole file after the byte-order mark. */
static BasinDataset *
parse_text (Layout                *layout,
            const char            *text,
            gsize                  length,
            const BasinCsvOptions *options,
            BasinCsvInfo          *info,
            GCancellable          *cancellable,
            GError               **error)
{
  LineReader lines = { text, text + length, 0 };
  g_autofree guint32 *class_of_id = NULL;
  BasinDataset *dataset = NULL;
  Fields fields;
  Rows rows;

  fields_init (&fields);
  rows_init (&rows);

  if (read_layout (layout, &lines, options, &fields, error)
      && read_rows (layout, &lines, &fields, &rows, cancellable, error))
    class_of_id = map_labels (layout, &rows, options, info, error);

  if (class_of_id != NULL)
    {
      dataset = build_dataset (layout, &rows, class_of_id, info->n_classes);
      finish_info (layout, options, dataset, info);
    }

  rows_clear (&rows);
  fields_clear (&fields);
  return dataset;
}

/**
 * basin_dataset_load_csv:
 * @path: a CSV file, plain or gzip-compressed
 * @options: (nullable): how to read the file; %NULL for the defaults
 * @info_out: (out) (optional) (transfer full): what was found in the file:
 *   column and class names, and the standardization statistics
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Loads a table of numeric feature columns and one label column.  The
 * delimiter (comma, semicolon or tab) is detected from the first lines
 * unless @options sets it.  If every label is a non-negative integer below
 * 1000 (also written as "2.0"), the labels are class indices.  Otherwise
 * they are names, mapped to classes in sorted order, which is numeric
 * order if they are all numbers.  Without a reference file, at least two
 * classes must occur.
 *
 * Errors (%BASIN_ERROR_INVALID_DATA) name the line and column of a bad
 * cell: a value that is not a number, an empty cell, NaN or infinity,
 * and also rows with a different number of fields, an empty file, and
 * a single class.
 *
 * Returns: (transfer full) (nullable): a dataset of float features, or
 *   %NULL with @error set
 */
BasinDataset *
basin_dataset_load_csv (const char             *path,
                        const BasinCsvOptions  *options,
                        BasinCsvInfo          **info_out,
                        GCancellable           *cancellable,
                        GError                **error)
{
  static const BasinCsvOptions defaults = { 0 };
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (BasinCsvInfo) info = g_new0 (BasinCsvInfo, 1);
  Layout layout = { 0 };
  BasinDataset *dataset = NULL;
  const char *text;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  if (options == NULL)
    options = &defaults;
  if (!check_options (options, error))
    return NULL;

  bytes = basin_read_file (path, cancellable, error);
  if (bytes == NULL)
    return NULL;

  layout.display_name = g_path_get_basename (path);
  text = g_bytes_get_data (bytes, &length);
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  if (check_utf8 (text, length, &layout, error))
    dataset = parse_text (&layout, text, length, options, info, cancellable, error);
  layout_clear (&layout);

  if (dataset != NULL && info_out != NULL)
    *info_out = g_steal_pointer (&info);
  return dataset;
}

/* Returns: (transfer full): a deep copy of @info */
BasinCsvInfo *
basin_csv_info_copy (const BasinCsvInfo *info)
{
  BasinCsvInfo *copy = g_memdup2 (info, sizeof *info);

  copy->feature_names = g_strdupv (info->feature_names);
  copy->label_name = g_strdup (info->label_name);
  copy->class_names = g_strdupv (info->class_names);
  copy->mean = info->mean != NULL ? g_memdup2 (info->mean, info->n_features * sizeof (float)) : NULL;
  copy->std = info->std != NULL ? g_memdup2 (info->std, info->n_features * sizeof (float)) : NULL;
  return copy;
}

void
basin_csv_info_free (BasinCsvInfo *info)
{
  if (info == NULL)
    return;

  g_strfreev (info->feature_names);
  g_free (info->label_name);
  g_strfreev (info->class_names);
  g_free (info->mean);
  g_free (info->std);
  g_free (info);
}

/**
 * basin_dataset_feature_statistics:
 * @dataset: a dataset of float features with at least one row
 * @mean_out: (out caller-allocates): dim floats, the mean of each feature
 * @std_out: (out caller-allocates): dim floats, the population standard
 *   deviation of each feature
 *
 * Computes the statistics that basin_dataset_standardize() applies, in
 * double precision.  A constant feature gets a standard deviation of 1, so
 * standardizing maps it to zero instead of dividing by zero.  Compute them
 * on the training rows only and apply them to the test rows as well.
 */
void
basin_dataset_feature_statistics (const BasinDataset *dataset,
                                  float              *mean_out,
                                  float              *std_out)
{
  const float *x = dataset->features;
  guint n_rows = dataset->n_samples, dim = dataset->dim;

  g_return_if_fail (dataset->features != NULL && n_rows > 0);

  for (guint j = 0; j < dim; j++)
    {
      double sum = 0.0, sum_sq = 0.0, mean;

      for (guint i = 0; i < n_rows; i++)
        sum += x[(gsize) i * dim + j];
      mean = sum / n_rows;
      for (guint i = 0; i < n_rows; i++)
        {
          double centered = x[(gsize) i * dim + j] - mean;
          sum_sq += centered * centered;
        }

      mean_out[j] = (float) mean;
      std_out[j] = sum_sq > 0.0 ? (float) sqrt (sum_sq / n_rows) : 1.0f;
    }
}

/**
 * basin_dataset_standardize:
 * @dataset: a dataset of float features, changed in place
 * @mean: dim floats subtracted from the features
 * @std: dim positive floats the centred features are divided by
 *
 * Replaces each feature x_j by (x_j − @mean[j]) / @std[j].
 */
void
basin_dataset_standardize (BasinDataset *dataset,
                           const float  *mean,
                           const float  *std)
{
  float *x = dataset->features;
  guint dim = dataset->dim;

  g_return_if_fail (dataset->features != NULL);

  for (guint i = 0; i < dataset->n_samples; i++)
    for (guint j = 0; j < dim; j++)
      x[(gsize) i * dim + j] = (x[(gsize) i * dim + j] - mean[j]) / std[j];
}
