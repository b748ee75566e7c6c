// SPDX-License-Identifier: Apache-2.0
// Shared by the session and ticket tests: a session with every field set, a field-by-field
// comparison, and a scratch directory.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "tern/session.h"

namespace tern::test {

inline SessionData full_session(uint16_t version) {
  SessionData s;
  s.version = version;
  s.cipher_suite = version == 0x0304 ? 0x1302 : 0xc030;
  Bytes secret(48);
  for (size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<uint8_t>(i * 7 + 1);
  s.secret = SecretBuffer(secret);
  s.extended_master_secret = version == 0x0303;
  s.created_at = 1'700'000'000;
  s.lifetime = 7200;
  s.ticket_age_add = 0xdeadbeef;
  s.server_name = "www.example.org";
  s.alpn = "http/1.1";
  s.peer_chain = {Bytes(700, 0x30), Bytes(900, 0x31)};
  s.ticket = Bytes(180, 0x5a);
  if (version == 0x0303) s.session_id = Bytes(32, 0x11);
  s.auth.mode = AuthContext::Mode::verified;
  s.auth.roots = Bytes(32, 0x7e);
  s.auth.hostname = "www.example.org";
  return s;
}

inline void expect_same(const SessionData& a, const SessionData& b) {
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.cipher_suite, b.cipher_suite);
  EXPECT_TRUE(equal(a.secret.view(), b.secret.view()));
  EXPECT_EQ(a.extended_master_secret, b.extended_master_secret);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.lifetime, b.lifetime);
  EXPECT_EQ(a.ticket_age_add, b.ticket_age_add);
  EXPECT_EQ(a.server_name, b.server_name);
  EXPECT_EQ(a.alpn, b.alpn);
  EXPECT_EQ(a.peer_chain, b.peer_chain);
  EXPECT_EQ(a.ticket, b.ticket);
  EXPECT_EQ(a.session_id, b.session_id);
  EXPECT_TRUE(a.auth == b.auth);
}

// A scratch directory, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tern-session-XXXXXX").string();
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace tern::test
