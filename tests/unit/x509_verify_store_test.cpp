// SPDX-License-Identifier: Apache-2.0
// TrustStore loading (files, directories, the system bundle) and CertificateInfo.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/encoding.h"
#include "x509_verify_fixture.h"

namespace tern::x509::verify_testing {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("tern-x509verify-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& contents) const {
    std::ofstream(path_ / name, std::ios::binary) << contents;
    return (path_ / name).string();
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

std::string pem(const Node& node) { return base::to_pem("CERTIFICATE", node.der); }

TEST(X509VerifyStore, LoadsAPemFileAndRemembersTheSource) {
  TempDir dir;
  Node r1 = root("CN=Root One"), r2 = root("CN=Root Two");
  std::string file = dir.write("roots.pem", "# two roots\n" + pem(r1) + pem(r2));
  auto store = TrustStore::load(file);
  ASSERT_TRUE(store.ok()) << store.error().detail;
  ASSERT_EQ(store->size(), 2u);
  EXPECT_EQ(store->anchors()[1].first.info().subject, "CN=Root Two");
  EXPECT_EQ(store->anchors()[1].second, file);

  auto chain = verify_chain(cert(leaf(r2).der), {}, *store, {}, options());
  ASSERT_TRUE(chain.ok()) << chain.error().detail;
  EXPECT_EQ(chain->anchor_source, file);
}

TEST(X509VerifyStore, LoadsADirectory) {
  TempDir dir;
  Node r1 = root("CN=Root One"), r2 = root("CN=Root Two");
  dir.write("a.pem", pem(r1));
  dir.write("b.crt", pem(r2));
  auto store = TrustStore::load(dir.path());
  ASSERT_TRUE(store.ok()) << store.error().detail;
  EXPECT_EQ(store->size(), 2u);
}

TEST(X509VerifyStore, AUsersFileWithABadCertificateFailsNamingIt) {
  TempDir dir;
  Node r1 = root("CN=Root One");
  Bytes broken = r1.der;
  broken[broken.size() / 2] ^= 0xff;
  broken.resize(broken.size() - 3);
  std::string file = dir.write("roots.pem", pem(r1) + base::to_pem("CERTIFICATE", broken));
  auto store = TrustStore::load(file);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().detail.find(file), std::string::npos) << store.error().detail;
  EXPECT_NE(store.error().detail.find("certificate #2"), std::string::npos) << store.error().detail;
}

TEST(X509VerifyStore, MissingFileIsAnIoError) {
  auto store = TrustStore::load("/nonexistent/tern/roots.pem");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, Errc::io);
  EXPECT_NE(store.error().detail.find("/nonexistent/tern/roots.pem"), std::string::npos);
}

TEST(X509VerifyStore, SystemBundleLoadsWhenPresent) {
  if (!fs::exists("/etc/ssl/certs/ca-certificates.crt")) GTEST_SKIP() << "no system bundle";
  auto store = TrustStore::system();
  ASSERT_TRUE(store.ok()) << store.error().detail;
  EXPECT_GT(store->size(), 50u);
  EXPECT_EQ(store->anchors().front().second, "/etc/ssl/certs/ca-certificates.crt");
}

TEST(X509VerifyStore, CertificateInfoDescribesTheCertificate) {
  Node r = root();
  Node l = leaf(r, [](CertificateBuilder& b) {
    b.serial(Bytes{0x01, 0xa2})
        .subject_alt_names(
            {GeneralNameSpec::dns("example.com"), GeneralNameSpec::ip(Bytes{127, 0, 0, 1})});
  });
  CertificateInfo info = cert(l.der).info();
  EXPECT_EQ(info.subject, "CN=example.com");
  EXPECT_EQ(info.issuer, "CN=Test Root");
  EXPECT_EQ(info.serial, "01:A2");
  EXPECT_EQ(info.not_before, kNow - 365 * kDay);
  EXPECT_EQ(info.not_after, kNow + 365 * kDay);
  EXPECT_EQ(info.names, (std::vector<std::string>{"DNS:example.com", "IP:127.0.0.1"}));
  EXPECT_EQ(info.key, "EC P-256");
  EXPECT_FALSE(info.is_ca);
  EXPECT_EQ(info.sha256_fingerprint.size(), 32u * 3 - 1);
  EXPECT_TRUE(cert(r.der).info().is_ca);
}

}  // namespace
}  // namespace tern::x509::verify_testing
