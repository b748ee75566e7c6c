// SPDX-License-Identifier: Apache-2.0
// Heap accounting for tern-bench: the bench executable defines malloc, free and friends
// (heap.cpp), forwarding to glibc's __libc_* functions, so every allocation of the process
// (operator new, libcrypto, libssl) passes through it. While counting is on, it keeps the
// live bytes (malloc_usable_size of each block), their peak and the number of allocations.
//
// Counting is off by default, so the timed cases pay one predictable branch per call and
// callgrind counts are not inflated. Figures are only meaningful as differences taken
// inside one counting window, after a warm-up: a block allocated before start() and freed
// inside the window is subtracted without having been added.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tern_bench::heap {

// Counting on, counters zeroed.
void start();
void stop();
bool counting();
// Live bytes counted since start() (may be negative after frees of older blocks).
int64_t live();
// The highest live() since start() or the last reset_peak().
int64_t peak();
void reset_peak();
// Allocations (malloc, calloc, realloc to a new block, aligned allocations) since start().
uint64_t allocations();

}  // namespace tern_bench::heap
