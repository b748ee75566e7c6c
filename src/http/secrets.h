// SPDX-License-Identifier: Apache-2.0
// What `tern serve` never sends, whatever the path: the files it loaded credentials from
// (known by device and inode, so a symlink or a hard link to them is refused too) and files
// whose content is a private key or one of tern's own secrets. See docs/cli.md, `tern serve`.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tern::http {

// The files this server read secrets from (--key, --ticket-keys, --client-ca, SSLKEYLOGFILE).
class CredentialFiles {
 public:
  // Records the file `path` leads to (symlinks followed); a directory records the regular
  // files directly in it (a --client-ca directory), at most kMaxDirectoryEntries of them.
  void add(const std::string& path);
  // Whether `st` (from stat/fstat) is one of the recorded files.
  bool contains(const struct stat& st) const;
  bool empty() const { return files_.empty(); }

  static constexpr size_t kMaxDirectoryEntries = 4096;

 private:
  struct Identity {
    dev_t device;
    ino_t inode;
    bool operator==(const Identity&) const = default;
  };
  std::vector<Identity> files_;
};

// Bytes read from the start of a file to judge its content: a key, even a bundle of a key
// and its certificate chain, is far smaller. A key past this offset is not looked for.
constexpr size_t kSecretSniffBytes = 64 * 1024;

// Why the `head` of a file (its first kSecretSniffBytes bytes, or all of it) of `file_size`
// bytes must not be served, or nullopt: a PEM block whose label names a private key (PRIVATE
// KEY, ENCRYPTED PRIVATE KEY, RSA/EC/DSA/OPENSSH PRIVATE KEY, ...), a DER private key (PKCS#8,
// encrypted PKCS#8, PKCS#1 RSA, SEC1 EC: the whole file one such structure), a tern session
// file (TERN SESSION) or a tern ticket key file.
std::optional<std::string> secret_content(std::string_view head, uint64_t file_size);

// The same for the open file `fd` (reads at most kSecretSniffBytes with pread, so the file
// offset does not move). A file that cannot be read counts as secret.
std::optional<std::string> secret_content_of(int fd, uint64_t file_size);

// The files under `root` whose content is secret, found at start-up to warn about: at most
// kMaxDepth directory levels and kMaxFiles files are looked at; dotfiles and dot-directories
// are skipped (never served anyway).
struct SecretScan {
  std::vector<std::string> found;  // paths relative to root
  bool incomplete = false;         // a limit stopped the scan
  static constexpr int kMaxDepth = 4;
  static constexpr size_t kMaxFiles = 2000;
};
SecretScan scan_for_secrets(const std::string& root);

}  // namespace tern::http
