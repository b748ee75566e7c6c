// SPDX-License-Identifier: Apache-2.0
// Names for a local CA: the names a leaf is issued for, the name constraints a root is made
// with, the check that a name lies within them (before signing anything), and the file
// names of an issued leaf.
#pragma once

#include <string>
#include <vector>

#include "tern/bytes.h"
#include "tern/result.h"
#include "x509/builder.h"
#include "x509/certificate.h"

namespace tern::x509::ca_names {

struct LeafName {
  std::string text;  // normalised: DNS names in lower case, addresses in canonical form
  bool is_ip = false;
  Bytes ip;  // 4 or 16 bytes when is_ip
  GeneralNameSpec san;
};

// Each of `names` as a DNS name (a "*." wildcard on two labels or more) or an IP literal;
// duplicates dropped. Fails (Errc::usage) on an empty list or a name that is neither,
// saying which and why.
Result<std::vector<LeafName>> parse_leaf_names(const std::vector<std::string>& names);

struct ParsedConstraints {
  std::vector<GeneralNameSpec> permitted, excluded;
};

// `tern ca init --name-constraint` values: DNS names ("localhost", "test" or ".test": the
// name and all under it), IP addresses and CIDR ranges. Whatever kind is absent (DNS or IP)
// is excluded entirely, so the CA vouches for nothing beyond the list. Empty in, empty out.
Result<ParsedConstraints> parse_constraints(const std::vector<std::string>& constraints);

// The permitted subtrees of `nc` in the form parse_constraints takes ("localhost",
// "10.0.0.0/8").
std::vector<std::string> describe_permitted(const NameConstraints& nc);

// Whether `name` is within `nc`, by the rules path validation applies (RFC 5280
// §4.2.1.10, a wildcard only if every name it matches is). The error says which
// constraint refuses it and lists what the CA may vouch for. `ca_dir` names the CA.
Result<void> check_within(const LeafName& name, const NameConstraints& nc,
                          const std::string& ca_dir);

// mkcert's naming: the first name with "*" spelled "_wildcard" and ":" as "_", "+N" for
// N more names, "-client" for a client certificate: "localhost+2", "_wildcard.example.test".
std::string file_stem(const std::vector<LeafName>& names, bool client);

}  // namespace tern::x509::ca_names
