// SPDX-License-Identifier: Apache-2.0
#include "base/private_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace tern::base {
namespace {

Error io_error(const char* doing, const char* what, const std::string& path, int err) {
  return Error(Errc::io, std::string("cannot ") + doing + " the " + what + " " + path + ": " +
                             std::strerror(err));
}

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Closes on every path out, keeping the errno of the failure that matters.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) {
      int saved = errno;
      ::close(fd_);
      errno = saved;
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  // close(2) can report a delayed write error: a written file is only good if it succeeds.
  bool close_checked() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

bool write_all(int fd, BytesView data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    data = data.subspan(static_cast<size_t>(n));
  }
  return true;
}

Result<void> fill(Fd& fd, BytesView contents, const char* what, const std::string& path) {
  if (!write_all(fd.get(), contents) || ::fsync(fd.get()) != 0 || !fd.close_checked())
    return io_error("write", what, path, errno);
  return ok();
}

}  // namespace

Result<base::SecretBytes> read_file(const std::string& path, size_t max_size, const char* what,
                                    bool owner_only) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return io_error("open", what, path, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("read", what, path, errno);
  if (!S_ISREG(st.st_mode))
    return Error(Errc::io, std::string("the ") + what + " " + path + " is not a regular file");
  if (owner_only && (st.st_mode & 077))
    return Error(Errc::usage, std::string("the ") + what + " " + path +
                                  " is accessible by group or others (mode " +
                                  octal_mode(st.st_mode) + "); run: chmod 600 " + path);
  auto too_large = [&] {
    return Error(Errc::decode, std::string("the ") + what + " " + path + " is larger than " +
                                   std::to_string(max_size) + " bytes; is it the right file?");
  };
  if (st.st_size < 0 || static_cast<uint64_t>(st.st_size) > max_size) return too_large();
  // One byte more than the size seen, to notice a file that grows while we read it.
  base::SecretBytes buf(std::min(max_size, static_cast<size_t>(st.st_size)) + 1);
  size_t total = 0;
  while (total < buf.size()) {
    ssize_t n = ::read(fd.get(), buf.data() + total, buf.size() - total);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("read", what, path, errno);
    if (n == 0) break;
    total += static_cast<size_t>(n);
  }
  if (total > static_cast<size_t>(st.st_size)) return too_large();  // it grew meanwhile
  buf.resize(total);
  return buf;
}

Result<void> replace_file(const std::string& path, BytesView contents, mode_t mode,
                          const char* what) {
  // mkstemp creates the file with mode 0600 whatever the umask; widen it only after.
  std::string tmp = path + ".XXXXXX";
  Fd fd(::mkstemp(tmp.data()));
  if (fd.get() < 0) return io_error("create", what, path, errno);
  Result<void> written = ok();
  if (::fchmod(fd.get(), mode) != 0) written = io_error("create", what, path, errno);
  if (written) written = fill(fd, contents, what, path);
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0)
    written = io_error("replace", what, path, errno);
  if (!written) ::unlink(tmp.c_str());
  return written;
}

Result<void> create_file(const std::string& path, BytesView contents, mode_t mode,
                         const char* what) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    if (errno == EEXIST)
      return Error(Errc::usage, std::string("the ") + what + " " + path +
                                    " already exists; remove it first to make a new one");
    return io_error("create", what, path, errno);
  }
  Result<void> written = ok();
  if (::fchmod(fd.get(), mode) != 0) written = io_error("create", what, path, errno);
  if (written) written = fill(fd, contents, what, path);
  if (!written) ::unlink(path.c_str());
  return written;
}

Result<int> open_private_append(const std::string& path, const char* what) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
               0600));
  if (fd.get() < 0) {
    if (errno == ELOOP)
      return Error(Errc::usage, std::string("the ") + what + " " + path +
                                    " is a symbolic link; give the path of the file itself");
    return io_error("open", what, path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("open", what, path, errno);
  // A file made just now has 0600; an older one keeps whatever mode it was given.
  if (st.st_mode & 077)
    return Error(Errc::usage, std::string("the ") + what + " " + path +
                                  " is accessible by group or others (mode " +
                                  octal_mode(st.st_mode) +
                                  ") but holds secrets; run: chmod 600 " + path +
                                  " (or remove it)");
  return fd.release();
}

Result<Lock> Lock::acquire(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return io_error("open", "lock file", path, errno);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    int err = errno;
    ::close(fd);
    return io_error("lock", "lock file", path, err);
  }
  return Lock(fd);
}

Lock::~Lock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace tern::base
