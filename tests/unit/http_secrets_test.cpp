// SPDX-License-Identifier: Apache-2.0
// What `tern serve` never sends (src/http/secrets.cpp): credential files by identity,
// private keys and tern's own secrets by content, and the start-up scan.
#include "http/secrets.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/encoding.h"

namespace tern::http {
namespace {

namespace fs = std::filesystem;
const std::string kData = std::string(TERN_TEST_DATA_DIR) + "/x509/";

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool secret(std::string_view content) {
  return secret_content(content, content.size()).has_value();
}

// Every key form the test data holds, as PEM and as the DER inside it.
TEST(SecretContent, PrivateKeysInPemAndDer) {
  for (const char* name :
       {"leaf-p256.key", "leaf-p256-sec1.key", "leaf-p256-encrypted.key", "root-rsa.key",
        "root-rsa-pkcs1.key", "leaf-pss.key", "ed25519.key", "ca-p384.key"}) {
    std::string pem = read_all(kData + name);
    ASSERT_FALSE(pem.empty()) << name;
    EXPECT_TRUE(secret(pem)) << name;
    auto blocks = base::parse_pem(pem);
    ASSERT_TRUE(blocks && blocks->size() == 1) << name;
    std::string der(blocks->front().der.begin(), blocks->front().der.end());
    auto why = secret_content(der, der.size());
    EXPECT_TRUE(why.has_value()) << name;
    if (why) {
      EXPECT_NE(why->find("DER"), std::string::npos) << *why;
    }
    // A DER key is recognised as the whole file only: not as the start of a longer one.
    EXPECT_FALSE(secret_content(der, der.size() + 1).has_value()) << name;
  }
}

TEST(SecretContent, PemLabelsAndTernFiles) {
  EXPECT_TRUE(
      secret("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n"));
  EXPECT_TRUE(secret("-----BEGIN DSA PRIVATE KEY-----\r\nAA==\r\n"));
  // A bundle: the key after its certificates, and indented boundaries (PEM parsers allow it).
  std::string bundle = read_all(kData + "leaf-p256.pem") + read_all(kData + "ca-p384.pem") +
                       "  -----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  EXPECT_TRUE(secret(bundle));
  EXPECT_TRUE(secret("-----BEGIN TERN SESSION-----\nAAAA\n-----END TERN SESSION-----\n"));
  EXPECT_TRUE(secret("# tern session ticket key. Servers that share this file resume ...\n00ff\n"));
  auto why = secret_content("-----BEGIN EC PRIVATE KEY-----\n", 31);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "a PEM EC PRIVATE KEY block");
}

TEST(SecretContent, PublicFilesAreServed) {
  for (const char* name : {"leaf-p256.pem", "ca-p384.pem", "root-rsa.pem", "crl-root.pem"})
    EXPECT_FALSE(secret(read_all(kData + name))) << name;
  std::string cert_der = read_all(kData + "leaf-p256.der");
  EXPECT_FALSE(secret_content(cert_der, cert_der.size())) << "a DER certificate";
  EXPECT_FALSE(secret("<p>Keys look like -----BEGIN PRIVATE KEY----- in a file.</p>\n"));
  EXPECT_FALSE(secret("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
  EXPECT_FALSE(secret(""));
  EXPECT_FALSE(secret(std::string("\x30\x03\x02\x01\x00", 5)));      // a SEQUENCE, no key
  EXPECT_FALSE(secret(std::string("\x30\x84\xff\xff\xff\xff", 6)));  // bad length
}

class SecretFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("tern-http-secrets-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(base_);
  }
  void TearDown() override { fs::remove_all(base_); }
  fs::path base_;
};

TEST_F(SecretFiles, CredentialFilesByIdentity) {
  std::ofstream(base_ / "ticket.keys") << "00ff\n";
  std::ofstream(base_ / "other.txt") << "x";
  fs::create_hard_link(base_ / "ticket.keys", base_ / "hard-link");
  fs::create_symlink(base_ / "ticket.keys", base_ / "sym-link");
  fs::create_directories(base_ / "roots");
  std::ofstream(base_ / "roots/a.pem") << "a";
  CredentialFiles files;
  files.add((base_ / "sym-link").string());  // recorded through the link
  files.add((base_ / "roots").string());     // a directory: its files
  files.add((base_ / "missing").string());
  auto recorded = [&](const char* name) {
    struct stat st {};
    EXPECT_EQ(::stat((base_ / name).c_str(), &st), 0) << name;
    return files.contains(st);
  };
  EXPECT_TRUE(recorded("ticket.keys"));
  EXPECT_TRUE(recorded("hard-link"));
  EXPECT_TRUE(recorded("roots/a.pem"));
  EXPECT_FALSE(recorded("other.txt"));
}

TEST_F(SecretFiles, ContentOfAnOpenFileAndTheScan) {
  fs::create_directories(base_ / "pki");
  fs::create_directories(base_ / ".git");
  fs::create_directories(base_ / "a/b/c/d");
  fs::copy_file(kData + "root-rsa.key", base_ / "pki/root.key");
  fs::copy_file(kData + "root-rsa.pem", base_ / "pki/root.pem");
  fs::copy_file(kData + "ed25519.key", base_ / ".git/hidden.key");   // dot-directory: skipped
  fs::copy_file(kData + "ed25519.key", base_ / "a/b/c/d/deep.key");  // beyond kMaxDepth
  fs::copy_file(kData + "ed25519.key", base_ / "a/b/c/shallow.key");
  std::ofstream(base_ / "index.html") << "<p>hi</p>";
  int fd = ::open((base_ / "pki/root.key").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(secret_content_of(fd, fs::file_size(base_ / "pki/root.key")));
  EXPECT_EQ(::lseek(fd, 0, SEEK_CUR), 0);  // pread: the offset did not move
  ::close(fd);

  SecretScan scan = scan_for_secrets(base_.string());
  EXPECT_EQ(scan.found, (std::vector<std::string>{"a/b/c/shallow.key", "pki/root.key"}));
  EXPECT_TRUE(scan.incomplete);  // a/b/c/d was too deep
}

TEST_F(SecretFiles, TheScanStopsAtItsFileLimit) {
  for (size_t i = 0; i < SecretScan::kMaxFiles + 10; ++i)
    std::ofstream(base_ / ("f" + std::to_string(i))) << "x";
  SecretScan scan = scan_for_secrets(base_.string());
  EXPECT_TRUE(scan.found.empty());
  EXPECT_TRUE(scan.incomplete);
}

}  // namespace
}  // namespace tern::http
