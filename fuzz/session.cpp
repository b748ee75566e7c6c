// SPDX-License-Identifier: Apache-2.0
// Fuzzes the session readers: SessionData::decode, the PEM form, and TicketKeys opening
// arbitrary tickets and (through a valid seal) arbitrary ticket plaintexts. Must never
// crash, hang or read out of bounds; a session that decodes must re-encode to the same
// bytes (the format has one encoding per session).
#include "tern/session.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

constexpr int64_t kNow = 1'700'000'000;  // the seeds' tickets are sealed at this time

const tern::TicketKeys& fixed_keys() {
  static const auto keys = [] {
    tern::Bytes secret(32, 0x42);
    return tern::TicketKeys::from_secret(secret, 43200).value();
  }();
  return *keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tern;
  BytesView input(data, size);

  if (auto session = SessionData::decode(input); session.ok()) {
    auto again = session->encode();
    if (!again.ok() || !equal(*again, input)) std::abort();
    (void)session->expired(kNow);
  }
  if (auto session = session_from_pem(as_chars(input)); session.ok()) {
    if (!session->encode().ok()) std::abort();
  }

  const TicketKeys& keys = fixed_keys();
  (void)keys.open_session(input, kNow);
  (void)keys.open(input, kNow + 43200);
  // The same bytes as the plaintext of an authentic ticket: what a server sees if its own
  // encoder ever wrote something odd, or if the key leaked.
  if (auto sealed = keys.seal(input, kNow); sealed.ok()) {
    auto opened = keys.open(*sealed, kNow);
    if (!opened || !equal(opened->view(), input)) std::abort();
    (void)keys.open_session(*sealed, kNow);
  }
  return 0;
}
