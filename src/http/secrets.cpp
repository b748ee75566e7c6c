// SPDX-License-Identifier: Apache-2.0
#include "http/secrets.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

namespace tern::http {

void CredentialFiles::add(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  if (!S_ISDIR(st.st_mode)) {
    files_.push_back({st.st_dev, st.st_ino});
    return;
  }
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
  if (!dir) return;
  size_t seen = 0;
  while (const dirent* entry = ::readdir(dir.get())) {
    if (++seen > kMaxDirectoryEntries) break;
    struct stat file {};
    if (::fstatat(::dirfd(dir.get()), entry->d_name, &file, 0) == 0 && S_ISREG(file.st_mode))
      files_.push_back({file.st_dev, file.st_ino});
  }
}

bool CredentialFiles::contains(const struct stat& st) const {
  return std::find(files_.begin(), files_.end(), Identity{st.st_dev, st.st_ino}) != files_.end();
}

namespace {

// A PEM encapsulation boundary "-----BEGIN LABEL-----" at the start of a line (after blanks,
// as PEM parsers allow) whose label says it holds a secret.
std::optional<std::string> secret_pem_label(std::string_view text) {
  constexpr std::string_view kBegin = "-----BEGIN ", kDashes = "-----";
  for (size_t at = text.find(kBegin); at != std::string_view::npos;
       at = text.find(kBegin, at + 1)) {
    size_t line_start = at;
    while (line_start > 0 && (text[line_start - 1] == ' ' || text[line_start - 1] == '\t'))
      --line_start;
    if (line_start > 0 && text[line_start - 1] != '\n') continue;
    std::string_view rest = text.substr(at + kBegin.size());
    std::string_view label = rest.substr(0, rest.find_first_of("\r\n"));
    size_t dashes = label.find(kDashes);
    if (dashes == std::string_view::npos) continue;
    label = label.substr(0, dashes);
    if (label.find("PRIVATE KEY") == std::string_view::npos && label != "TERN SESSION") continue;
    std::string shown(label);  // for the log: printable ASCII only
    for (char& c : shown)
      if (c < ' ' || c > '~') c = '?';
    return "a PEM " + shown + " block";
  }
  return std::nullopt;
}

// DER, just enough to recognise the shape of a private key: definite-length TLVs.
struct Der {
  explicit Der(std::string_view der) : data(der) {}
  std::string_view data;
  size_t at = 0;
  uint8_t tag = 0;
  std::string_view value;

  // Reads the next TLV; false at the end or on a malformed one.
  bool next() {
    if (data.size() - at < 2) return false;
    tag = static_cast<uint8_t>(data[at]);
    size_t len = static_cast<uint8_t>(data[at + 1]);
    size_t header = 2;
    if (len & 0x80) {
      size_t octets = len & 0x7f;
      if (octets == 0 || octets > 3 || data.size() - at < 2 + octets) return false;
      len = 0;
      for (size_t i = 0; i < octets; ++i) len = len << 8 | static_cast<uint8_t>(data[at + 2 + i]);
      header += octets;
    }
    if (data.size() - at - header < len) return false;
    value = data.substr(at + header, len);
    at += header + len;
    return true;
  }
};

constexpr uint8_t kInteger = 0x02, kOctetString = 0x04, kOid = 0x06, kSequence = 0x30;

// The whole file is one SEQUENCE shaped like PKCS#8 PrivateKeyInfo/OneAsymmetricKey
// {0|1, AlgorithmIdentifier, OCTET STRING}, PKCS#1 RSAPrivateKey / OpenSSL DSA {0, INTEGER,
// INTEGER, ...}, SEC1 ECPrivateKey {1, OCTET STRING, ...} or EncryptedPrivateKeyInfo
// {{PBES1/PBES2/PKCS#12 PBE OID, ...}, OCTET STRING}.
std::optional<std::string> der_private_key(std::string_view head, uint64_t file_size) {
  Der outer{head};
  if (!outer.next() || outer.tag != kSequence || outer.at != file_size) return std::nullopt;
  Der in{outer.value};
  if (!in.next()) return std::nullopt;
  if (in.tag == kInteger && in.value.size() == 1 && (in.value[0] == 0 || in.value[0] == 1)) {
    bool v0 = in.value[0] == 0;
    if (!in.next()) return std::nullopt;
    uint8_t second = in.tag;
    if (!in.next()) return std::nullopt;
    if (second == kSequence && in.tag == kOctetString) return "a DER PKCS#8 private key";
    if (v0 && second == kInteger && in.tag == kInteger) return "a DER PKCS#1 private key";
    if (!v0 && second == kOctetString) return "a DER SEC1 EC private key";
    return std::nullopt;
  }
  if (in.tag != kSequence) return std::nullopt;
  Der algorithm{in.value};
  if (!algorithm.next() || algorithm.tag != kOid) return std::nullopt;
  // 1.2.840.113549.1.5 (PKCS#5 PBES1/PBES2) and 1.2.840.113549.1.12.1 (PKCS#12 PBE).
  constexpr std::string_view kPkcs5("\x2a\x86\x48\x86\xf7\x0d\x01\x05", 8);
  constexpr std::string_view kPkcs12Pbe("\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x01", 9);
  if (!algorithm.value.starts_with(kPkcs5) && !algorithm.value.starts_with(kPkcs12Pbe))
    return std::nullopt;
  if (!in.next() || in.tag != kOctetString) return std::nullopt;
  return "a DER encrypted PKCS#8 private key";
}

}  // namespace

std::optional<std::string> secret_content(std::string_view head, uint64_t file_size) {
  // The first line of the files TicketKeys::write_key_file makes.
  if (head.starts_with("# tern session ticket key")) return "a tern ticket key file";
  if (auto pem = secret_pem_label(head)) return pem;
  return der_private_key(head, file_size);
}

std::optional<std::string> secret_content_of(int fd, uint64_t file_size) {
  std::string head(static_cast<size_t>(std::min<uint64_t>(file_size, kSecretSniffBytes)), '\0');
  size_t got = 0;
  while (got < head.size()) {
    ssize_t n = ::pread(fd, head.data() + got, head.size() - got, static_cast<off_t>(got));
    if (n < 0) return "a file that cannot be read";
    if (n == 0) break;  // shrank meanwhile
    got += static_cast<size_t>(n);
  }
  head.resize(got);
  return secret_content(head, file_size);
}

namespace {

void scan_directory(int dir_fd, const std::string& relative, int depth, SecretScan& scan,
                    size_t& files) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(dir_fd), ::closedir);
  if (!dir) {
    ::close(dir_fd);
    return;
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir.get())) {
    if (names.size() >= SecretScan::kMaxFiles) {
      scan.incomplete = true;
      break;
    }
    if (entry->d_name[0] != '.') names.emplace_back(entry->d_name);
  }
  std::sort(names.begin(), names.end());  // the same report every run
  for (const std::string& name : names) {
    // Symlinks are not followed (a link inside DIR leads to a file seen on its own; one out
    // of DIR is never served), and nothing but a directory or a regular file is opened.
    struct stat st {};
    if (::fstatat(::dirfd(dir.get()), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    std::string path = relative.empty() ? name : relative + "/" + name;
    if (S_ISDIR(st.st_mode)) {
      if (depth + 1 >= SecretScan::kMaxDepth) {
        scan.incomplete = true;
        continue;
      }
      int fd = ::openat(::dirfd(dir.get()), name.c_str(),
                        O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0) scan_directory(fd, path, depth + 1, scan, files);  // takes fd
    } else if (S_ISREG(st.st_mode)) {
      if (++files > SecretScan::kMaxFiles) {
        scan.incomplete = true;
        return;
      }
      int fd = ::openat(::dirfd(dir.get()), name.c_str(),
                        O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0) continue;
      if (secret_content_of(fd, static_cast<uint64_t>(st.st_size))) scan.found.push_back(path);
      ::close(fd);
    }
  }
}

}  // namespace

SecretScan scan_for_secrets(const std::string& root) {
  SecretScan scan;
  size_t files = 0;
  int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) scan_directory(fd, "", 0, scan, files);
  return scan;
}

}  // namespace tern::http
