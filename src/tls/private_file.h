// Small files that hold secrets: session files and ticket key files. Reading bounds the
// size (a file is untrusted input) and writing never leaves the secret readable by others.
// Errors name the file, what it is for and the OS error.
#pragma once

#include <cstddef>
#include <string>

#include "base/secret.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::tls {

// The whole of a regular file of at most `max_size` bytes. With `owner_only`, a file that
// any group or other permission bit is set on is refused too. `what` names the file's
// purpose in messages ("session file").
Result<base::SecretBytes> read_private_file(const std::string& path, size_t max_size,
                                            const char* what, bool owner_only);

// Writes `contents` with mode 0600. `replace`: through a temporary file in the same
// directory renamed over `path`, so readers see the old file or the new one, never half
// of one. Otherwise `path` must not exist yet (a key file is never overwritten by
// accident).
Result<void> write_private_file(const std::string& path, BytesView contents, const char* what,
                                bool replace);

}  // namespace tern::tls
