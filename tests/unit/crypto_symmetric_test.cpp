// SPDX-License-Identifier: Apache-2.0
// Hashes, HMAC, HKDF and the AEADs of the default provider, against Wycheproof and the
// test vectors printed in RFC 5869 and RFC 8439.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "crypto/provider.h"
#include "crypto_test_util.h"

namespace tern::crypto {
namespace {

using test::describe;
using test::jhex;
using test::Tally;
using test::unhex;

const Provider& P() { return default_provider(); }

Bytes to_bytes(const SecretBytes& s) { return Bytes(s.view().begin(), s.view().end()); }

// ---------------------------------------------------------------------------------------
// Names and sizes

TEST(CryptoNames, SizesAndNames) {
  EXPECT_EQ(hash_size(Hash::sha1), 20u);
  EXPECT_EQ(hash_size(Hash::sha256), 32u);
  EXPECT_EQ(hash_size(Hash::sha384), 48u);
  EXPECT_EQ(hash_size(Hash::sha512), 64u);
  EXPECT_STREQ(hash_name(Hash::sha384), "SHA-384");
  EXPECT_EQ(aead_key_size(Aead::aes128_gcm), 16u);
  EXPECT_EQ(aead_key_size(Aead::aes256_gcm), 32u);
  EXPECT_EQ(aead_key_size(Aead::chacha20_poly1305), 32u);
  EXPECT_STREQ(group_name(Group::x25519), "x25519");
  EXPECT_STREQ(group_name(Group::x25519_mlkem768), "X25519MLKEM768");
  EXPECT_STREQ(key_type_name(KeyType::rsa_pss), "RSA-PSS");
  EXPECT_EQ(signature_algorithm_name({SigKind::rsa_pss, Hash::sha256, 32}),
            "RSA-PSS with SHA-256 (salt 32 bytes)");
  EXPECT_EQ(signature_algorithm_name({SigKind::ed25519, Hash::sha256, 0}), "Ed25519");
}

// ---------------------------------------------------------------------------------------
// Hashes. Known answers for SHA-1/256/384 come indirectly through the HMAC and HKDF
// vectors below (RFC 5869 A.4-A.7 cover SHA-1), for SHA-512 from RFC 8032 in
// crypto_keys_test. Here: the incremental API agrees with the one-shot one, peek() does
// not disturb the running state, copy() forks it.

TEST(CryptoHash, IncrementalMatchesOneShotForEveryHash) {
  const Bytes data = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  for (Hash h : {Hash::sha1, Hash::sha256, Hash::sha384, Hash::sha512}) {
    SCOPED_TRACE(hash_name(h));
    Bytes whole = P().hash(h, data);
    ASSERT_EQ(whole.size(), hash_size(h));
    auto ctx = P().hash_context(h);
    ASSERT_TRUE(ctx);
    EXPECT_EQ(ctx->algorithm(), h);
    EXPECT_EQ(ctx->peek(), P().hash(h, {}));  // empty so far
    ctx->update(BytesView(data).first(7));
    Bytes partial = ctx->peek();
    EXPECT_EQ(partial, P().hash(h, BytesView(data).first(7)));
    auto fork = ctx->copy();
    ASSERT_TRUE(fork);
    ctx->update(BytesView(data).subspan(7));
    EXPECT_EQ(ctx->peek(), whole);
    EXPECT_EQ(ctx->peek(), whole);     // peek is repeatable
    EXPECT_EQ(fork->peek(), partial);  // the fork did not see the later update
    fork->update(BytesView(data).subspan(7));
    EXPECT_EQ(fork->peek(), whole);
  }
  // SHA-384 is not a truncated SHA-512 (different initial values).
  Bytes h512 = P().hash(Hash::sha512, data);
  EXPECT_NE(P().hash(Hash::sha384, data), Bytes(h512.begin(), h512.begin() + 48));
}

// The provider hashes and MACs through libcrypto's low-level SHA functions; EVP's own
// one-shot calls are the reference, over every length around the block and padding edges
// and keys shorter than, equal to and longer than the block (which RFC 2104 hashes first).
TEST(CryptoHash, MatchesEvpAtEveryPaddingEdge) {
  const std::pair<Hash, const EVP_MD*> hashes[] = {{Hash::sha1, EVP_sha1()},
                                                   {Hash::sha256, EVP_sha256()},
                                                   {Hash::sha384, EVP_sha384()},
                                                   {Hash::sha512, EVP_sha512()}};
  Bytes data(300);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 1);
  for (auto [h, md] : hashes) {
    SCOPED_TRACE(hash_name(h));
    for (size_t n : {0, 1, 55, 56, 63, 64, 65, 111, 112, 119, 127, 128, 129, 300}) {
      SCOPED_TRACE(n);
      BytesView msg = BytesView(data).first(n);
      uint8_t want[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      ASSERT_EQ(EVP_Digest(msg.data(), msg.size(), want, &len, md, nullptr), 1);
      EXPECT_EQ(P().hash(h, msg), Bytes(want, want + len));
      for (size_t key_size : {0, 20, 64, 128, 129, 200}) {
        SCOPED_TRACE(key_size);
        BytesView key = BytesView(data).last(key_size);
        ASSERT_NE(HMAC(md, key.data(), static_cast<int>(key.size()), msg.data(), msg.size(),
                       want, &len),
                  nullptr);
        EXPECT_EQ(to_bytes(P().hmac(h, key, msg)), Bytes(want, want + len));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// HMAC (Wycheproof). The interface computes full-length tags only, so the groups with
// truncated tags (128 of 256 bits, 192 of 384 bits) are counted as skipped.

void run_hmac_file(const std::string& name, Hash h, size_t expect_run, size_t expect_skipped) {
  auto file = test::wycheproof(name);
  ASSERT_FALSE(file.is_discarded());
  Tally tally;
  for (const auto& group : file["testGroups"]) {
    const bool full_tag = group["tagSize"].get<size_t>() == hash_size(h) * 8;
    for (const auto& t : group["tests"]) {
      if (!full_tag) {
        ++tally.skipped;
        continue;
      }
      ++tally.run;
      SCOPED_TRACE(describe(t));
      Bytes mac = to_bytes(P().hmac(h, jhex(t["key"]), jhex(t["msg"])));
      ASSERT_EQ(mac.size(), hash_size(h));
      const std::string result = t["result"];
      if (result == "valid") {
        EXPECT_EQ(base::hex(mac), t["tag"].get<std::string>());
      } else {
        ASSERT_EQ(result, "invalid");
        EXPECT_NE(base::hex(mac), t["tag"].get<std::string>());
      }
    }
  }
  EXPECT_EQ(tally.run, expect_run);
  EXPECT_EQ(tally.skipped, expect_skipped);
  EXPECT_EQ(tally.run + tally.skipped, test::number_of_tests(file));
}

TEST(CryptoWycheproof, HmacSha256) { run_hmac_file("hmac_sha256_test", Hash::sha256, 87, 87); }
TEST(CryptoWycheproof, HmacSha384) { run_hmac_file("hmac_sha384_test", Hash::sha384, 87, 87); }

// ---------------------------------------------------------------------------------------
// HKDF (Wycheproof): every case runs; the invalid ones ask for more than 255 * HashLen.

void run_hkdf_file(const std::string& name, Hash h, size_t expect_run) {
  auto file = test::wycheproof(name);
  ASSERT_FALSE(file.is_discarded());
  Tally tally;
  for (const auto& group : file["testGroups"]) {
    for (const auto& t : group["tests"]) {
      ++tally.run;
      SCOPED_TRACE(describe(t));
      SecretBytes prk = P().hkdf_extract(h, jhex(t["salt"]), jhex(t["ikm"]));
      ASSERT_EQ(prk.size(), hash_size(h));
      auto okm = P().hkdf_expand(h, prk.view(), jhex(t["info"]), t["size"].get<size_t>());
      if (t["result"] == "valid") {
        ASSERT_TRUE(okm.ok()) << okm.error();
        EXPECT_EQ(base::hex(okm->view()), t["okm"].get<std::string>());
      } else {
        ASSERT_EQ(t["result"], "invalid");
        ASSERT_TRUE(test::has_flag(t, "SizeTooLarge"));
        EXPECT_FALSE(okm.ok());
      }
    }
  }
  EXPECT_EQ(tally.run, expect_run);
  EXPECT_EQ(tally.run, test::number_of_tests(file));
}

TEST(CryptoWycheproof, HkdfSha256) { run_hkdf_file("hkdf_sha256_test", Hash::sha256, 86); }
TEST(CryptoWycheproof, HkdfSha384) { run_hkdf_file("hkdf_sha384_test", Hash::sha384, 83); }

TEST(CryptoHkdf, ExpandRefusesMoreThan255Blocks) {
  Bytes prk(32, 0x42);
  auto max = P().hkdf_expand(Hash::sha256, prk, {}, 255 * 32);
  ASSERT_TRUE(max.ok()) << max.error();
  EXPECT_EQ(max->size(), 255u * 32);
  auto over = P().hkdf_expand(Hash::sha256, prk, {}, 255 * 32 + 1);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().detail.find("8160"), std::string::npos) << over.error();
  auto empty = P().hkdf_expand(Hash::sha384, prk, {}, 0);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

// RFC 5869 Appendix A, read from the RFC text itself: seven cases, SHA-256 and SHA-1.
TEST(CryptoHkdf, Rfc5869AppendixA) {
  const std::string text = test::read_text(test::reference_dir() + "/rfc/rfc5869.txt");
  ASSERT_FALSE(text.empty());
  size_t cases = 0;
  for (int n = 1; n <= 7; ++n) {
    SCOPED_TRACE("Test Case " + std::to_string(n));
    const std::string anchor = "A." + std::to_string(n) + ".  Test Case " + std::to_string(n);
    size_t begin = text.find(anchor);
    ASSERT_NE(begin, std::string::npos);
    size_t end = text.find("\nA.", begin + anchor.size());
    if (end == std::string::npos) end = text.find("Authors' Addresses", begin);
    std::istringstream block(text.substr(begin, end - begin));
    // Fields are "Name = 0xhex (n octets)", continued on indented hex-only lines.
    std::map<std::string, std::string> fields;
    std::string line, current;
    while (std::getline(block, line)) {
      size_t eq = line.find(" = ");
      if (eq != std::string::npos && line.find_first_not_of(' ') < eq) {
        std::string name =
            line.substr(line.find_first_not_of(' '), eq - line.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        current = name;
        fields[current] = line.substr(eq + 3);
      } else if (!current.empty() && line.find_first_not_of(' ') != std::string::npos &&
                 line.find("Page") == std::string::npos && line.find("RFC") != 0) {
        fields[current] += line.substr(line.find_first_not_of(' '));
      } else {
        current.clear();
      }
    }
    auto hex_field = [&](const std::string& name) -> std::optional<Bytes> {
      std::string v = fields[name];
      if (v.rfind("0x", 0) != 0) return std::nullopt;  // "(0 octets)" or "not provided"
      std::string hex;
      for (char c : v.substr(2)) {
        if (c == ' ' || c == '(') {
          if (c == '(') break;
          continue;
        }
        hex += c;
      }
      return unhex(hex);
    };
    const Hash h = fields["Hash"] == "SHA-256" ? Hash::sha256 : Hash::sha1;
    ASSERT_TRUE(fields["Hash"] == "SHA-256" || fields["Hash"] == "SHA-1") << fields["Hash"];
    auto ikm = hex_field("IKM");
    ASSERT_TRUE(ikm);
    Bytes salt = hex_field("salt").value_or(Bytes());  // absent: empty == HashLen zeros
    Bytes info = hex_field("info").value_or(Bytes());
    size_t length = std::stoul(fields["L"]);
    auto prk_expected = hex_field("PRK");
    auto okm_expected = hex_field("OKM");
    ASSERT_TRUE(prk_expected && okm_expected);
    ASSERT_EQ(okm_expected->size(), length);

    SecretBytes prk = P().hkdf_extract(h, salt, *ikm);
    EXPECT_EQ(to_bytes(prk), *prk_expected);
    if (fields["salt"].find("not provided") != std::string::npos) {
      // The RFC's "defaults to HashLen zero octets", spelled out.
      EXPECT_EQ(to_bytes(P().hkdf_extract(h, Bytes(hash_size(h), 0), *ikm)), *prk_expected);
    }
    auto okm = P().hkdf_expand(h, prk.view(), info, length);
    ASSERT_TRUE(okm.ok()) << okm.error();
    EXPECT_EQ(to_bytes(*okm), *okm_expected);
    ++cases;
  }
  EXPECT_EQ(cases, 7u);
}

// ---------------------------------------------------------------------------------------
// AEADs (Wycheproof). TLS uses 96-bit nonces, 128-bit tags and 128/256-bit AES keys
// only; other groups (AES-192, other IV sizes) are counted as skipped.

std::optional<Aead> aead_for(const std::string& algorithm, size_t key_bits) {
  if (algorithm == "CHACHA20-POLY1305" && key_bits == 256) return Aead::chacha20_poly1305;
  if (algorithm == "AES-GCM" && key_bits == 128) return Aead::aes128_gcm;
  if (algorithm == "AES-GCM" && key_bits == 256) return Aead::aes256_gcm;
  return std::nullopt;
}

void run_aead_file(const std::string& name, size_t expect_run, size_t expect_skipped) {
  auto file = test::wycheproof(name);
  ASSERT_FALSE(file.is_discarded());
  const std::string algorithm = file["algorithm"];
  Tally tally;
  for (const auto& group : file["testGroups"]) {
    auto kind = aead_for(algorithm, group["keySize"].get<size_t>());
    const bool expressible =
        kind && group["ivSize"].get<size_t>() == 96 && group["tagSize"].get<size_t>() == 128;
    for (const auto& t : group["tests"]) {
      if (!expressible) {
        ++tally.skipped;
        continue;
      }
      ++tally.run;
      SCOPED_TRACE(describe(t));
      const Bytes key = jhex(t["key"]), iv = jhex(t["iv"]), aad = jhex(t["aad"]);
      const Bytes msg = jhex(t["msg"]), ct = jhex(t["ct"]), tag = jhex(t["tag"]);
      auto ctx = P().aead(*kind, key);
      ASSERT_TRUE(ctx.ok()) << ctx.error();
      const bool valid = t["result"] == "valid";
      ASSERT_TRUE(valid || t["result"] == "invalid");

      // Seal in place: a valid vector is reproduced exactly; an invalid one never.
      Bytes sealed = msg;
      Bytes sealed_tag(kAeadTagSize);
      ASSERT_TRUE((*ctx)->seal(iv, aad, sealed, sealed_tag).ok());
      if (valid) {
        EXPECT_EQ(base::hex(sealed), t["ct"].get<std::string>());
        EXPECT_EQ(base::hex(sealed_tag), t["tag"].get<std::string>());
      } else {
        EXPECT_FALSE(sealed == ct && sealed_tag == tag);
      }

      // Open in place with the same context.
      Bytes opened = ct;
      auto r = (*ctx)->open(iv, aad, opened, tag);
      if (valid) {
        ASSERT_TRUE(r.ok()) << r.error();
        EXPECT_EQ(base::hex(opened), t["msg"].get<std::string>());
      } else {
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, Errc::crypto);
        EXPECT_EQ(r.error().alert, Alert::bad_record_mac);
      }
    }
  }
  EXPECT_EQ(tally.run, expect_run);
  EXPECT_EQ(tally.skipped, expect_skipped);
  EXPECT_EQ(tally.run + tally.skipped, test::number_of_tests(file));
}

// Skipped: 64 AES-192 vectors with 96-bit IVs and 119 vectors with IVs of 0-2056 bits.
TEST(CryptoWycheproof, AesGcm) { run_aead_file("aes_gcm_test", 133, 183); }
// Skipped: 9 vectors with nonces other than 96 bits (the InvalidNonceSize group).
TEST(CryptoWycheproof, Chacha20Poly1305) { run_aead_file("chacha20_poly1305_test", 316, 9); }

// RFC 8439 §2.8.2 (seal) and Appendix A.5 (open), read from the RFC text.
TEST(CryptoAead, Rfc8439Vectors) {
  const std::string text = test::read_text(test::reference_dir() + "/rfc/rfc8439.txt");
  ASSERT_FALSE(text.empty());
  {
    const char* anchor = "2.8.2.  Example and Test Vector for AEAD_CHACHA20_POLY1305";
    Bytes plaintext = test::rfc_hexdump(text, anchor, "Plaintext:");
    Bytes aad = test::rfc_hexdump(text, anchor, "AAD:");
    Bytes key = test::rfc_hexdump(text, anchor, "Key:");
    Bytes iv = test::rfc_hexdump(text, anchor, "IV:");
    Bytes fixed = test::rfc_hexdump(text, anchor, "32-bit fixed-common part:");
    Bytes ciphertext = test::rfc_hexdump(text, anchor, "Ciphertext:");
    Bytes tag = test::rfc_hexdump(text, anchor, "Tag:");
    ASSERT_EQ(plaintext.size(), 114u);
    ASSERT_EQ(key.size(), 32u);
    ASSERT_EQ(fixed.size() + iv.size(), kAeadNonceSize);
    ASSERT_EQ(tag.size(), kAeadTagSize);
    Bytes nonce = fixed;
    nonce.insert(nonce.end(), iv.begin(), iv.end());
    auto ctx = P().aead(Aead::chacha20_poly1305, key);
    ASSERT_TRUE(ctx.ok());
    Bytes data = plaintext, out_tag(kAeadTagSize);
    ASSERT_TRUE((*ctx)->seal(nonce, aad, data, out_tag).ok());
    EXPECT_EQ(data, ciphertext);
    EXPECT_EQ(out_tag, tag);
    ASSERT_TRUE((*ctx)->open(nonce, aad, data, tag).ok());
    EXPECT_EQ(data, plaintext);
  }
  {
    const char* anchor = "A.5.  ChaCha20-Poly1305 AEAD Decryption";
    Bytes key = test::rfc_hexdump(text, anchor, "The ChaCha20 Key");
    Bytes ciphertext = test::rfc_hexdump(text, anchor, "Ciphertext:");
    Bytes nonce = test::rfc_hexdump(text, anchor, "The nonce:");
    Bytes aad = test::rfc_hexdump(text, anchor, "The AAD:");
    Bytes tag = test::rfc_hexdump(text, anchor, "Received Tag:");
    Bytes plaintext = test::rfc_hexdump(text, anchor, "Plaintext::");
    ASSERT_EQ(ciphertext.size(), 265u);
    ASSERT_EQ(plaintext.size(), ciphertext.size());
    auto ctx = P().aead(Aead::chacha20_poly1305, key);
    ASSERT_TRUE(ctx.ok());
    Bytes data = ciphertext;
    auto r = (*ctx)->open(nonce, aad, data, tag);
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ(data, plaintext);
    EXPECT_EQ(as_chars(BytesView(data).first(15)), "Internet-Drafts");
  }
}

TEST(CryptoAead, ContextIsReusableAcrossRecordsAndDirections) {
  for (Aead a : {Aead::aes128_gcm, Aead::aes256_gcm, Aead::chacha20_poly1305}) {
    SCOPED_TRACE(static_cast<int>(a));
    Bytes key(aead_key_size(a), 0x11);
    auto sender = P().aead(a, key);
    auto receiver = P().aead(a, key);
    ASSERT_TRUE(sender.ok() && receiver.ok());
    for (uint8_t seq = 0; seq < 20; ++seq) {
      Bytes nonce(kAeadNonceSize, 0);
      nonce.back() = seq;
      Bytes aad = {0x17, 0x03, 0x03, 0x00, seq};
      Bytes record(seq * 37u, static_cast<uint8_t>(seq + 1));  // includes an empty record
      const Bytes plain = record;
      Bytes tag(kAeadTagSize);
      ASSERT_TRUE((*sender)->seal(nonce, aad, record, tag).ok());
      if (!record.empty()) {
        EXPECT_NE(record, plain);
      }
      ASSERT_TRUE((*receiver)->open(nonce, aad, record, tag).ok());
      EXPECT_EQ(record, plain);
      // A tampered record fails, and the context keeps working afterwards.
      Bytes again = plain;
      ASSERT_TRUE((*sender)->seal(nonce, aad, again, tag).ok());
      tag[0] ^= 1;
      auto bad = (*receiver)->open(nonce, aad, again, tag);
      ASSERT_FALSE(bad.ok());
      EXPECT_EQ(bad.error().code, Errc::crypto);
      EXPECT_EQ(bad.error().alert, Alert::bad_record_mac);
    }
  }
}

TEST(CryptoAead, RejectsWrongKeyAndNonceSizes) {
  EXPECT_FALSE(P().aead(Aead::aes128_gcm, Bytes(32, 0)).ok());
  EXPECT_FALSE(P().aead(Aead::chacha20_poly1305, Bytes(16, 0)).ok());
  auto ctx = P().aead(Aead::aes128_gcm, Bytes(16, 0));
  ASSERT_TRUE(ctx.ok());
  Bytes data(10), tag(kAeadTagSize);
  EXPECT_FALSE((*ctx)->seal(Bytes(8, 0), {}, data, tag).ok());
  EXPECT_FALSE((*ctx)->open(Bytes(16, 0), {}, data, tag).ok());
  auto short_tag = (*ctx)->open(Bytes(12, 0), {}, data, Bytes(15, 0));
  ASSERT_FALSE(short_tag.ok());
  EXPECT_EQ(short_tag.error().alert, Alert::bad_record_mac);
}

// The provider is shared by every connection of a process: concurrent use from several
// threads must give the same answers as sequential use.
TEST(CryptoProvider, ConcurrentUseGivesSequentialAnswers) {
  const Bytes key(32, 0x33), data(100, 0x44);
  const Bytes mac = to_bytes(P().hmac(Hash::sha384, key, data));
  auto expected_okm = P().hkdf_expand(Hash::sha256, key, data, 100);
  ASSERT_TRUE(expected_okm.ok());
  const Bytes okm = to_bytes(*expected_okm);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (to_bytes(P().hmac(Hash::sha384, key, data)) != mac) ++mismatches;
        auto r = P().hkdf_expand(Hash::sha256, key, data, 100);
        if (!r.ok() || to_bytes(*r) != okm) ++mismatches;
        auto share = P().generate_key_share(Group::secp256r1);
        if (!share.ok() || (*share)->public_key().size() != 65) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(CryptoRandom, FillsBuffersDifferently) {
  Bytes a(32), b(32);
  ASSERT_TRUE(P().random(a).ok());
  ASSERT_TRUE(P().random(b).ok());
  EXPECT_NE(a, b);
  EXPECT_NE(a, Bytes(32, 0));
  EXPECT_TRUE(P().random(std::span<uint8_t>()).ok());
}

}  // namespace
}  // namespace tern::crypto
