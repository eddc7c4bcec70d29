/* basin-field-row.h: a settings row with an entry and an error message under it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BASIN_TYPE_FIELD_ROW (basin_field_row_get_type ())

G_DECLARE_FINAL_TYPE (BasinFieldRow, basin_field_row, BASIN, FIELD_ROW, AdwPreferencesRow)

GtkWidget  *basin_field_row_new        (void);
const char *basin_field_row_get_text   (BasinFieldRow *self);
void        basin_field_row_set_text   (BasinFieldRow *self,
                                        const char    *text);
const char *basin_field_row_get_error  (BasinFieldRow *self);
void        basin_field_row_set_error  (BasinFieldRow *self,
                                        const char    *error);
GtkEntry   *basin_field_row_get_entry  (BasinFieldRow *self);
void        basin_field_row_add_suffix (BasinFieldRow *self,
                                        GtkWidget     *widget);

G_END_DECLS
