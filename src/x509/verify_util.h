// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the path validation files (verify.cpp, web_profile.cpp).
#pragma once

#include <algorithm>
#include <string>

#include "tern/result.h"
#include "x509/certificate.h"

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

}  // namespace tern::x509
