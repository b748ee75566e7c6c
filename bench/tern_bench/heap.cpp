// SPDX-License-Identifier: Apache-2.0
// The malloc interposer behind heap.h. Defining these functions in the executable makes
// the dynamic linker bind every library's calls (libstdc++'s operator new, libcrypto,
// libssl) to them; they forward to glibc's own implementation. The bench is
// single-threaded, so plain counters suffice.
#include "heap.h"

#include <malloc.h>

#include <cerrno>
#include <cstdlib>

extern "C" {
void* __libc_malloc(size_t size);
void __libc_free(void* ptr);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* ptr, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
}

namespace {

bool g_counting = false;
int64_t g_live = 0;
int64_t g_peak = 0;
uint64_t g_allocations = 0;

inline void added(void* ptr) {
  if (!g_counting || ptr == nullptr) return;
  g_live += static_cast<int64_t>(malloc_usable_size(ptr));
  if (g_live > g_peak) g_peak = g_live;
  ++g_allocations;
}

inline void removed(void* ptr) {
  if (!g_counting || ptr == nullptr) return;
  g_live -= static_cast<int64_t>(malloc_usable_size(ptr));
}

}  // namespace

namespace tern_bench::heap {

void start() {
  g_live = 0;
  g_peak = 0;
  g_allocations = 0;
  g_counting = true;
}
void stop() { g_counting = false; }
bool counting() { return g_counting; }
int64_t live() { return g_live; }
int64_t peak() { return g_peak; }
void reset_peak() { g_peak = g_live; }
uint64_t allocations() { return g_allocations; }

}  // namespace tern_bench::heap

extern "C" {

void* malloc(size_t size) noexcept {
  void* ptr = __libc_malloc(size);
  added(ptr);
  return ptr;
}

void free(void* ptr) noexcept {
  removed(ptr);
  __libc_free(ptr);
}

void* calloc(size_t count, size_t size) noexcept {
  void* ptr = __libc_calloc(count, size);
  added(ptr);
  return ptr;
}

void* realloc(void* ptr, size_t size) noexcept {
  if (ptr == nullptr) return malloc(size);
  size_t old_size = malloc_usable_size(ptr);
  void* moved = __libc_realloc(ptr, size);
  if (!g_counting) return moved;
  if (moved == nullptr) {
    if (size == 0) g_live -= static_cast<int64_t>(old_size);  // glibc freed the block
    return moved;                                            // else: ptr is still valid
  }
  g_live += static_cast<int64_t>(malloc_usable_size(moved)) - static_cast<int64_t>(old_size);
  if (g_live > g_peak) g_peak = g_live;
  if (moved != ptr) ++g_allocations;
  return moved;
}

void* memalign(size_t alignment, size_t size) noexcept {
  void* ptr = __libc_memalign(alignment, size);
  added(ptr);
  return ptr;
}

void* aligned_alloc(size_t alignment, size_t size) noexcept { return memalign(alignment, size); }

int posix_memalign(void** out, size_t alignment, size_t size) noexcept {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* ptr = memalign(alignment, size);
  if (ptr == nullptr) return ENOMEM;
  *out = ptr;
  return 0;
}

void* valloc(size_t size) noexcept { return memalign(4096, size); }

void* pvalloc(size_t size) noexcept { return memalign(4096, (size + 4095) & ~size_t{4095}); }

}  // extern "C"

extern "C" void* reallocarray(void* ptr, size_t count, size_t size) noexcept {
  size_t total = 0;
  if (__builtin_mul_overflow(count, size, &total)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(ptr, total);
}
