/* basin.h: everything of Basin's core library.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "basin-dataset.h"
#include "basin-error.h"
#include "basin-experiment.h"
#include "basin-identifiability.h"
#include "basin-landscape.h"
#include "basin-linalg.h"
#include "basin-locale.h"
#include "basin-matching.h"
#include "basin-merge.h"
#include "basin-mlp.h"
#include "basin-neuron-map.h"
#include "basin-rng.h"
#include "basin-safetensors.h"
#include "basin-session.h"
#include "basin-session-file.h"
#include "basin-train.h"
#include "basin-weight-matching.h"
