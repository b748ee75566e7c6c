// SPDX-License-Identifier: Apache-2.0
// LocalCa (tern/ca.h): a CA directory made, used and damaged; every leaf it issues checked
// with the library's own path validation, as a client would check it.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tern/ca.h"
#include "x509/builder.h"
#include "x509/certificate.h"

namespace tern {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kDay = 86400;
constexpr int64_t kNow = 1750000000;  // 2025-06-15 15:06:40 UTC

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tern-local-ca-XXXXXX").string();
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// A CA in its own temporary directory ("ca" inside it); leaves go to "out".
struct Fixture {
  TempDir tmp;
  std::string ca_dir = tmp.file("ca");
  std::string out_dir = tmp.file("out");

  explicit Fixture(CaInitOptions options = {}) {
    fs::create_directories(out_dir);
    if (options.now == 0) options.now = kNow;
    if (options.owner.empty()) options.owner = "dev@box";
    auto ca = LocalCa::init(ca_dir, options);
    EXPECT_TRUE(ca.ok()) << (ca.ok() ? "" : ca.error().detail);
  }

  LocalCa open() {
    auto ca = LocalCa::open(ca_dir);
    EXPECT_TRUE(ca.ok()) << (ca.ok() ? "" : ca.error().detail);
    return std::move(*ca);
  }

  CaIssueOptions issue_options(bool client = false, CaKeyType key = CaKeyType::p256) const {
    CaIssueOptions options;
    options.client = client;
    options.key = key;
    options.out_dir = out_dir;
    options.now = kNow;
    return options;
  }

  Result<VerifiedChain> verify(const IssuedCertificate& issued, const std::string& hostname,
                               Purpose purpose = Purpose::server,
                               const std::vector<Crl>& crls = {}) {
    auto roots = TrustStore::load(ca_dir + "/root.pem");
    EXPECT_TRUE(roots.ok());
    auto leaf = Certificate::load_file(issued.certificate_path);
    EXPECT_TRUE(leaf.ok());
    VerifyOptions options;
    options.time = kNow + kDay;
    options.hostname = hostname;
    options.purpose = purpose;
    return verify_chain(leaf->front(), {}, *roots, crls, options);
  }
};

TEST(LocalCa, InitMakesAPrivateDirectoryAndAProperRoot) {
  Fixture f;
  EXPECT_EQ(mode_of(f.ca_dir), 0700u);
  EXPECT_EQ(mode_of(f.ca_dir + "/root.key"), 0600u);
  EXPECT_EQ(mode_of(f.ca_dir + "/root.pem"), 0644u);
  EXPECT_TRUE(fs::exists(f.ca_dir + "/index"));
  LocalCa ca = f.open();
  const x509::Certificate& root = ca.root().internal();
  ASSERT_TRUE(root.basic_constraints.has_value());
  EXPECT_TRUE(root.basic_constraints->ca);
  EXPECT_EQ(root.basic_constraints->path_len, 0u);
  EXPECT_EQ(root.key_usage, uint16_t{x509::kKeyCertSign | x509::kCrlSign});
  for (const auto& ext : root.extensions) {
    if (equal(ext.id, x509::oid::kBasicConstraints) || equal(ext.id, x509::oid::kKeyUsage)) {
      EXPECT_TRUE(ext.critical) << x509::oid::describe(ext.id);
    }
  }
  EXPECT_FALSE(root.subject_key_id.empty());
  EXPECT_FALSE(root.name_constraints.has_value());
  EXPECT_EQ(root.not_before, kNow - 3600);
  EXPECT_EQ(root.not_after, kNow + 3652 * kDay);
  EXPECT_TRUE(contains(ca.nickname(), "tern local CA dev@box ")) << ca.nickname();
  EXPECT_TRUE(contains(ca.root().info().subject, "OU=dev@box")) << ca.root().info().subject;
  EXPECT_EQ(ca.key_type(), CaKeyType::p256);
  EXPECT_TRUE(ca.records().empty());
}

TEST(LocalCa, InitRefusesADirectoryThatHoldsACa) {
  Fixture f;
  CaInitOptions options;
  options.now = kNow;
  auto again = LocalCa::init(f.ca_dir, options);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::usage);
  EXPECT_TRUE(contains(again.error().detail, "a CA already exists in")) << again.error().detail;
}

TEST(LocalCa, LeafVerifiesForEveryNameWithSanEkuAndKeyIds) {
  Fixture f;
  LocalCa ca = f.open();
  auto issued = ca.issue({"localhost", "127.0.0.1", "::1", "*.Example.Test"}, f.issue_options());
  ASSERT_TRUE(issued.ok()) << issued.error().detail;
  EXPECT_EQ(issued->certificate_path, f.out_dir + "/localhost+3.pem");
  EXPECT_EQ(issued->key_path, f.out_dir + "/localhost+3-key.pem");
  EXPECT_EQ(issued->fullchain_path, f.out_dir + "/localhost+3-fullchain.pem");
  EXPECT_EQ(mode_of(issued->key_path), 0600u);
  EXPECT_EQ(read_text(issued->fullchain_path), read_text(issued->certificate_path));
  EXPECT_EQ(issued->record.names,
            (std::vector<std::string>{"localhost", "127.0.0.1", "::1", "*.example.test"}));
  for (const char* name : {"localhost", "127.0.0.1", "::1", "app.example.test"}) {
    auto chain = f.verify(*issued, name);
    EXPECT_TRUE(chain.ok()) << name << ": " << chain.error().detail;
  }
  EXPECT_FALSE(f.verify(*issued, "example.test").ok());  // the wildcard needs a label
  EXPECT_FALSE(f.verify(*issued, "other.test").ok());

  const x509::Certificate& leaf = issued->certificate.internal();
  EXPECT_EQ(leaf.subject.common_name(), "localhost");
  EXPECT_FALSE(leaf.basic_constraints && leaf.basic_constraints->ca);
  EXPECT_EQ(leaf.key_usage, uint16_t{x509::kDigitalSignature});
  ASSERT_TRUE(leaf.extended_key_usage.has_value());
  ASSERT_EQ(leaf.extended_key_usage->size(), 1u);
  EXPECT_TRUE(equal(leaf.extended_key_usage->front(), x509::oid::kEkuServerAuth));
  EXPECT_TRUE(equal(leaf.authority_key_id, ca.root().internal().subject_key_id));
  EXPECT_FALSE(leaf.subject_key_id.empty());
  EXPECT_EQ(leaf.serial.size(), 16u);
  EXPECT_LT(leaf.serial[0], 0x80);  // positive
  EXPECT_EQ(leaf.not_after, kNow + 825 * kDay);

  // The key file holds the leaf's key.
  auto key = x509::parse_private_key(as_bytes(read_text(issued->key_path)));
  ASSERT_TRUE(key.ok()) << key.error().detail;
  EXPECT_TRUE(equal((*key)->public_key()->spki(), leaf.spki));
  // And the index remembers it, also for a fresh open().
  ASSERT_EQ(f.open().records().size(), 1u);
  EXPECT_EQ(f.open().records()[0].serial, issued->record.serial);
}

TEST(LocalCa, ClientAndServerPurposesAreSeparate) {
  Fixture f;
  LocalCa ca = f.open();
  auto server = ca.issue({"localhost"}, f.issue_options(false));
  auto client = ca.issue({"localhost"}, f.issue_options(true));
  ASSERT_TRUE(server.ok() && client.ok());
  EXPECT_EQ(client->certificate_path, f.out_dir + "/localhost-client.pem");
  EXPECT_TRUE(f.verify(*server, "localhost", Purpose::server).ok());
  EXPECT_TRUE(f.verify(*client, "localhost", Purpose::client).ok());
  auto wrong_client = f.verify(*server, "localhost", Purpose::client);
  ASSERT_FALSE(wrong_client.ok());
  EXPECT_TRUE(contains(wrong_client.error().detail, "clientAuth")) << wrong_client.error().detail;
  auto wrong_server = f.verify(*client, "localhost", Purpose::server);
  ASSERT_FALSE(wrong_server.ok());
  EXPECT_TRUE(contains(wrong_server.error().detail, "serverAuth")) << wrong_server.error().detail;
}

TEST(LocalCa, EveryKeyTypeForCaAndLeaf) {
  for (CaKeyType ca_key : {CaKeyType::p256, CaKeyType::p384, CaKeyType::rsa2048,
                           CaKeyType::rsa3072, CaKeyType::ed25519}) {
    CaInitOptions init;
    init.key = ca_key;
    Fixture f(init);
    LocalCa ca = f.open();
    EXPECT_EQ(ca.key_type(), ca_key);
    for (CaKeyType leaf_key : {CaKeyType::p256, CaKeyType::rsa2048, CaKeyType::ed25519}) {
      SCOPED_TRACE(std::string(ca_key_type_name(ca_key)) + " CA, " +
                   ca_key_type_name(leaf_key) + " leaf");
      CaIssueOptions options = f.issue_options(false, leaf_key);
      options.out_dir = f.tmp.file("out/" + std::string(ca_key_type_name(leaf_key)));
      fs::create_directories(options.out_dir);
      auto issued = ca.issue({"localhost"}, options);
      ASSERT_TRUE(issued.ok()) << issued.error().detail;
      EXPECT_TRUE(f.verify(*issued, "localhost").ok());
      bool rsa = leaf_key == CaKeyType::rsa2048;
      EXPECT_EQ(issued->certificate.internal().key_usage,
                uint16_t(x509::kDigitalSignature | (rsa ? x509::kKeyEncipherment : 0)));
    }
  }
}

TEST(LocalCa, KeyTypeAndReasonNamesRoundTrip) {
  for (auto t : {CaKeyType::p256, CaKeyType::p384, CaKeyType::rsa2048, CaKeyType::rsa3072,
                 CaKeyType::ed25519})
    EXPECT_EQ(parse_ca_key_type(ca_key_type_name(t)), t);
  EXPECT_FALSE(parse_ca_key_type("rsa1024").has_value());
  for (auto r : {CrlReason::unspecified, CrlReason::key_compromise, CrlReason::superseded,
                 CrlReason::affiliation_changed, CrlReason::cessation_of_operation,
                 CrlReason::privilege_withdrawn})
    EXPECT_EQ(parse_crl_reason(crl_reason_name(r)), r);
  EXPECT_FALSE(parse_crl_reason("cACompromise").has_value());
}

TEST(LocalCa, SerialsAreUniqueRandomAndIndexed) {
  Fixture f;
  LocalCa ca = f.open();
  std::set<std::string> serials;
  for (int i = 0; i < 20; ++i) {
    auto issued = ca.issue({"host" + std::to_string(i) + ".test"}, f.issue_options());
    ASSERT_TRUE(issued.ok()) << issued.error().detail;
    EXPECT_EQ(issued->record.serial.size(), 32u);
    serials.insert(issued->record.serial);
  }
  EXPECT_EQ(serials.size(), 20u);
  LocalCa reopened = f.open();
  ASSERT_EQ(reopened.records().size(), 20u);
  for (const CaRecord& r : reopened.records()) EXPECT_EQ(serials.count(r.serial), 1u);
}

TEST(LocalCa, TwoHandlesOnOneDirectoryKeepEachOthersRecords) {
  Fixture f;
  LocalCa first = f.open();
  LocalCa second = f.open();
  ASSERT_TRUE(first.issue({"a.test"}, f.issue_options()).ok());
  ASSERT_TRUE(second.issue({"b.test"}, f.issue_options()).ok());  // re-reads the index
  EXPECT_EQ(f.open().records().size(), 2u);
}

TEST(LocalCa, RefusesBadNamesAndValidity) {
  Fixture f;
  LocalCa ca = f.open();
  auto refused = [&](const std::vector<std::string>& names, const std::string& why,
                     int days = 825) {
    CaIssueOptions options = f.issue_options();
    options.days = days;
    auto issued = ca.issue(names, options);
    ASSERT_FALSE(issued.ok()) << "issued for " << (names.empty() ? "nothing" : names[0]);
    EXPECT_EQ(issued.error().code, Errc::usage);
    EXPECT_TRUE(contains(issued.error().detail, why)) << issued.error().detail;
  };
  refused({}, "at least one");
  refused({""}, "empty name");
  refused({"exa mple.test"}, "neither a DNS name");
  refused({"https://example.test/"}, "looks like a URL");
  refused({"localhost:8443"}, "port");
  refused({"[::1]"}, "without brackets");
  refused({"a.*.test"}, "left-most label");
  refused({"*.test"}, "at least two labels");
  refused({"*.co.uk"}, "public suffix");
  refused({"*.s3.amazonaws.com"}, "public suffix");
  refused({"my_host.test"}, "underscores");
  refused({"*"}, "left-most label");
  refused({"999.1.1.1"}, "numeric label");
  refused({"localhost"}, "1 to 3650", 0);
  refused({"localhost"}, "1 to 3650", 3651);
  EXPECT_TRUE(ca.records().empty());
  // A leaf may not outlive the root: near its end, the days left are suggested.
  CaIssueOptions late = f.issue_options();
  late.now = kNow + 3652 * kDay - 100 * kDay;
  auto too_long = ca.issue({"localhost"}, late);
  ASSERT_FALSE(too_long.ok());
  EXPECT_TRUE(contains(too_long.error().detail, "use --days 100 or fewer"))
      << too_long.error().detail;
  late.now = kNow + 3653 * kDay;
  auto expired = ca.issue({"localhost"}, late);
  ASSERT_FALSE(expired.ok());
  EXPECT_TRUE(contains(expired.error().detail, "expired")) << expired.error().detail;
  CaIssueOptions nowhere = f.issue_options();
  nowhere.out_dir = f.tmp.file("missing");
  auto no_dir = ca.issue({"localhost"}, nowhere);
  ASSERT_FALSE(no_dir.ok());
  EXPECT_TRUE(contains(no_dir.error().detail, "does not exist")) << no_dir.error().detail;
}

CaInitOptions constrained(std::vector<std::string> constraints) {
  CaInitOptions options;
  options.name_constraints = std::move(constraints);
  return options;
}

TEST(LocalCa, NameConstraintsAreWrittenAndEnforcedAtIssue) {
  Fixture f(constrained({"localhost", ".Test"}));
  LocalCa ca = f.open();
  EXPECT_EQ(ca.name_constraints(), (std::vector<std::string>{"localhost", "test"}));
  const auto& nc = ca.root().internal().name_constraints;
  ASSERT_TRUE(nc.has_value());
  EXPECT_EQ(nc->excluded.size(), 2u);  // every IPv4 and every IPv6 address
  for (auto names : std::vector<std::vector<std::string>>{
           {"localhost"}, {"app.test"}, {"test"}, {"*.app.test"}, {"a.b.localhost"}}) {
    auto issued = ca.issue(names, f.issue_options());
    ASSERT_TRUE(issued.ok()) << names[0] << ": " << issued.error().detail;
    EXPECT_TRUE(f.verify(*issued, "").ok()) << names[0];
  }
  for (auto [name, why] : std::vector<std::pair<std::string, std::string>>{
           {"example.com", "outside its name constraints"},
           {"localhost.com", "outside its name constraints"},
           {"127.0.0.1", "no IP address"},
           {"::1", "no IP address"},
           {"*.com.example", "outside"}}) {
    auto issued = ca.issue({"localhost", name}, f.issue_options());
    ASSERT_FALSE(issued.ok()) << name;
    EXPECT_EQ(issued.error().code, Errc::usage);
    EXPECT_TRUE(contains(issued.error().detail, "may not vouch for " + name)) << name;
    EXPECT_TRUE(contains(issued.error().detail, why)) << issued.error().detail;
    EXPECT_TRUE(contains(issued.error().detail, "permit only localhost, test"))
        << issued.error().detail;
  }
  EXPECT_EQ(f.open().records().size(), 5u);  // nothing recorded for the refusals
}

TEST(LocalCa, NameConstraintsBindEvenALeafSignedBehindTheCasBack) {
  Fixture f(constrained({"localhost", "127.0.0.0/8"}));
  LocalCa ca = f.open();
  EXPECT_EQ(ca.name_constraints(), (std::vector<std::string>{"localhost", "127.0.0.0/8"}));
  // Sign a leaf for example.com with the CA's key directly: verification must refuse it.
  auto key = x509::parse_private_key(as_bytes(read_text(f.ca_dir + "/root.key")));
  ASSERT_TRUE(key.ok());
  const x509::Certificate& root = ca.root().internal();
  auto leaf_key = crypto::default_provider().generate_private_key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(leaf_key.ok());
  for (auto san : {x509::GeneralNameSpec::dns("example.com"),
                   x509::GeneralNameSpec::ip(Bytes{10, 0, 0, 1})}) {
    auto der = x509::CertificateBuilder()
                   .issuer(Bytes(root.subject.der.begin(), root.subject.der.end()))
                   .subject(std::string_view("O=rogue"))
                   .validity(kNow, kNow + 30 * kDay)
                   .public_key(*(*leaf_key)->public_key())
                   .basic_constraints(false)
                   .extended_key_usage({x509::build_oid::kEkuServerAuth})
                   .subject_alt_names({san})
                   .authority_key_id(Bytes(root.subject_key_id.begin(), root.subject_key_id.end()))
                   .sign(**key);
    ASSERT_TRUE(der.ok()) << der.error().detail;
    auto leaf = Certificate::parse_all(*der);
    ASSERT_TRUE(leaf.ok());
    TrustStore roots;
    roots.add(ca.root(), "root.pem");
    VerifyOptions options;
    options.time = kNow + kDay;
    auto chain = verify_chain(leaf->front(), {}, roots, {}, options);
    ASSERT_FALSE(chain.ok());
    EXPECT_TRUE(contains(chain.error().detail, "name constraints")) << chain.error().detail;
  }
  // A leaf for addresses only has no CN, so OpenSSL's CN-as-host-name rule cannot trip.
  auto issued = ca.issue({"127.0.0.1"}, f.issue_options());
  ASSERT_TRUE(issued.ok()) << issued.error().detail;
  EXPECT_FALSE(issued->certificate.internal().subject.common_name().has_value());
  EXPECT_TRUE(f.verify(*issued, "127.0.0.1").ok());
}

TEST(LocalCa, BadNameConstraintsAreRefused) {
  TempDir tmp;
  for (auto [constraint, why] : std::vector<std::pair<std::string, std::string>>{
           {"", "empty"},
           {"*.test", "wildcard"},
           {"10.0.0.0/33", "ADDRESS/PREFIX"},
           {"exa mple", "neither a DNS name"},
           {".", "neither a DNS name"}}) {
    auto ca = LocalCa::init(tmp.file("ca"), constrained({constraint}));
    ASSERT_FALSE(ca.ok()) << constraint;
    EXPECT_TRUE(contains(ca.error().detail, why)) << ca.error().detail;
    EXPECT_FALSE(fs::exists(tmp.file("ca/root.key"))) << "a refused init leaves no key";
  }
}

std::vector<Crl> load_crl(const std::string& path) {
  auto crls = Crl::load_file(path);
  EXPECT_TRUE(crls.ok()) << (crls.ok() ? "" : crls.error().detail);
  return crls.ok() ? *crls : std::vector<Crl>{};
}

TEST(LocalCa, RevokedCertificateIsRejectedWithTheCrl) {
  Fixture f;
  LocalCa ca = f.open();
  auto kept = ca.issue({"kept.test"}, f.issue_options());
  auto doomed = ca.issue({"doomed.test"}, f.issue_options());
  ASSERT_TRUE(kept.ok() && doomed.ok());
  auto empty_crl = ca.crl(kNow);
  ASSERT_TRUE(empty_crl.ok()) << empty_crl.error().detail;
  EXPECT_EQ(empty_crl->number, 1u);
  EXPECT_EQ(empty_crl->revoked, 0u);
  EXPECT_EQ(empty_crl->next_update, kNow + 30 * kDay);
  EXPECT_TRUE(f.verify(*doomed, "doomed.test", Purpose::server, load_crl(empty_crl->path)).ok());

  // The serial as openssl prints it, in lower case with colons: both are accepted.
  std::string typed;
  for (size_t i = 0; i < doomed->record.serial.size(); i += 2)
    typed += (i ? ":" : "") + doomed->record.serial.substr(i, 2);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto revoked = ca.revoke(typed, CrlReason::key_compromise, kNow + 10);
  ASSERT_TRUE(revoked.ok()) << revoked.error().detail;
  EXPECT_EQ(revoked->revoked_at, kNow + 10);
  auto crls = load_crl(f.ca_dir + "/crl.pem");
  ASSERT_EQ(crls.size(), 1u);
  EXPECT_EQ(crls[0].internal().revoked.size(), 1u);
  auto rejected = f.verify(*doomed, "doomed.test", Purpose::server, crls);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().alert, Alert::certificate_revoked);
  EXPECT_TRUE(contains(rejected.error().detail, "keyCompromise")) << rejected.error().detail;
  EXPECT_TRUE(f.verify(*kept, "kept.test", Purpose::server, crls).ok());

  // Twice is refused, and so is a serial this CA never issued.
  auto again = ca.revoke(doomed->record.serial, CrlReason::superseded, kNow + 20);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(contains(again.error().detail, "already revoked")) << again.error().detail;
  auto unknown = ca.revoke("0102", CrlReason::unspecified, kNow);
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(contains(unknown.error().detail, "issued no certificate")) << unknown.error().detail;
  EXPECT_FALSE(ca.revoke("xyz", CrlReason::unspecified, kNow).ok());

  // The index remembers; CRL numbers keep growing; an unspecified reason is left out.
  LocalCa reopened = f.open();
  ASSERT_EQ(reopened.records().size(), 2u);
  EXPECT_EQ(reopened.records()[1].reason, CrlReason::key_compromise);
  ASSERT_TRUE(reopened.revoke(kept->record.serial, CrlReason::unspecified, kNow + 30).ok());
  auto third = reopened.crl(kNow + 40, 7);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->number, 4u);  // crl(), two revocations, crl()
  EXPECT_EQ(third->revoked, 2u);
  auto final_crls = load_crl(third->path);
  ASSERT_EQ(final_crls.size(), 1u);
  const auto& entries = final_crls[0].internal().revoked;
  ASSERT_EQ(entries.size(), 2u);
  // In index order: "kept" (unspecified: no reasonCode), then "doomed".
  EXPECT_FALSE(entries[0].reason.has_value());
  EXPECT_EQ(entries[1].reason, uint8_t{1});
  EXPECT_FALSE(f.verify(*kept, "kept.test", Purpose::server, final_crls).ok());
  EXPECT_FALSE(reopened.crl(kNow, 0).ok());
}

TEST(LocalCa, OpenExplainsAMissingOrDamagedCa) {
  TempDir tmp;
  auto none = LocalCa::open(tmp.file("nothing"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, Errc::usage);
  EXPECT_TRUE(contains(none.error().detail, "run `tern ca init` first")) << none.error().detail;

  auto expect_refusal = [](const std::string& dir, const std::string& why) {
    auto ca = LocalCa::open(dir);
    ASSERT_FALSE(ca.ok()) << "opened despite: " << why;
    EXPECT_TRUE(contains(ca.error().detail, why)) << ca.error().detail;
  };
  {
    Fixture f;
    ASSERT_EQ(::chmod((f.ca_dir + "/root.key").c_str(), 0644), 0);
    expect_refusal(f.ca_dir, "accessible by group or others (mode 0644); run: chmod 600");
  }
  {
    Fixture f;
    write_text(f.ca_dir + "/root.pem", "not a certificate\n");
    expect_refusal(f.ca_dir, "root.pem");
  }
  {
    Fixture f;
    std::string pem = read_text(f.ca_dir + "/root.pem");
    pem[pem.size() / 2] = pem[pem.size() / 2] == 'A' ? 'B' : 'A';
    write_text(f.ca_dir + "/root.pem", pem);
    expect_refusal(f.ca_dir, "the CA certificate");
  }
  {
    Fixture f;
    Fixture other;
    fs::copy_file(other.ca_dir + "/root.key", f.ca_dir + "/root.key",
                  fs::copy_options::overwrite_existing);
    expect_refusal(f.ca_dir, "is not the key of");
  }
  {
    Fixture f;
    write_text(f.ca_dir + "/root.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    expect_refusal(f.ca_dir, "the CA key");
  }
  {
    Fixture f;
    std::string index = read_text(f.ca_dir + "/index");
    write_text(f.ca_dir + "/index", index + "V\tnot-hex\t2027-01-01T00:00:00Z\t-\t-\tCN=x\tx\n");
    expect_refusal(f.ca_dir, "line 3 has a serial that is not upper-case hex");
    write_text(f.ca_dir + "/index", index + "V\t0A\t2027-01-01\t-\t-\tCN=x\tx\n");
    expect_refusal(f.ca_dir, "line 3 has a not_after");
    write_text(f.ca_dir + "/index", index + "garbage\n");
    expect_refusal(f.ca_dir, "line 3 does not have 7 tab-separated fields");
  }
  {
    Fixture f;
    fs::remove(f.ca_dir + "/index");
    expect_refusal(f.ca_dir, "CA index");
  }
  {
    Fixture f;
    LocalCa ca = f.open();
    write_text(f.ca_dir + "/crlnumber", "twelve\n");
    auto crl = ca.crl(kNow);
    ASSERT_FALSE(crl.ok());
    EXPECT_TRUE(contains(crl.error().detail, "CRL number file")) << crl.error().detail;
  }
}

TEST(LocalCa, IndexIsReadableText) {
  Fixture f;
  LocalCa ca = f.open();
  auto issued = ca.issue({"localhost", "127.0.0.1"}, f.issue_options());
  ASSERT_TRUE(issued.ok());
  ASSERT_TRUE(ca.revoke(issued->record.serial, CrlReason::superseded, kNow + 60).ok());
  std::string index = read_text(f.ca_dir + "/index");
  std::string line = "R\t" + issued->record.serial +
                     "\t2027-09-18T15:06:40Z\t2025-06-15T15:07:40Z\tsuperseded\t" +
                     issued->record.subject + "\tlocalhost,127.0.0.1\n";
  EXPECT_TRUE(contains(index, line)) << index;
}

}  // namespace
}  // namespace tern
