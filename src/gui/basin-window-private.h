/* basin-window-private.h: the parts of BasinWindow shared by its source files and tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <basin/basin-experiment.h>
#include <basin/basin-landscape.h>

#include "basin-field-row.h"
#include "basin-figure-set.h"
#include "basin-figure-view.h"
#include "basin-progress-relay.h"
#include "basin-shared-session.h"
#include "basin-training-controller.h"
#include "basin-window.h"

G_BEGIN_DECLS

/* The numeric and text settings of the sidebar, in the order of the
 * sidebar.  Each has a BasinFieldRow. */
typedef enum {
  BASIN_FIELD_DATA_PATH,
  BASIN_FIELD_CSV_PATH,
  BASIN_FIELD_TEST_PATH,
  BASIN_FIELD_LABEL_COLUMN,
  BASIN_FIELD_SAMPLES,
  BASIN_FIELD_NOISE,
  BASIN_FIELD_TEST_FRACTION,
  BASIN_FIELD_INNER_RADIUS,
  BASIN_FIELD_TURNS,
  BASIN_FIELD_CLASSES,
  BASIN_FIELD_INPUT_DIM,
  BASIN_FIELD_SUBSPACE_DIM,
  BASIN_FIELD_SEPARATION,
  BASIN_FIELD_STRUCTURE_SEED,
  BASIN_FIELD_DATA_SEED,
  BASIN_FIELD_VALIDATION_FRACTION,
  BASIN_FIELD_SIGMA_F,
  BASIN_FIELD_SIGMA_F_LAYERS,
  BASIN_FIELD_N_FIXED_LAYERS,
  BASIN_FIELD_DEPTH,
  BASIN_FIELD_WIDTH,
  BASIN_FIELD_EPOCHS,
  BASIN_FIELD_BATCH_SIZE,
  BASIN_FIELD_LEARNING_RATE,
  BASIN_FIELD_MOMENTUM,
  BASIN_FIELD_WEIGHT_DECAY,
  BASIN_FIELD_WARMUP_EPOCHS,
  BASIN_FIELD_CLIP_NORM,
  BASIN_FIELD_SEED_A,
  BASIN_FIELD_SEED_B,
  BASIN_FIELD_MASK_SEED,
  BASIN_FIELD_EVAL_SAMPLES,
  BASIN_FIELD_PATH_POINTS,
  BASIN_FIELD_RANDOM_PERMUTATIONS,
  BASIN_FIELD_LAMBDA_MIN,
  BASIN_FIELD_LAMBDA_MAX,
  BASIN_N_FIELDS
} BasinField;

/* Choices of the landscape's plane drop-down. */
typedef enum {
  BASIN_LANDSCAPE_PLANE_ACTIVATION,
  BASIN_LANDSCAPE_PLANE_WEIGHT,
  BASIN_LANDSCAPE_PLANE_RANDOM,
} BasinLandscapePlaneChoice;

typedef struct _BasinLandscapeJob BasinLandscapeJob;

struct _BasinWindow
{
  AdwApplicationWindow     parent_instance;

  /* Owned */
  BasinTrainingController *controller;
  BasinExperiment         *preset;
  BasinExperiment         *experiment;
  /* The experiment of the last opened file or session, listed after the
   * presets; %NULL until one is opened */
  BasinExperiment         *file_preset;
  BasinSharedSession      *session;
  GCancellable            *figures_cancellable;
  GtkNativeDialog         *file_chooser;
  GFile                   *export_folder;
  char                    *export_extension;
  char                    *track_placeholder;
  guint                    pulse_source;

  /* Owned: files (basin-window-files.c); files_cancellable is cancelled
   * only when the window goes away, open_cancellable also by Train */
  GCancellable            *files_cancellable;
  GCancellable            *open_cancellable;
  BasinProgressRelay      *open_relay;
  GFile                   *files_folder;
  guint                    n_file_tasks;
  BasinField               browse_field;

  /* Owned: swap costs (basin-window-identifiability.c); the cache maps a
   * hidden layer of the current session to its BasinSwapCosts */
  GHashTable              *swap_cache;
  GCancellable            *swap_cancellable;
  BasinProgressRelay      *swap_relay;
  guint                    swap_layer;
  guint                    swap_stopped : 1;

  /* Owned: landscape (basin-window-landscape.c) */
  BasinLandscapeJob       *landscape_job;
  BasinLandscape          *landscape;
  gboolean                 landscape_log_scale;

  /* Template children: sidebar */
  AdwToastOverlay         *toast_overlay;
  GtkButton               *train_button;
  GtkWidget               *sidebar;
  GtkLabel                *sidebar_banner;
  AdwComboRow             *preset_row;
  AdwComboRow             *dataset_row;
  AdwComboRow             *variant_row;
  AdwComboRow             *activation_row;
  AdwComboRow             *optimizer_row;
  AdwComboRow             *schedule_row;
  GtkSwitch               *layer_norm_switch;
  GtkWidget               *layer_norm_affine_row;
  GtkSwitch               *layer_norm_affine_switch;
  GtkWidget               *standardize_row;
  GtkSwitch               *standardize_switch;
  GtkSwitch               *weight_matching_switch;
  GtkSwitch               *track_switch;
  GtkSwitch               *eval_train_switch;
  GtkSwitch               *eval_random_switch;
  BasinFieldRow           *fields[BASIN_N_FIELDS];

  /* Template children: views */
  GtkLabel                *status_label;
  GtkProgressBar          *progress_bar;
  GtkWidget               *layer_box;
  GtkSpinButton           *layer_spin;
  GtkWidget               *order_box;
  GtkToggleButton         *order_matched_button;
  GtkWidget               *layer_hint_label;
  AdwViewStack            *view_stack;
  BasinFigureView         *training_view;
  BasinFigureView         *neurons_view;
  BasinFigureView         *match_view;
  BasinFigureView         *merge_view;
  BasinFigureView         *track_view;
  BasinFigureView         *swap_view;
  GtkLabel                *swap_status_label;
  GtkButton               *swap_button;
  GtkProgressBar          *swap_progress_bar;
  GtkDropDown             *landscape_plane_dropdown;
  GtkDropDown             *landscape_resolution_dropdown;
  GtkLabel                *landscape_extent_label;
  GtkSpinButton           *landscape_extent_spin;
  GtkDropDown             *landscape_dataset_dropdown;
  GtkButton               *landscape_evaluate_button;
  GtkButton               *landscape_stop_button;
  GtkCheckButton          *landscape_log_check;
  GtkProgressBar          *landscape_progress_bar;
  GtkLabel                *landscape_status_label;
  BasinFigureView         *landscape_view;
  GtkLabel                *landscape_hover_label;

  /* Set while the sidebar is filled from an experiment, so that the
   * rows' change signals do not re-read a half-filled sidebar. */
  guint                    loading_settings : 1;
  /* Set while the preset list is changed, so that its selection
   * signal loads nothing. */
  guint                    changing_presets : 1;
};

/* basin-window.c */
void                     _basin_window_show_toast           (BasinWindow  *self,
                                                             const char   *message,
                                                             guint         timeout);
void                     _basin_window_show_error           (BasinWindow  *self,
                                                             const char   *heading,
                                                             const char   *body);
void                     _basin_window_set_status           (BasinWindow  *self,
                                                             const char   *text);
void                     _basin_window_set_progress         (BasinWindow  *self,
                                                             double        fraction);
void                     _basin_window_update_train_button  (BasinWindow  *self);
void                     _basin_window_update_actions       (BasinWindow  *self);
void                     _basin_window_set_session          (BasinWindow  *self,
                                                             BasinSession *session);
guint                    _basin_window_get_selected_layer   (BasinWindow  *self);
guint                    _basin_window_get_blas_threads     (BasinWindow  *self);
BasinFigureView         *_basin_window_get_visible_view     (BasinWindow  *self);

/* basin-window-settings.c */
void                     _basin_window_settings_class_init  (GtkWidgetClass  *widget_class);
void                     _basin_window_settings_init        (BasinWindow     *self);
void                     _basin_window_load_experiment      (BasinWindow     *self,
                                                             BasinExperiment *experiment,
                                                             const char      *source);
GtkListItemFactory      *_basin_window_new_label_factory    (gboolean         ellipsize);

/* basin-window-fields.c */
void                     _basin_window_fields_class_init    (GtkWidgetClass        *widget_class);
const char              *_basin_window_field_key            (BasinField             field);
char                    *_basin_window_read_field           (BasinWindow           *self,
                                                             BasinExperiment       *experiment,
                                                             BasinField             field);
void                     _basin_window_write_fields         (BasinWindow           *self,
                                                             const BasinExperiment *experiment);

/* basin-window-export.c */
void                     _basin_window_export_class_init    (GtkWidgetClass *widget_class);

/* basin-window-files.c */
void                     _basin_window_files_class_init     (GtkWidgetClass *widget_class);
void                     _basin_window_files_init           (BasinWindow    *self);
void                     _basin_window_files_dispose        (BasinWindow    *self);
void                     _basin_window_files_finalize       (BasinWindow    *self);
void                     _basin_window_open_experiment_file (BasinWindow    *self,
                                                             GFile          *file);
void                     _basin_window_save_experiment_file (BasinWindow    *self,
                                                             GFile          *file);
void                     _basin_window_open_session_file    (BasinWindow    *self,
                                                             GFile          *file);
void                     _basin_window_save_session_file    (BasinWindow    *self,
                                                             GFile          *file);
gboolean                 _basin_window_get_file_busy        (BasinWindow    *self);
void                     _basin_window_cancel_open          (BasinWindow    *self);

/* basin-window-identifiability.c */
void                     _basin_window_identifiability_class_init (GtkWidgetClass *widget_class);
void                     _basin_window_identifiability_init       (BasinWindow    *self);
void                     _basin_window_identifiability_dispose    (BasinWindow    *self);
void                     _basin_window_identifiability_reset      (BasinWindow    *self);
void                     _basin_window_identifiability_update     (BasinWindow    *self);
gboolean                 _basin_window_get_swap_costs_running     (BasinWindow    *self);

/* basin-window-landscape.c */
void                     _basin_window_landscape_class_init (GtkWidgetClass *widget_class);
void                     _basin_window_landscape_init       (BasinWindow    *self);
void                     _basin_window_landscape_dispose    (BasinWindow    *self);
void                     _basin_window_landscape_reset      (BasinWindow    *self);
void                     _basin_window_landscape_evaluate   (BasinWindow    *self);
void                     _basin_window_landscape_stop       (BasinWindow    *self);
gboolean                 _basin_window_landscape_running    (BasinWindow    *self);
gboolean                 _basin_window_landscape_hover      (BasinWindow    *self,
                                                             double          x,
                                                             double          y);

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
