// SPDX-License-Identifier: Apache-2.0
// The portable path: curve.h over PortableField.
#include "crypto/x25519/impl.h"

namespace tern::crypto::x25519::portable {

Fe fixed_base(const uint8_t k[32]) { return x25519::fixed_base<PortableField>(k, kBaseTable); }

Fe ladder(const uint8_t k[32], const Fe& u) { return montgomery_ladder<PortableField>(k, u); }

}  // namespace tern::crypto::x25519::portable
