// SPDX-License-Identifier: Apache-2.0
// Human-readable descriptions of handshake messages, for `tern trace` and for debugging:
// a title line, then one indented "field: value" line per field, code points by name.
//
//   ServerHello (90 bytes)
//     legacy_version: TLSv1.2
//     random: a6af06a4...
//     cipher_suite: TLS_AES_128_GCM_SHA256
//     extensions (2):
//       key_share: x25519 (32 bytes)
//       supported_versions: TLSv1.3
#pragma once

#include <string>

#include "msgs/codes.h"
#include "msgs/handshake.h"
#include "tern/bytes.h"

namespace tern::msgs {

std::string describe(const ClientHello& m);
std::string describe(const ServerHello& m);  // titled HelloRetryRequest when it is one
std::string describe(const EncryptedExtensions& m);
std::string describe(const Certificate13& m);
std::string describe(const Certificate12& m);
std::string describe(const CertificateRequest13& m);
std::string describe(const CertificateRequest12& m);
std::string describe(const CertificateVerify& m);
std::string describe(const Finished& m);
std::string describe(const NewSessionTicket13& m);
std::string describe(const NewSessionTicket12& m);
std::string describe(const KeyUpdate& m);
std::string describe(const EndOfEarlyData& m);
std::string describe(const HelloRequest& m);
std::string describe(const ServerKeyExchangeEcdhe& m);
std::string describe(const ServerHelloDone& m);
std::string describe(const ClientKeyExchangeEcdhe& m);
std::string describe(const ClientKeyExchangeRsa& m);

// Which forms to use where TLS 1.2 and 1.3 differ (Certificate, CertificateRequest,
// NewSessionTicket) and how to read a TLS 1.2 ClientKeyExchange (it depends on the suite).
struct DescribeOptions {
  ProtocolVersion version = ProtocolVersion::tls13;
  bool rsa_key_exchange = false;
};

// Parses one whole handshake message (header included) and describes it. Never fails:
// a malformed message is described as such, with the parser's error.
std::string describe_handshake(BytesView message, const DescribeOptions& options = {});

}  // namespace tern::msgs
