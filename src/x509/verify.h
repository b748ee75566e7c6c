// SPDX-License-Identifier: Apache-2.0
// Certification path building and validation (RFC 5280 §6 with the web PKI's stricter
// rules where they differ). Works on parsed certificates; the public verify_chain in
// public_api.cpp wraps it.
//
// Path building is a depth-first search from the leaf through the untrusted intermediates
// to any trust anchor, with backtracking: when a candidate path fails validation the next
// candidate issuer is tried. Work is bounded by a depth limit and a global budget of
// signature checks and candidate visits, so a hostile bundle (hundreds of certificates with
// the same name) is rejected quickly instead of exploring an exponential tree.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tern/result.h"
#include "tern/x509.h"
#include "x509/certificate.h"

namespace tern::x509 {

// One check for VerifyOptions::on_step; public_api.cpp fills in the anchor's source.
struct PathStep {
  VerifyCheck check = VerifyCheck::validity;
  bool ok = true;
  size_t depth = 0;
  const Certificate* certificate = nullptr;
  std::string detail;
};

struct PathOptions {
  int64_t time = 0;       // seconds since 1970, UTC
  std::string reference;  // DNS name, IP literal or email; empty: no name check
  Purpose purpose = Purpose::server;
  VerifyProfile profile = VerifyProfile::web;
  size_t max_intermediates = 8;   // most non-self-issued certificates between leaf and anchor
  bool check_revocation = false;  // CRLs were given: check each certificate whose issuer has one
  // Each check of the path finally chosen (or leading to the rejection); null: none.
  std::function<void(const PathStep&)> on_step;
};

// Limits on path-building work within one call: what a peer's chain can cost before it is
// authenticated. A signature check is the costly step; with keys capped (web_profile.h) the
// worst is RSA-8192 with e = 2^32 - 1, about 0.8 ms a check on the 2-core test machine, so
// 32 checks bound a verification near 26 ms of CPU (X509WebProfile.HostileChainAtTheKey-
// LimitsStaysWithinTheBudget prints the figures; an RSA-16384 check with e = 2^64 - 1, as
// allowed before the key limits, took 8-10 ms). 32 is 3.5 times what the longest default
// path needs (8 intermediates: 9 checks), room for cross-signed alternatives, and under
// Go's 100 (crypto/x509 maxChainSignatureChecks). verify_chain raises it to 2 checks per
// certificate of the longest path a caller allows (--max-depth up to 255). Candidates are
// cheap (a name comparison each) and bounded only against huge bundles.
struct PathBudget {
  size_t max_signature_checks = 32;
  size_t max_candidates = 1024;  // issuer candidates considered, over the whole search
};

struct PathStats {
  size_t signature_checks = 0;
  size_t candidates = 0;
  size_t paths_validated = 0;
  bool budget_exhausted = false;
};

struct ValidatedPath {
  std::vector<const Certificate*> certificates;  // leaf first, anchor last
  size_t anchor_index = 0;                       // index into the anchors given
};

// Builds and validates a path. `anchors` are trusted by subject and key; a certificate
// among them is also accepted as its own anchor when it is the leaf itself.
Result<ValidatedPath> build_and_validate(const Certificate& leaf,
                                         const std::vector<const Certificate*>& intermediates,
                                         const std::vector<const Certificate*>& anchors,
                                         const std::vector<const Crl*>& crls,
                                         const PathOptions& options, const PathBudget& budget = {},
                                         PathStats* stats = nullptr);

// A whole file; Errc::io with the path and the system's reason on failure.
Result<Bytes> read_file_bytes(const std::string& path);

// "2024-01-01 00:00:00 UTC"
std::string format_time(int64_t unix_seconds);

}  // namespace tern::x509
