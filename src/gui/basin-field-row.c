/* basin-field-row.c: a settings row with an entry and an error message under it.
 *
 * The entry accepts any text, so the window can parse it on every change
 * and show what is wrong right under the field instead of refusing keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "basin-field-row.h"

struct _BasinFieldRow
{
  AdwPreferencesRow parent_instance;

  /* Children, owned by the widget tree */
  GtkBox   *top_box;
  GtkLabel *title_label;
  GtkBox   *entry_box;
  GtkEntry *entry;
  GtkLabel *subtitle_label;
  GtkLabel *error_label;

  char     *error;
  guint     stacked : 1;
};

G_DEFINE_FINAL_TYPE (BasinFieldRow, basin_field_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_ERROR,
  PROP_SUBTITLE,
  PROP_STACKED,
  PROP_PLACEHOLDER_TEXT,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
basin_field_row_set_subtitle (BasinFieldRow *self,
                              const char    *subtitle)
{
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label),
                          subtitle != NULL && subtitle[0] != '\0');
}

/* A stacked row puts the entry on its own line under the title, for
 * values too long to share a line with it, such as folder paths. */
static void
basin_field_row_set_stacked (BasinFieldRow *self,
                             gboolean       stacked)
{
  GtkWidget *entry_box = GTK_WIDGET (self->entry_box);
  GtkWidget *outer_box = gtk_widget_get_parent (GTK_WIDGET (self->top_box));

  stacked = !!stacked;
  if (stacked == self->stacked)
    return;

  self->stacked = stacked;

  g_object_ref (entry_box);
  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (entry_box)), entry_box);
  if (stacked)
    gtk_box_insert_child_after (GTK_BOX (outer_box), entry_box, GTK_WIDGET (self->top_box));
  else
    gtk_box_append (self->top_box, entry_box);
  g_object_unref (entry_box);

  gtk_widget_set_hexpand (entry_box, stacked);
  gtk_widget_set_hexpand (GTK_WIDGET (self->entry), stacked);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), stacked ? 12 : 8);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STACKED]);
}

static void
entry_changed_cb (BasinFieldRow *self,
                  GtkEditable   *editable)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
basin_field_row_finalize (GObject *object)
{
  BasinFieldRow *self = (BasinFieldRow *)object;

  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (basin_field_row_parent_class)->finalize (object);
}

static void
basin_field_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BasinFieldRow *self = BASIN_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, basin_field_row_get_text (self));
      break;

    case PROP_ERROR:
      g_value_set_string (value, basin_field_row_get_error (self));
      break;

    case PROP_SUBTITLE:
      g_value_set_string (value, gtk_label_get_label (self->subtitle_label));
      break;

    case PROP_STACKED:
      g_value_set_boolean (value, self->stacked);
      break;

    case PROP_PLACEHOLDER_TEXT:
      g_value_set_string (value, gtk_entry_get_placeholder_text (self->entry));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
basin_field_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BasinFieldRow *self = BASIN_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      basin_field_row_set_text (self, g_value_get_string (value));
      break;

    case PROP_ERROR:
      basin_field_row_set_error (self, g_value_get_string (value));
      break;

    case PROP_SUBTITLE:
      basin_field_row_set_subtitle (self, g_value_get_string (value));
      break;

    case PROP_STACKED:
      basin_field_row_set_stacked (self, g_value_get_boolean (value));
      break;

    case PROP_PLACEHOLDER_TEXT:
      gtk_entry_set_placeholder_text (self->entry, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
basin_field_row_class_init (BasinFieldRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = basin_field_row_finalize;
  object_class->get_property = basin_field_row_get_property;
  object_class->set_property = basin_field_row_set_property;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * BasinFieldRow:error:
   *
   * Message shown under the field in the error colour, or %NULL when the
   * value is valid.
   */
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * BasinFieldRow:subtitle:
   *
   * Dimmed hint under the field, such as the allowed range or the unit.
   */
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  properties[PROP_STACKED] =
    g_param_spec_boolean ("stacked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PLACEHOLDER_TEXT] =
    g_param_spec_string ("placeholder-text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BasinFieldRow::changed:
   *
   * Emitted when the text of the entry changes, by typing or by
   * basin_field_row_set_text().
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
basin_field_row_init (BasinFieldRow *self)
{
  GtkBox *outer_box;

  outer_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  gtk_widget_set_margin_top (GTK_WIDGET (outer_box), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (outer_box), 8);
  gtk_widget_set_margin_start (GTK_WIDGET (outer_box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (outer_box), 12);

  self->top_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12));

  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title_label, 0.0);
  gtk_label_set_wrap (self->title_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "title");
  g_object_bind_property (self, "title", self->title_label, "label", G_BINDING_SYNC_CREATE);
  gtk_box_append (self->top_box, GTK_WIDGET (self->title_label));

  self->entry_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6));
  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 8);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->entry), 12);
  gtk_widget_set_valign (GTK_WIDGET (self->entry), GTK_ALIGN_CENTER);
  g_signal_connect_object (self->entry, "changed",
                           G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->entry_box, GTK_WIDGET (self->entry));
  gtk_box_append (self->top_box, GTK_WIDGET (self->entry_box));

  self->subtitle_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->subtitle_label, 0.0);
  gtk_label_set_wrap (self->subtitle_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle_label), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), FALSE);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->error_label, 0.0);
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_wrap_mode (self->error_label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  gtk_box_append (outer_box, GTK_WIDGET (self->top_box));
  gtk_box_append (outer_box, GTK_WIDGET (self->subtitle_label));
  gtk_box_append (outer_box, GTK_WIDGET (self->error_label));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), GTK_WIDGET (outer_box));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self), FALSE);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                  -1);
}

GtkWidget *
basin_field_row_new (void)
{
  return g_object_new (BASIN_TYPE_FIELD_ROW, NULL);
}

const char *
basin_field_row_get_text (BasinFieldRow *self)
{
  g_return_val_if_fail (BASIN_IS_FIELD_ROW (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

void
basin_field_row_set_text (BasinFieldRow *self,
                          const char    *text)
{
  g_return_if_fail (BASIN_IS_FIELD_ROW (self));

  if (text == NULL)
    text = "";

  if (g_strcmp0 (text, basin_field_row_get_text (self)) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

const char *
basin_field_row_get_error (BasinFieldRow *self)
{
  g_return_val_if_fail (BASIN_IS_FIELD_ROW (self), NULL);

  return self->error;
}

/**
 * basin_field_row_set_error:
 * @error: (nullable): the message, or %NULL or "" when the value is valid
 *
 * Shows @error under the field and marks the entry with the `error` style
 * class, or removes both.
 */
void
basin_field_row_set_error (BasinFieldRow *self,
                           const char    *error)
{
  g_return_if_fail (BASIN_IS_FIELD_ROW (self));

  if (error != NULL && error[0] == '\0')
    error = NULL;

  if (g_strcmp0 (error, self->error) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (error);

  gtk_label_set_label (self->error_label, error);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);

  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               error != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                             : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/**
 * basin_field_row_get_entry:
 *
 * Returns: (transfer none): the entry of the row
 */
GtkEntry *
basin_field_row_get_entry (BasinFieldRow *self)
{
  g_return_val_if_fail (BASIN_IS_FIELD_ROW (self), NULL);

  return self->entry;
}

/**
 * basin_field_row_add_suffix:
 * @widget: a widget to show after the entry, such as a Browse button
 */
void
basin_field_row_add_suffix (BasinFieldRow *self,
                            GtkWidget     *widget)
{
  g_return_if_fail (BASIN_IS_FIELD_ROW (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_box_append (self->entry_box, widget);
}
