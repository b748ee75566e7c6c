// SPDX-License-Identifier: Apache-2.0
// keylog_file(): the one way tern opens an SSLKEYLOGFILE.
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "base/private_file.h"
#include "tern/tls.h"

namespace tern {
namespace {

class KeylogFile {
 public:
  explicit KeylogFile(int fd) : fd_(fd) {}
  ~KeylogFile() { ::close(fd_); }
  KeylogFile(const KeylogFile&) = delete;
  KeylogFile& operator=(const KeylogFile&) = delete;

  // One write per line (O_APPEND): lines from several processes sharing the file do not
  // interleave. A failed write is dropped: a key log is a debugging aid, not the connection.
  void append(const std::string& line) {
    std::string text = line + '\n';
    std::lock_guard lock(mutex_);
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
  std::mutex mutex_;
};

}  // namespace

Result<std::function<void(const std::string& line)>> keylog_file(const std::string& path) {
  TERN_TRY(int fd, base::open_private_append(path, "key log file"));
  auto file = std::make_shared<KeylogFile>(fd);
  return std::function<void(const std::string&)>(
      [file](const std::string& line) { file->append(line); });
}

}  // namespace tern
