// SPDX-License-Identifier: Apache-2.0
// HPKE (RFC 9180) base mode against the known answers of RFC 9180 Appendix A, read from
// the RFC text itself (tests/data/reference/rfc/rfc9180.txt): every suite there with
// DHKEM(X25519, HKDF-SHA256), which is A.1 (AES-128-GCM), A.2 (ChaCha20-Poly1305) and A.7
// (export-only).
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/hpke.h"
#include "crypto_test_util.h"

namespace tern::crypto {
namespace {

using Fields = std::map<std::string, std::string>;

// The known answers of one "A.n.1.  Base Setup Information" section: the setup fields, then
// one record per encryption and per exported value.
struct BaseVectors {
  Fields setup;
  std::vector<Fields> encryptions, exports;
};

BaseVectors read_base_section(const std::string& text, const std::string& section) {
  BaseVectors v;
  size_t start = text.find("\n" + section + ".1.  Base Setup Information");
  size_t end = text.find("\n" + section + ".2.  ", start == std::string::npos ? 0 : start);
  if (start == std::string::npos || end == std::string::npos) {
    ADD_FAILURE() << "section " << section << ".1 not found in rfc9180.txt";
    return v;
  }
  std::istringstream lines(text.substr(start, end - start));
  std::regex field(R"(^\s+([a-z_A-Z ]+):\s*([0-9a-f]*)\s*$)");
  std::regex hex(R"(^\s+([0-9a-f]+)\s*$)");
  Fields* current = &v.setup;
  std::string last, line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, m, field)) {
      last = m[1];
      if (last == "sequence number") current = &v.encryptions.emplace_back();
      if (last == "exporter_context") current = &v.exports.emplace_back();
      (*current)[last] = m[2];
    } else if (std::regex_match(line, m, hex) && !last.empty()) {
      (*current)[last] += m[1];
    } else if (line.find("Encryptions") != std::string::npos ||
               line.find("Exported Values") != std::string::npos) {
      last.clear();
    }
  }
  return v;
}

void check_base_section(const std::string& section, uint16_t aead) {
  SCOPED_TRACE(section);
  std::string text = test::read_text(test::reference_dir() + "/rfc/rfc9180.txt");
  ASSERT_FALSE(text.empty());
  BaseVectors v = read_base_section(text, section);
  Fields& s = v.setup;
  ASSERT_EQ(s["mode"], "0");
  ASSERT_EQ(std::stoi(s["kem_id"]), hpke::kKemX25519Sha256);
  ASSERT_EQ(std::stoi(s["aead_id"]), aead == hpke::kAeadExportOnly ? 65535 : aead);
  hpke::Suite suite{hpke::kKemX25519Sha256, static_cast<uint16_t>(std::stoi(s["kdf_id"])), aead};
  const Provider& p = default_provider();

  auto pk_r = hpke::public_key(p, test::unhex(s["skRm"]));
  ASSERT_TRUE(pk_r) << pk_r.error().detail;
  EXPECT_EQ(*pk_r, test::unhex(s["pkRm"]));
  Bytes info = test::unhex(s["info"]);
  auto sender = hpke::setup_base_sender(p, suite, *pk_r, info, test::unhex(s["skEm"]));
  ASSERT_TRUE(sender) << sender.error().detail;
  EXPECT_EQ(sender->enc, test::unhex(s["enc"]));
  auto receiver = hpke::setup_base_receiver(p, suite, sender->enc, test::unhex(s["skRm"]), info);
  ASSERT_TRUE(receiver) << receiver.error().detail;

  if (aead != hpke::kAeadExportOnly) {
    ASSERT_GE(v.encryptions.size(), 6u);
    for (auto& e : v.encryptions) {
      uint64_t seq = std::stoull(e["sequence number"]);
      SCOPED_TRACE("sequence number " + std::to_string(seq));
      // The vectors skip sequence numbers: spend the ones in between on both sides.
      while (sender->context->sequence() < seq) {
        auto filler = sender->context->seal({}, {});
        ASSERT_TRUE(filler);
        ASSERT_TRUE((*receiver)->open({}, *filler));
      }
      auto ct = sender->context->seal(test::unhex(e["aad"]), test::unhex(e["pt"]));
      ASSERT_TRUE(ct) << ct.error().detail;
      EXPECT_EQ(*ct, test::unhex(e["ct"]));
      auto pt = (*receiver)->open(test::unhex(e["aad"]), test::unhex(e["ct"]));
      ASSERT_TRUE(pt) << pt.error().detail;
      EXPECT_EQ(*pt, test::unhex(e["pt"]));
    }
  }
  ASSERT_EQ(v.exports.size(), 3u);
  for (auto& e : v.exports) {
    auto out = sender->context->export_secret(test::unhex(e["exporter_context"]),
                                              std::stoul(e["L"]));
    ASSERT_TRUE(out);
    EXPECT_EQ(Bytes(out->view().begin(), out->view().end()), test::unhex(e["exported_value"]));
    auto mirrored = (*receiver)->export_secret(test::unhex(e["exporter_context"]),
                                               std::stoul(e["L"]));
    ASSERT_TRUE(mirrored);
    EXPECT_EQ(Bytes(mirrored->view().begin(), mirrored->view().end()),
              test::unhex(e["exported_value"]));
  }
}

TEST(Hpke, Rfc9180A1X25519Sha256Aes128Gcm) { check_base_section("A.1", hpke::kAeadAes128Gcm); }
TEST(Hpke, Rfc9180A2X25519Sha256ChaCha20Poly1305) {
  check_base_section("A.2", hpke::kAeadChacha20Poly1305);
}
TEST(Hpke, Rfc9180A7X25519Sha256ExportOnly) { check_base_section("A.7", hpke::kAeadExportOnly); }

// Every KDF/AEAD pair ECH may use round-trips, and a wrong key, AAD or bit fails.
TEST(Hpke, RoundTripsEverySuiteAndRejectsTampering) {
  const Provider& p = default_provider();
  Bytes sk(32, 0x42);
  auto pk = hpke::public_key(p, sk);
  ASSERT_TRUE(pk);
  for (uint16_t kdf : {hpke::kKdfSha256, hpke::kKdfSha384, hpke::kKdfSha512})
    for (uint16_t aead :
         {hpke::kAeadAes128Gcm, hpke::kAeadAes256Gcm, hpke::kAeadChacha20Poly1305}) {
      hpke::Suite suite{hpke::kKemX25519Sha256, kdf, aead};
      auto sender = hpke::setup_base_sender(p, suite, *pk, as_bytes("info"));
      ASSERT_TRUE(sender);
      auto ct = sender->context->seal(as_bytes("aad"), as_bytes("hello"));
      ASSERT_TRUE(ct);
      auto receiver = hpke::setup_base_receiver(p, suite, sender->enc, sk, as_bytes("info"));
      ASSERT_TRUE(receiver);
      EXPECT_FALSE((*receiver)->open(as_bytes("AAD"), *ct));
      Bytes flipped = *ct;
      flipped[0] ^= 1;
      EXPECT_FALSE((*receiver)->open(as_bytes("aad"), flipped));
      auto pt = (*receiver)->open(as_bytes("aad"), *ct);
      ASSERT_TRUE(pt);
      EXPECT_TRUE(equal(*pt, as_bytes("hello")));
      Bytes other(32, 0x43);
      auto wrong = hpke::setup_base_receiver(p, suite, sender->enc, other, as_bytes("info"));
      ASSERT_TRUE(wrong);
      EXPECT_FALSE((*wrong)->open(as_bytes("aad"), *ct));
    }
  EXPECT_FALSE(hpke::setup_base_sender(p, {hpke::kKemX25519Sha256, 9, 1}, *pk, {}));
  EXPECT_FALSE(hpke::setup_base_receiver(p, {}, Bytes(31, 1), sk, {}));
  EXPECT_FALSE(hpke::setup_base_receiver(p, {}, Bytes(32, 0), sk, {}));  // all-zero DH
}

}  // namespace
}  // namespace tern::crypto
