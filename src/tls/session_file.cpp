// SPDX-License-Identifier: Apache-2.0
// Sessions as PEM text and files (`tern get --sess-out / --sess-in`).
#include "base/encoding.h"
#include "base/secret.h"
#include "tern/session.h"
#include "base/private_file.h"

namespace tern {
namespace {

constexpr std::string_view kPemLabel = "TERN SESSION";
// base64 of the largest encoding, its line breaks and the BEGIN/END lines, with room for
// comments around the block.
constexpr size_t kMaxPemText = 256 * 1024;
constexpr const char* kWhat = "session file";

}  // namespace

Result<std::string> session_to_pem(const SessionData& session) {
  TERN_TRY(auto encoded, session.encode());
  std::string pem = base::to_pem(kPemLabel, encoded);
  base::secure_zero(encoded.data(), encoded.size());
  return pem;
}

Result<SessionData> session_from_pem(std::string_view pem) {
  if (pem.size() > kMaxPemText)
    return Error(Errc::decode,
                 "session PEM text is larger than " + std::to_string(kMaxPemText) + " bytes",
                 Alert::decode_error);
  TERN_TRY(auto blocks, base::parse_pem(pem));
  const base::PemBlock* found = nullptr;
  for (const base::PemBlock& block : blocks) {
    if (block.label != kPemLabel) continue;
    if (found) return Error(Errc::decode, "more than one TERN SESSION block", Alert::decode_error);
    found = &block;
  }
  Result<SessionData> session =
      found ? SessionData::decode(found->der)
            : Result<SessionData>(Error(Errc::decode, "no -----BEGIN TERN SESSION----- block",
                                        Alert::decode_error));
  // parse_pem's buffers held the secret in the clear.
  for (base::PemBlock& block : blocks) base::secure_zero(block.der.data(), block.der.size());
  return session;
}

Result<void> save_session_file(const std::string& path, const SessionData& session) {
  TERN_TRY(std::string pem, session_to_pem(session));
  auto saved = base::replace_file(path, as_bytes(pem), 0600, kWhat);
  base::secure_zero(pem.data(), pem.size());
  return saved;
}

Result<SessionData> load_session_file(const std::string& path) {
  // Owner only, as saved: a file others could write could claim any authentication context
  // and any secret.
  TERN_TRY(auto text, base::read_file(path, kMaxPemText, kWhat, /*owner_only=*/true));
  auto session = session_from_pem(as_chars(text.view()));
  if (!session) {
    Error e = std::move(session).error();
    e.detail = path + ": " + e.detail;
    return e;
  }
  return session;
}

}  // namespace tern
