// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the path validation files (verify.cpp, verify_cert_checks.cpp,
// verify_path_checks.cpp, web_profile.cpp), and the checks the path builder in verify.cpp
// calls from the other two.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "tern/result.h"
#include "x509/certificate.h"
#include "x509/verify.h"

namespace tern::x509 {

inline Error reject(std::string message, Alert alert = Alert::bad_certificate) {
  return Error(Errc::certificate, std::move(message), alert);
}

inline std::string who(const Certificate& cert) { return "certificate " + cert.display_name(); }

inline const Extension* find_extension(const Certificate& cert, const Bytes& id) {
  for (const auto& ext : cert.extensions) {
    if (equal(ext.id, id)) return &ext;
  }
  return nullptr;
}

inline bool has_eku(const Certificate& cert, const Bytes& id) {
  if (!cert.extended_key_usage) return false;
  return std::any_of(cert.extended_key_usage->begin(), cert.extended_key_usage->end(),
                     [&](Oid oid) { return equal(oid, id); });
}

inline bool is_ca(const Certificate& cert) {
  return cert.basic_constraints && cert.basic_constraints->ca;
}

// --- Between the path builder (verify.cpp) and its checks. ------------------------------

enum class Role : uint8_t { leaf, intermediate, anchor };

// A step for PathOptions::on_step: formatted only when someone listens.
template <typename Detail>
void report(const PathOptions& options, VerifyCheck check, size_t depth, const Certificate& cert,
            const Detail& detail) {
  if (options.on_step) options.on_step(PathStep{check, true, depth, &cert, detail()});
}

// verify_cert_checks.cpp: the checks of one certificate and the details of their steps.
std::string validity_detail(const Certificate& cert, int64_t time);
std::string issuer_detail(const Certificate& cert);
std::string signature_detail(const Certificate& child, const Certificate& issuer);

// Rules for the leaf and for a CA, each after the rules for every certificate. On a
// rejection, `failed` says which check it was (for PathOptions::on_step).
Result<void> check_leaf(const Certificate& cert, const PathOptions& options, VerifyCheck& failed);
Result<void> check_ca(const Certificate& cert, Role role, const PathOptions& options,
                      VerifyCheck& failed);

// verify_path_checks.cpp: the checks that need the whole path.
Result<void> check_name_constraints(const Certificate& cert, const Certificate& ca,
                                    const NameConstraints& nc);
Result<void> check_key_identifiers(const Certificate& child, const Certificate& issuer);
Result<void> check_path_lengths(const std::vector<const Certificate*>& path);

}  // namespace tern::x509
