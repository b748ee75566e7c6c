// SPDX-License-Identifier: Apache-2.0
#include "trace/certificate_json.h"

#include "trace/peer_text.h"

namespace tern::trace {

nlohmann::ordered_json certificate_json(const CertificateInfo& info) {
  return nlohmann::ordered_json{
      {"subject", info.subject},
      {"issuer", info.issuer},
      {"serial", info.serial},
      {"not_before", iso8601(info.not_before)},
      {"not_after", iso8601(info.not_after)},
      {"names", info.names},
      {"key", info.key},
      {"signature_algorithm", info.signature_algorithm},
      {"sha256_fingerprint", info.sha256_fingerprint},
      {"is_ca", info.is_ca},
  };
}


}  // namespace tern::trace
