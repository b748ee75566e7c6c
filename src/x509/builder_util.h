// SPDX-License-Identifier: Apache-2.0
// What the builders (builder.cpp) share with the encoders under them (builder_encode.cpp).
// Private to src/x509.
#pragma once

#include "base/writer.h"
#include "x509/builder.h"

namespace tern::x509 {

// One GeneralName with its context tag (RFC 5280 Appendix A.2); a raw one as given.
void write_general_name(base::Writer& w, const GeneralNameSpec& name);

}  // namespace tern::x509
