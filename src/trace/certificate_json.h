// SPDX-License-Identifier: Apache-2.0
// The stable JSON description of one certificate (docs/cli.md lists the fields), in the
// tool's --json output and in traces.
#pragma once

#include <nlohmann/json.hpp>

#include "tern/x509.h"

namespace tern::trace {

nlohmann::ordered_json certificate_json(const CertificateInfo& info);

}  // namespace tern::trace
