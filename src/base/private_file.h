// SPDX-License-Identifier: Apache-2.0
// Small files that may hold secrets (session files, ticket keys, a local CA's key and
// index): bounded reads (a file is untrusted input), writes that never leave half a file
// or a readable key behind, and a lock that serialises updates. Errors name the file, what
// it is for and the OS error.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>

#include "base/secret.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::base {

// The whole of a regular file of at most `max_size` bytes. With `owner_only`, a file that
// any group or other permission bit is set on is refused, with the chmod that fixes it.
// `what` names the file's purpose in messages ("CA key").
Result<base::SecretBytes> read_file(const std::string& path, size_t max_size, const char* what,
                                    bool owner_only);

// Writes `contents` with `mode` through a temporary file in the same directory renamed
// over `path`: a reader sees the old file or the new one, never half of one, and a key is
// never readable by others, not even for a moment.
Result<void> replace_file(const std::string& path, BytesView contents, mode_t mode,
                          const char* what);

// Creates `path` with `mode`; fails if it exists (a CA key is never overwritten).
Result<void> create_file(const std::string& path, BytesView contents, mode_t mode,
                         const char* what);

// A descriptor to append secrets to `path` (a key log), which is created with mode 0600
// whatever the umask. Refused, with what to do: a symlink (O_NOFOLLOW: it could lead
// anywhere), and an existing file that group or others may access (the secrets already in
// it are exposed; appending more would only add to them). The caller closes the descriptor.
Result<int> open_private_append(const std::string& path, const char* what);

// An exclusive flock on a lock file, released when this goes away.
class Lock {
 public:
  static Result<Lock> acquire(const std::string& path);
  Lock(Lock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Lock& operator=(Lock&&) = delete;
  Lock(const Lock&) = delete;
  ~Lock();

 private:
  explicit Lock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace tern::base
