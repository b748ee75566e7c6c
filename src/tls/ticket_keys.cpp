// SPDX-License-Identifier: Apache-2.0
// TicketKeys: session tickets sealed with AES-256-GCM under keys derived per epoch from one
// master secret (see include/tern/session.h for the schedule and the key file).
#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>

#include "base/secret.h"
#include "crypto/provider.h"
#include "tern/session.h"
#include "base/private_file.h"

namespace tern {
namespace {

using base::SecretBytes;
using crypto::Hash;

constexpr size_t kNonceSize = crypto::kAeadNonceSize;
constexpr size_t kTagSize = crypto::kAeadTagSize;
constexpr size_t kKeySize = 32;
static_assert(TicketKeys::kOverhead == TicketKeys::kKeyNameSize + kNonceSize + kTagSize);

constexpr std::string_view kExtractSalt = "tern ticket keys v1";
constexpr std::string_view kNameLabel = "tern ticket key name";
constexpr std::string_view kKeyLabel = "tern ticket key";
constexpr const char* kKeyFileWhat = "ticket key file";
constexpr size_t kMaxKeyFile = 64 * 1024;
constexpr size_t kKeyFileSecret = 32;

// floor(now / period), also for times before 1970.
int64_t epoch_of(int64_t now, uint32_t period) {
  int64_t p = period;
  int64_t q = now / p;
  if (now % p < 0) --q;
  return q;
}

Bytes info_for(std::string_view label, int64_t epoch) {
  Bytes info(label.begin(), label.end());
  for (int shift = 56; shift >= 0; shift -= 8)
    info.push_back(static_cast<uint8_t>(static_cast<uint64_t>(epoch) >> shift));
  return info;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

Error key_file_error(const std::string& path, const std::string& what) {
  return Error(Errc::decode, "the ticket key file " + path + " " + what);
}

// The master secret in a key file's text; decoded straight into SecretBytes so no copy of
// it is left in an ordinary buffer.
Result<SecretBytes> parse_key_file(std::string_view text, const std::string& path) {
  std::string_view key;
  size_t line_no = 0, key_line = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (key_line)
      return key_file_error(path, "has a second key line (line " + std::to_string(line_no) +
                                      "); it holds exactly one");
    key = line;
    key_line = line_no;
  }
  if (!key_line)
    return key_file_error(
        path, "has no key line (" + std::to_string(2 * kKeyFileSecret) + " or more hex digits)");
  std::string at = "line " + std::to_string(key_line);
  for (char c : key)
    if (hex_value(c) < 0) return key_file_error(path, at + " is not hex");
  if (key.size() % 2) return key_file_error(path, at + " has an odd number of hex digits");
  if (key.size() < 2 * TicketKeys::kMinMasterSecret)
    return key_file_error(path, at + " has " + std::to_string(key.size()) +
                                    " hex digits; at least " +
                                    std::to_string(2 * TicketKeys::kMinMasterSecret) +
                                    " are needed (a 32-byte secret)");
  SecretBytes secret(key.size() / 2);
  for (size_t i = 0; i < secret.size(); ++i)
    secret.data()[i] = static_cast<uint8_t>(hex_value(key[2 * i]) << 4 | hex_value(key[2 * i + 1]));
  return secret;
}

}  // namespace

struct TicketKeys::State {
  // Three epochs, not two: threads whose clocks straddle a boundary ask for e-1, e and e+1
  // at once, and two slots would then derive keys over and over.
  struct Slot {
    bool used = false;
    int64_t epoch = 0;
    uint64_t last_use = 0;
    std::array<uint8_t, kKeyNameSize> name{};
    std::unique_ptr<crypto::AeadContext> aead;
  };

  State(const crypto::Provider& p, SecretBytes key) : provider(p), prk(std::move(key)) {}

  // The keys of `epoch`, derived on first use. Call with `mu` held: AeadContext keeps
  // per-operation state and is not safe to share between threads.
  Result<Slot*> slot_for(int64_t epoch) {
    Slot* victim = &slots[0];
    for (Slot& slot : slots) {
      if (slot.used && slot.epoch == epoch) {
        slot.last_use = ++uses;
        return &slot;
      }
      if (!slot.used || (victim->used && slot.last_use < victim->last_use)) victim = &slot;
    }
    TERN_TRY(auto name, provider.hkdf_expand(Hash::sha256, prk.view(), info_for(kNameLabel, epoch),
                                             kKeyNameSize));
    TERN_TRY(auto key,
             provider.hkdf_expand(Hash::sha256, prk.view(), info_for(kKeyLabel, epoch), kKeySize));
    TERN_TRY(auto aead, provider.aead(crypto::Aead::aes256_gcm, key.view()));
    victim->used = true;
    victim->epoch = epoch;
    victim->last_use = ++uses;
    std::memcpy(victim->name.data(), name.data(), kKeyNameSize);
    victim->aead = std::move(aead);
    return victim;
  }

  const crypto::Provider& provider;
  const SecretBytes prk;  // HKDF-Extract of the master secret; the secret itself is not kept
  std::mutex mu;
  std::array<Slot, 3> slots;
  uint64_t uses = 0;
};

TicketKeys::TicketKeys(std::unique_ptr<State> state, uint32_t period)
    : state_(std::move(state)), period_(period) {}
TicketKeys::~TicketKeys() = default;

Result<std::shared_ptr<TicketKeys>> TicketKeys::from_secret(BytesView master_secret,
                                                            uint32_t rotation_period_seconds) {
  if (rotation_period_seconds == 0)
    return Error(Errc::usage, "the ticket key rotation period must be at least one second");
  if (master_secret.size() < kMinMasterSecret)
    return Error(Errc::usage, "a ticket master secret needs at least 32 bytes, not " +
                                  std::to_string(master_secret.size()));
  const crypto::Provider& provider = crypto::default_provider();
  SecretBytes prk = provider.hkdf_extract(Hash::sha256, as_bytes(kExtractSalt), master_secret);
  auto state = std::make_unique<State>(provider, std::move(prk));
  return std::shared_ptr<TicketKeys>(new TicketKeys(std::move(state), rotation_period_seconds));
}

Result<std::shared_ptr<TicketKeys>> TicketKeys::generate(uint32_t rotation_period_seconds) {
  SecretBytes secret(kKeyFileSecret);
  TERN_CHECK(crypto::default_provider().random(secret.span()));
  return from_secret(secret.view(), rotation_period_seconds);
}

Result<std::shared_ptr<TicketKeys>> TicketKeys::load(const std::string& path,
                                                     uint32_t rotation_period_seconds) {
  TERN_TRY(auto text, base::read_file(path, kMaxKeyFile, kKeyFileWhat, /*owner_only=*/true));
  TERN_TRY(auto secret, parse_key_file(as_chars(text.view()), path));
  return from_secret(secret.view(), rotation_period_seconds);
}

Result<void> TicketKeys::write_key_file(const std::string& path) {
  SecretBytes secret(kKeyFileSecret);
  TERN_CHECK(crypto::default_provider().random(secret.span()));
  constexpr std::string_view kHeader =
      "# tern session ticket key. Servers that share this file resume each other's sessions.\n"
      "# Keep it secret (mode 0600); replace it to invalidate every outstanding ticket.\n";
  static const char kDigits[] = "0123456789abcdef";
  SecretBytes text(kHeader.size() + 2 * secret.size() + 1);
  std::memcpy(text.data(), kHeader.data(), kHeader.size());
  uint8_t* out = text.data() + kHeader.size();
  for (uint8_t b : secret.view()) {
    *out++ = static_cast<uint8_t>(kDigits[b >> 4]);
    *out++ = static_cast<uint8_t>(kDigits[b & 15]);
  }
  *out = '\n';
  return base::create_file(path, text.view(), 0600, kKeyFileWhat);
}

Result<Bytes> TicketKeys::seal(BytesView plaintext, int64_t now) const {
  if (plaintext.size() > SessionData::kMaxTicket - kOverhead)
    return Error(Errc::usage, "a ticket of " + std::to_string(plaintext.size() + kOverhead) +
                                  " bytes would exceed the 65535 bytes TLS can carry");
  Bytes ticket(kOverhead + plaintext.size());
  std::span<uint8_t> out(ticket);
  auto name = out.first(kKeyNameSize);
  auto nonce = out.subspan(kKeyNameSize, kNonceSize);
  auto body = out.subspan(kKeyNameSize + kNonceSize, plaintext.size());
  auto tag = out.last(kTagSize);
  State& s = *state_;
  TERN_CHECK(s.provider.random(nonce));
  if (!plaintext.empty()) std::memcpy(body.data(), plaintext.data(), plaintext.size());

  std::lock_guard lock(s.mu);
  auto slot_or = s.slot_for(epoch_of(now, period_));
  if (!slot_or) {
    base::secure_zero(ticket.data(), ticket.size());
    return std::move(slot_or).error();
  }
  State::Slot* slot = *slot_or;
  std::memcpy(name.data(), slot->name.data(), kKeyNameSize);
  if (auto sealed = slot->aead->seal(nonce, name, body, tag); !sealed) {
    base::secure_zero(ticket.data(), ticket.size());  // may still hold the plaintext
    return std::move(sealed).error();
  }
  return ticket;
}

std::optional<SecretBuffer> TicketKeys::open(BytesView ticket, int64_t now) const {
  if (ticket.size() < kOverhead || ticket.size() > SessionData::kMaxTicket) return std::nullopt;
  BytesView name = ticket.first(kKeyNameSize);
  BytesView nonce = ticket.subspan(kKeyNameSize, kNonceSize);
  BytesView body = ticket.subspan(kKeyNameSize + kNonceSize, ticket.size() - kOverhead);
  BytesView tag = ticket.last(kTagSize);

  int64_t epoch = epoch_of(now, period_);
  State& s = *state_;
  std::lock_guard lock(s.mu);
  // The current epoch first: after a rotation, most tickets in flight are new ones.
  // (There is no epoch before INT64_MIN, reachable only with a period of one second.)
  int64_t candidates[] = {epoch, epoch == INT64_MIN ? epoch : epoch - 1};
  for (int64_t candidate : candidates) {
    auto slot = s.slot_for(candidate);
    if (!slot) return std::nullopt;
    if (!base::constant_time_equal(name, (*slot)->name)) continue;
    SecretBuffer plaintext(body);
    if (!(*slot)->aead->open(nonce, name, plaintext.span(), tag)) return std::nullopt;
    return plaintext;
  }
  return std::nullopt;
}

Result<Bytes> TicketKeys::seal_session(const SessionData& session, int64_t now) const {
  TERN_TRY(auto encoded, session.encode());
  auto sealed = seal(encoded, now);
  base::secure_zero(encoded.data(), encoded.size());
  return sealed;
}

std::optional<SessionData> TicketKeys::open_session(BytesView ticket, int64_t now) const {
  auto plaintext = open(ticket, now);
  if (!plaintext) return std::nullopt;
  auto session = SessionData::decode(plaintext->view());
  if (!session || session->expired(now)) return std::nullopt;
  return std::move(session).value();
}

}  // namespace tern
