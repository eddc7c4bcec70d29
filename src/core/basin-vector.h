/* basin-vector.h: compiling hot elementwise loops for wider vector units.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* Functions marked BASIN_VECTOR_CLONES are compiled twice with GCC on
 * x86-64: for the baseline and for x86-64-v3 (AVX2, FMA), chosen at load
 * time.  Debian's baseline lacks AVX, which the AdamW update and the
 * activations need to keep up with sgemm.  The clones may round
 * differently (FMA), so results are bit-identical on one machine, not
 * across machines with and without AVX2. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) \
    && !defined(__SANITIZE_ADDRESS__)
# define BASIN_VECTOR_CLONES __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#else
# define BASIN_VECTOR_CLONES
#endif
