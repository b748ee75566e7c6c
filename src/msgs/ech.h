// SPDX-License-Identifier: Apache-2.0
// Encrypted Client Hello (RFC 9849) on the wire: ECHConfig and ECHConfigList (§4), the
// encrypted_client_hello extension in its ClientHello, HelloRetryRequest and
// EncryptedExtensions forms (§5), ech_outer_extensions (§5.1), and the
// EncodedClientHelloInner with its padding. No crypto, no state: ech_client/ech_server in
// src/handshake do the rest.
//
// Errors: malformed bytes are Errc::decode with Alert::decode_error; a reference that
// cannot be resolved (§5.1) is Alert::illegal_parameter.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "msgs/handshake.h"
#include "tern/bytes.h"
#include "tern/result.h"

namespace tern::msgs {

inline constexpr uint16_t kEchConfigVersion = 0xfe0d;
// ech_outer_extensions (RFC 9849 §5.1); only ever inside an EncodedClientHelloInner.
inline constexpr auto kEchOuterExtensions = static_cast<ExtensionType>(0xfd00);
// The 8 bytes of acceptance confirmation (§7.2) in ServerHello.random and in the HRR.
inline constexpr size_t kEchConfirmationSize = 8;
// At most this many extensions may be referenced by ech_outer_extensions (the vector is
// <2..254> bytes).
inline constexpr size_t kMaxOuterExtensions = 127;

struct HpkeSymmetricSuite {
  uint16_t kdf_id = 0;
  uint16_t aead_id = 0;
  bool operator==(const HpkeSymmetricSuite&) const = default;
};

struct EchConfigExtension {
  uint16_t type = 0;
  Bytes data;
  bool mandatory() const { return type & 0x8000; }  // §4.2: the client must understand it
};

// One ECHConfig of version 0xfe0d.
struct EchConfig {
  uint8_t config_id = 0;
  uint16_t kem_id = 0;
  Bytes public_key;
  std::vector<HpkeSymmetricSuite> cipher_suites;
  uint8_t maximum_name_length = 0;
  std::string public_name;
  std::vector<EchConfigExtension> extensions;
  // The whole ECHConfig (version and length included): the HPKE info binds to it.
  Bytes encoded;

  Bytes encode() const;
};

// An ECHConfigList. Configs of other versions are skipped (§4: clients ignore them) and
// reported in `skipped_versions`; an empty or malformed list fails.
struct EchConfigList {
  std::vector<EchConfig> configs;
  size_t skipped_versions = 0;
};
Result<EchConfigList> parse_ech_config_list(BytesView list);
// The list of already encoded configs (EchConfig::encoded), with its 2-byte length.
Bytes encode_ech_config_list(const std::vector<BytesView>& configs);
// Whether `name` is a public name a client may use (§4): dot-separated LDH labels, the last
// not all digits (no IPv4 literal).
bool valid_public_name(std::string_view name);

// The encrypted_client_hello extension in a ClientHello (§5).
enum class EchClientHelloType : uint8_t { outer = 0, inner = 1 };
struct EchClientHello {
  EchClientHelloType type = EchClientHelloType::outer;
  HpkeSymmetricSuite cipher_suite;  // outer only
  uint8_t config_id = 0;            // outer only
  Bytes enc;                        // outer only; empty in a second ClientHello after HRR
  Bytes payload;                    // outer only
  static Result<EchClientHello> parse(BytesView body);
  Bytes encode() const;
};

// ech_outer_extensions: the types an EncodedClientHelloInner takes from the outer hello.
Result<std::vector<ExtensionType>> parse_outer_extensions(BytesView body);
Bytes encode_outer_extensions(const std::vector<ExtensionType>& types);

// §5.1: the ClientHelloInner (a handshake message, header included) from the decrypted
// EncodedClientHelloInner and the outer ClientHello's body: legacy_session_id comes from
// the outer hello, ech_outer_extensions is replaced by the referenced outer extensions
// (which must appear in the outer hello in that order, never encrypted_client_hello), and
// the padding must be zeros.
Result<Bytes> decode_client_hello_inner(BytesView encoded_inner, BytesView outer_body);

// The EncodedClientHelloInner for a ClientHelloInner body: an empty legacy_session_id, the
// extensions of `compress` (which must be consecutive in the inner hello) replaced by one
// ech_outer_extensions, then zeros to the padded length of §6.1.3 given the config's
// maximum_name_length and the inner SNI.
Bytes encode_client_hello_inner(const ClientHello& inner, const std::vector<ExtensionType>& compress,
                                size_t maximum_name_length, size_t server_name_length);

}  // namespace tern::msgs
