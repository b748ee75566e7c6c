// SPDX-License-Identifier: Apache-2.0
// SessionData: its encoding, its PEM and file forms. The caches are tested in
// tls_session_cache_test.cpp, TicketKeys in tls_ticket_keys_test.cpp.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdint>
#include <fstream>

#include "base/writer.h"
#include "tern/session.h"
#include "tern/tls.h"
#include "tls_session_test_util.h"

namespace tern {
namespace {

using test::expect_same;
using test::full_session;
using test::TempDir;

// --- encoding -----------------------------------------------------------------------------

TEST(SessionData, RoundTripsEveryField) {
  for (uint16_t version : {tls::kTls13, tls::kTls12, uint16_t{0x7f1c}}) {
    SessionData s = full_session(version);
    auto encoded = s.encode();
    ASSERT_TRUE(encoded.ok()) << encoded.error();
    auto decoded = SessionData::decode(*encoded);
    ASSERT_TRUE(decoded.ok()) << decoded.error();
    expect_same(*decoded, s);
  }
  SessionData empty;  // every vector empty, every number zero
  auto encoded = empty.encode();
  ASSERT_TRUE(encoded.ok());
  auto decoded = SessionData::decode(*encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  expect_same(*decoded, empty);
}

TEST(SessionData, NegativeAndExtremeTimesRoundTrip) {
  SessionData s = full_session(tls::kTls13);
  for (int64_t t : {int64_t{-1}, INT64_MIN, INT64_MAX}) {
    s.created_at = t;
    s.lifetime = UINT32_MAX;
    auto decoded = SessionData::decode(s.encode().value());
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->created_at, t);
    EXPECT_EQ(decoded->lifetime, UINT32_MAX);
  }
}

TEST(SessionDataDecode, RefusesEveryTruncation) {
  for (uint16_t version : {tls::kTls13, tls::kTls12}) {
    Bytes encoded = full_session(version).encode().value();
    for (size_t n = 0; n < encoded.size(); ++n) {
      auto decoded = SessionData::decode(BytesView(encoded).first(n));
      ASSERT_FALSE(decoded.ok()) << "prefix of " << n << " bytes decoded";
      EXPECT_EQ(decoded.error().code, Errc::decode);
      EXPECT_EQ(decoded.error().alert, Alert::decode_error);
    }
  }
}

TEST(SessionDataDecode, RefusesTrailingBytes) {
  Bytes encoded = full_session(tls::kTls12).encode().value();
  encoded.push_back(0);
  auto decoded = SessionData::decode(encoded);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().detail.find("trailing"), std::string::npos) << decoded.error();
}

TEST(SessionDataDecode, RefusesBadMagicAndUnknownFormat) {
  Bytes encoded = full_session(tls::kTls13).encode().value();
  Bytes bad_magic = encoded;
  bad_magic[0] ^= 0x20;
  auto decoded = SessionData::decode(bad_magic);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().detail.find("magic"), std::string::npos) << decoded.error();
  Bytes format4 = encoded;  // format 3 is format 2 with max_early_data (0-RTT)
  format4[4] = 4;
  decoded = SessionData::decode(format4);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, Errc::unsupported);
  EXPECT_NE(decoded.error().detail.find("format 4"), std::string::npos) << decoded.error();
}

// Format 1 records nothing of how the peer was authenticated: never resumed, and the error
// says so (the CLI tells it apart from a damaged file by Errc::unsupported).
TEST(SessionDataDecode, RefusesFormat1WithoutAnAuthContext) {
  Bytes encoded = full_session(tls::kTls13).encode().value();
  encoded[4] = 1;
  auto decoded = SessionData::decode(encoded);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, Errc::unsupported);
  EXPECT_NE(decoded.error().detail.find("older tern"), std::string::npos) << decoded.error();
}

TEST(SessionData, AuthContextRoundTripsInEveryMode) {
  using Mode = AuthContext::Mode;
  for (Mode mode : {Mode::none, Mode::verified, Mode::request, Mode::require}) {
    SessionData s = full_session(tls::kTls12);
    s.auth.mode = mode;
    if (mode == Mode::none) s.auth = AuthContext{};
    auto decoded = SessionData::decode(s.encode().value());
    ASSERT_TRUE(decoded.ok()) << decoded.error();
    EXPECT_TRUE(decoded->auth == s.auth) << static_cast<int>(mode);
  }
  SessionData s = full_session(tls::kTls13);  // --require-ocsp: flag bit 1
  s.auth = AuthContext{AuthContext::Mode::verified, Bytes(32, 1), "a.example", true};
  auto decoded = SessionData::decode(s.encode().value());
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  EXPECT_TRUE(decoded->auth.require_ocsp);
  EXPECT_TRUE(decoded->auth == s.auth);
}

TEST(AuthMismatch, SaysWhatDiffers) {
  AuthContext strict{AuthContext::Mode::verified, Bytes(32, 1), "a.example"};
  AuthContext insecure;
  EXPECT_EQ(auth_mismatch(strict, strict), "");
  EXPECT_NE(auth_mismatch(insecure, strict).find("without verifying the server (-k)"),
            std::string::npos);
  EXPECT_NE(auth_mismatch(strict, insecure).find("does not (-k)"), std::string::npos);
  AuthContext other_name = strict;
  other_name.hostname = "b.example";
  EXPECT_NE(auth_mismatch(strict, other_name).find("'a.example', not 'b.example'"),
            std::string::npos);
  AuthContext other_roots = strict;
  other_roots.roots = Bytes(32, 2);
  EXPECT_NE(auth_mismatch(strict, other_roots).find("other trusted roots"), std::string::npos);
  // A resumption brings no staple: a session made without --require-ocsp does not resume
  // under it.
  AuthContext ocsp = strict;
  ocsp.require_ocsp = true;
  EXPECT_NE(auth_mismatch(strict, ocsp).find("requires one (--require-ocsp)"), std::string::npos);
  EXPECT_NE(auth_mismatch(ocsp, strict), "");
  AuthContext request{AuthContext::Mode::request, Bytes(32, 1), ""};
  AuthContext require{AuthContext::Mode::require, Bytes(32, 1), ""};
  EXPECT_NE(auth_mismatch(request, require).find("client-auth mode"), std::string::npos);
  AuthContext request_other = request;
  request_other.roots = Bytes(32, 3);
  EXPECT_NE(auth_mismatch(request, request_other).find("other client roots"), std::string::npos);
}

// A format-2 encoding with fields the encoder would never write.
struct Raw {
  uint8_t flags = 0;
  size_t secret = 48, name = 11, session_id = 32;
  std::vector<size_t> certs = {500};
  uint8_t auth_mode = 1;
  size_t auth_roots = 32, auth_hostname = 11;

  Bytes build() const {
    base::Writer w;
    w.bytes(as_bytes("TRNS"));
    w.u8(2);
    w.u16(0x0303);
    w.u16(0xc02f);
    w.u8(flags);
    w.u64(1000);
    w.u32(7200);
    w.u32(0);
    w.u8(static_cast<uint8_t>(secret));
    w.zeros(secret);
    w.u8(static_cast<uint8_t>(name));
    w.zeros(name);
    w.u8(0);   // alpn
    w.u16(0);  // ticket
    w.u8(static_cast<uint8_t>(session_id));
    w.zeros(session_id);
    w.u8(static_cast<uint8_t>(certs.size()));
    for (size_t n : certs) {
      w.u24(static_cast<uint32_t>(n));
      w.zeros(n);
    }
    w.u8(auth_mode);
    w.u8(static_cast<uint8_t>(auth_roots));
    w.zeros(auth_roots);
    w.u8(static_cast<uint8_t>(auth_hostname));
    w.zeros(auth_hostname);
    return w.take();
  }
};

std::string decode_error(const Raw& raw) {
  auto decoded = SessionData::decode(raw.build());
  if (decoded.ok()) return "(decoded)";
  EXPECT_EQ(decoded.error().code, Errc::decode);
  return decoded.error().detail;
}

TEST(SessionDataDecode, RefusesFieldsOverTheLimits) {
  EXPECT_EQ(decode_error(Raw{}), "(decoded)");  // the baseline is valid
  Raw r;
  r.secret = 65;
  EXPECT_NE(decode_error(r).find("secret"), std::string::npos);
  r = Raw{};
  r.session_id = 33;
  EXPECT_NE(decode_error(r).find("session ID"), std::string::npos);
  r = Raw{};
  r.certs.assign(11, 10);
  EXPECT_NE(decode_error(r).find("11 certificates"), std::string::npos);
  r = Raw{};
  r.certs = {40000, 30000};
  EXPECT_NE(decode_error(r).find("64 KiB"), std::string::npos);
  r = Raw{};
  r.certs = {100, 0};
  EXPECT_NE(decode_error(r).find("empty peer certificate 1"), std::string::npos);
  r = Raw{};
  r.flags = 0x04;
  EXPECT_NE(decode_error(r).find("flag"), std::string::npos);
  r = Raw{};
  r.auth_mode = 4;
  EXPECT_NE(decode_error(r).find("authentication mode 4"), std::string::npos);
  r = Raw{};
  r.auth_roots = 31;
  EXPECT_NE(decode_error(r).find("fingerprint"), std::string::npos);
  r = Raw{};
  r.auth_roots = 0;  // none: nothing verified
  r.auth_mode = 0;
  EXPECT_EQ(decode_error(r), "(decoded)");
  // Exactly at the limits is fine.
  r = Raw{};
  r.secret = 64;
  r.name = 255;
  r.certs.assign(10, 6553);
  r.certs.back() = 65536 - 9 * 6553;
  EXPECT_EQ(decode_error(r), "(decoded)");
  Bytes huge(SessionData::kMaxEncoded + 1, 0);
  EXPECT_FALSE(SessionData::decode(huge).ok());
}

TEST(SessionDataEncode, RefusesFieldsOverTheLimits) {
  auto refused = [](auto&& change) {
    SessionData s = full_session(tls::kTls12);
    change(s);
    auto encoded = s.encode();
    if (encoded.ok()) return false;
    EXPECT_EQ(encoded.error().code, Errc::usage);
    return true;
  };
  EXPECT_TRUE(refused([](SessionData& s) { s.secret = SecretBuffer(65); }));
  EXPECT_TRUE(refused([](SessionData& s) { s.server_name.assign(256, 'a'); }));
  EXPECT_TRUE(refused([](SessionData& s) { s.alpn.assign(256, 'a'); }));
  EXPECT_TRUE(refused([](SessionData& s) { s.ticket.assign(65536, 1); }));
  EXPECT_TRUE(refused([](SessionData& s) { s.session_id.assign(33, 1); }));
  EXPECT_TRUE(refused([](SessionData& s) { s.peer_chain.assign(11, Bytes(10, 1)); }));
  EXPECT_TRUE(refused([](SessionData& s) { s.peer_chain.assign(2, Bytes(40000, 1)); }));
  EXPECT_TRUE(refused([](SessionData& s) { s.peer_chain.emplace_back(); }));
  EXPECT_TRUE(refused([](SessionData& s) { s.auth.roots.assign(31, 1); }));
  EXPECT_TRUE(refused([](SessionData& s) { s.auth.hostname.assign(256, 'a'); }));
  EXPECT_TRUE(refused([](SessionData& s) { s.auth.mode = static_cast<AuthContext::Mode>(4); }));
  EXPECT_FALSE(refused([](SessionData& s) { s.ticket.assign(65535, 1); }));
}

TEST(SessionData, ExpiresAtCreatedPlusLifetime) {
  SessionData s;
  s.created_at = 1000;
  s.lifetime = 10;
  EXPECT_FALSE(s.expired(1000));
  EXPECT_FALSE(s.expired(1009));
  EXPECT_TRUE(s.expired(1010));
  EXPECT_TRUE(s.expired(999));  // from the future
  s.lifetime = 0;
  EXPECT_TRUE(s.expired(1000));
  s.created_at = INT64_MIN;  // no overflow at the extremes
  s.lifetime = UINT32_MAX;
  EXPECT_TRUE(s.expired(INT64_MAX));
  s.created_at = INT64_MAX;
  EXPECT_FALSE(s.expired(INT64_MAX));
}

TEST(SessionSecretBuffer, CopiesAndMovesKeepTheBytes) {
  const uint8_t bytes[] = {1, 2, 3};
  SecretBuffer a{BytesView(bytes)};
  SecretBuffer b = a;
  EXPECT_TRUE(equal(b.view(), bytes));
  SecretBuffer c = std::move(a);
  EXPECT_TRUE(equal(c.view(), bytes));
  EXPECT_TRUE(a.empty());  // NOLINT: moved-from is specified empty
  b = c;
  SecretBuffer& alias = b;
  b = alias;  // self-assignment keeps the bytes
  EXPECT_TRUE(equal(b.view(), bytes));
  c = SecretBuffer();
  EXPECT_TRUE(c.empty());
}

// --- PEM and files ------------------------------------------------------------------------

TEST(SessionPem, RoundTripsWithTextAround) {
  SessionData s = full_session(tls::kTls13);
  auto pem = session_to_pem(s);
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(pem->rfind("-----BEGIN TERN SESSION-----\n", 0), 0u);
  auto decoded = session_from_pem("saved by tern get\n" + *pem + "trailing note\n");
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  expect_same(*decoded, s);
}

TEST(SessionPem, DamagedPemIsRefused) {
  std::string pem = session_to_pem(full_session(tls::kTls12)).value();
  auto refused = [](const std::string& text) {
    auto decoded = session_from_pem(text);
    if (decoded.ok()) return false;
    EXPECT_EQ(decoded.error().code, Errc::decode);
    return true;
  };
  std::string bad_char = pem;
  bad_char[40] = '!';
  EXPECT_TRUE(refused(bad_char));
  EXPECT_TRUE(refused(pem.substr(0, pem.size() - 10)));  // END line cut
  std::string cut_body = pem;
  cut_body.erase(29, 4);  // four base64 characters fewer: valid base64, short session
  EXPECT_TRUE(refused(cut_body));
  std::string other_label = pem;
  other_label.replace(other_label.find("TERN SESSION"), 12, "CERTIFICATE ");
  other_label.replace(other_label.rfind("TERN SESSION"), 12, "CERTIFICATE ");
  EXPECT_TRUE(refused(other_label));
  EXPECT_TRUE(refused(pem + pem));
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused(std::string(300 * 1024, 'A')));
}

TEST(SessionFile, SavesMode0600AndLoads) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.file("sess.pem");
  std::ofstream(path) << "old";
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  mode_t saved_umask = umask(0);  // the mode must not depend on the umask
  SessionData s = full_session(tls::kTls12);
  auto saved = save_session_file(path, s);
  umask(saved_umask);
  ASSERT_TRUE(saved.ok()) << saved.error();
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  auto loaded = load_session_file(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  expect_same(*loaded, s);
}

TEST(SessionFile, ErrorsNameTheFile) {
  TempDir dir;
  std::string missing = dir.file("nope.pem");
  auto loaded = load_session_file(missing);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, Errc::io);
  EXPECT_NE(loaded.error().detail.find(missing), std::string::npos) << loaded.error();
  EXPECT_NE(loaded.error().detail.find("No such file"), std::string::npos) << loaded.error();

  std::string garbage = dir.file("garbage.pem");
  std::ofstream(garbage) << "-----BEGIN TERN SESSION-----\nAAAA\n-----END TERN SESSION-----\n";
  ASSERT_EQ(chmod(garbage.c_str(), 0600), 0);
  loaded = load_session_file(garbage);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, Errc::decode);
  EXPECT_EQ(loaded.error().detail.rfind(garbage + ": ", 0), 0u) << loaded.error();

  auto saved = save_session_file(dir.file("no/such/dir/sess.pem"), full_session(tls::kTls13));
  ASSERT_FALSE(saved.ok());
  EXPECT_NE(saved.error().detail.find("no/such/dir/sess.pem"), std::string::npos);
  EXPECT_FALSE(load_session_file(dir.path()).ok());  // a directory
}

// A session file others may write could claim any authentication context: refused, with
// the chmod that fixes it.
TEST(SessionFile, RefusesAFileOthersMayAccess) {
  TempDir dir;
  std::string path = dir.file("sess.pem");
  ASSERT_TRUE(save_session_file(path, full_session(tls::kTls13)).ok());
  for (mode_t mode : {0644, 0620, 0604}) {
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
    auto loaded = load_session_file(path);
    ASSERT_FALSE(loaded.ok()) << mode;
    EXPECT_NE(loaded.error().detail.find("chmod 600 " + path), std::string::npos)
        << loaded.error();
  }
  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  EXPECT_TRUE(load_session_file(path).ok());
}

}  // namespace
}  // namespace tern
