/* basin-window-private.h: the parts of BasinWindow shared by its source files and tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <basin/basin-experiment.h>

#include "basin-field-row.h"
#include "basin-figure-set.h"
#include "basin-figure-view.h"
#include "basin-shared-session.h"
#include "basin-training-controller.h"
#include "basin-window.h"

G_BEGIN_DECLS

/* The numeric and text settings of the sidebar, in the order of the
 * sidebar.  Each has a BasinFieldRow. */
typedef enum {
  BASIN_FIELD_DATA_PATH,
  BASIN_FIELD_SIGMA_F,
  BASIN_FIELD_DEPTH,
  BASIN_FIELD_WIDTH,
  BASIN_FIELD_EPOCHS,
  BASIN_FIELD_BATCH_SIZE,
  BASIN_FIELD_LEARNING_RATE,
  BASIN_FIELD_WEIGHT_DECAY,
  BASIN_FIELD_SEED_A,
  BASIN_FIELD_SEED_B,
  BASIN_FIELD_MASK_SEED,
  BASIN_N_FIELDS
} BasinField;

struct _BasinWindow
{
  AdwApplicationWindow     parent_instance;

  /* Owned */
  BasinTrainingController *controller;
  BasinExperiment         *preset;
  BasinExperiment         *experiment;
  BasinSharedSession      *session;
  GCancellable            *figures_cancellable;
  GtkNativeDialog         *file_chooser;
  GFile                   *export_folder;
  char                    *export_extension;
  guint                    pulse_source;

  /* Template children */
  AdwToastOverlay         *toast_overlay;
  GtkButton               *train_button;
  GtkWidget               *sidebar;
  GtkLabel                *sidebar_banner;
  AdwComboRow             *preset_row;
  AdwComboRow             *dataset_row;
  AdwComboRow             *variant_row;
  AdwComboRow             *activation_row;
  GtkSwitch               *layer_norm_switch;
  BasinFieldRow           *fields[BASIN_N_FIELDS];
  GtkLabel                *status_label;
  GtkProgressBar          *progress_bar;
  GtkWidget               *layer_box;
  GtkSpinButton           *layer_spin;
  AdwViewStack            *view_stack;
  BasinFigureView         *training_view;
  BasinFigureView         *neurons_view;
  BasinFigureView         *match_view;
  BasinFigureView         *merge_view;

  /* Set while the sidebar is filled from an experiment, so that the
   * rows' change signals do not re-read a half-filled sidebar. */
  guint                    loading_settings : 1;
};

/* basin-window-settings.c */
void                     _basin_window_settings_class_init  (GtkWidgetClass *widget_class);
void                     _basin_window_settings_init        (BasinWindow    *self);
void                     _basin_window_update_train_button  (BasinWindow    *self);

/* For tests */
BasinTrainingController *basin_window_get_controller   (BasinWindow *self);
GtkButton               *basin_window_get_train_button (BasinWindow *self);
AdwComboRow             *basin_window_get_preset_row   (BasinWindow *self);
AdwComboRow             *basin_window_get_dataset_row  (BasinWindow *self);
BasinFieldRow           *basin_window_get_field_row    (BasinWindow *self,
                                                        BasinField   field);
GtkLabel                *basin_window_get_sidebar_banner (BasinWindow *self);
GtkSpinButton           *basin_window_get_layer_spin   (BasinWindow *self);
BasinFigureView         *basin_window_get_figure_view  (BasinWindow *self,
                                                        const char  *page_name);
const BasinExperiment   *basin_window_get_experiment   (BasinWindow *self);

G_END_DECLS
