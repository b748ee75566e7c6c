// SPDX-License-Identifier: Apache-2.0
// The public X.509 API of include/tern/x509.h over the internal parser and path builder.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>

#include "base/encoding.h"
#include "tern/x509.h"
#include "x509/certificate.h"
#include "x509/hostname.h"
#include "x509/verify.h"

namespace tern {
namespace {

std::string key_description(const x509::Certificate& cert) {
  switch (cert.key_type) {
    case crypto::KeyType::ec_p256:
      return "EC P-256";
    case crypto::KeyType::ec_p384:
      return "EC P-384";
    case crypto::KeyType::ec_p521:
      return "EC P-521";
    case crypto::KeyType::rsa:
      return "RSA " + std::to_string(cert.key_bits);
    case crypto::KeyType::rsa_pss:
      return "RSA-PSS " + std::to_string(cert.key_bits);
    case crypto::KeyType::ed25519:
      return "Ed25519";
    default:
      return "unsupported key";
  }
}

}  // namespace

namespace x509 {
Result<Bytes> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error(Errc::io, "cannot read " + path + ": " + std::strerror(errno));
  }
  Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error(Errc::io, "cannot read " + path + ": read error");
  return data;
}
}  // namespace x509

Result<std::vector<Certificate>> Certificate::parse_all(BytesView pem_or_der) {
  TERN_TRY(auto parsed, x509::parse_certificates(pem_or_der));
  std::vector<Certificate> out;
  out.reserve(parsed.size());
  for (auto& cert : parsed) out.emplace_back(std::move(cert));
  return out;
}

Result<std::vector<Certificate>> Certificate::load_file(const std::string& path) {
  TERN_TRY(auto data, x509::read_file_bytes(path));
  TERN_CHECK(x509::check_holds_certificates(data, path));
  auto parsed = parse_all(data);
  if (!parsed) {
    Error error = std::move(parsed).error();
    error.detail = path + ": " + error.detail;
    return error;
  }
  if (parsed->empty()) {
    return Error(Errc::decode,
                 path + ": no certificate found (expected PEM \"CERTIFICATE\" " +
                     std::string("blocks or one DER certificate)"),
                 Alert::bad_certificate);
  }
  return parsed;
}

BytesView Certificate::der() const { return cert_->der; }

CertificateInfo Certificate::info() const {
  const x509::Certificate& cert = *cert_;
  CertificateInfo info;
  info.subject = cert.subject.to_string();
  info.issuer = cert.issuer.to_string();
  info.serial = base::hex_colon(cert.serial);
  info.not_before = cert.not_before;
  info.not_after = cert.not_after;
  for (const auto& san : cert.subject_alt_names) {
    info.names.push_back(x509::general_name_to_string(san));
  }
  info.key = key_description(cert);
  info.signature_algorithm = cert.signature_algorithm_error.empty()
                                 ? crypto::signature_algorithm_name(cert.signature_algorithm)
                                 : cert.signature_algorithm_error;
  info.sha256_fingerprint =
      base::hex_colon(crypto::default_provider().hash(crypto::Hash::sha256, cert.der));
  info.is_ca = cert.basic_constraints && cert.basic_constraints->ca;
  return info;
}

Result<std::vector<Crl>> Crl::parse_all(BytesView pem_or_der) {
  TERN_TRY(auto parsed, x509::parse_crls(pem_or_der));
  std::vector<Crl> out;
  out.reserve(parsed.size());
  for (auto& crl : parsed) out.emplace_back(std::move(crl));
  return out;
}

Result<std::vector<Crl>> Crl::load_file(const std::string& path) {
  TERN_TRY(auto data, x509::read_file_bytes(path));
  auto parsed = parse_all(data);
  if (!parsed) {
    Error error = std::move(parsed).error();
    error.detail = path + ": " + error.detail;
    return error;
  }
  if (parsed->empty()) {
    return Error(Errc::decode, path + ": no CRL found (expected PEM \"X509 CRL\" blocks or " +
                                   std::string("one DER CRL)"));
  }
  return parsed;
}

Result<Crl::Loaded> Crl::load_file_skipping_invalid(const std::string& path) {
  TERN_TRY(auto data, x509::read_file_bytes(path));
  Loaded loaded;
  auto keep = [&](BytesView der, const std::string& where) {
    auto crl = x509::parse_crl(der);
    if (crl)
      loaded.crls.emplace_back(std::move(*crl));
    else
      loaded.skipped.push_back(where + ": " + crl.error().detail);
  };
  if (!base::looks_like_pem(data)) {
    keep(data, path);
    return loaded;
  }
  auto blocks = base::parse_pem(as_chars(data));
  if (!blocks) return Error(Errc::decode, path + ": " + blocks.error().detail);
  size_t index = 0;
  for (const base::PemBlock& block : *blocks) {
    if (block.label != "X509 CRL") continue;
    keep(block.der, "CRL " + std::to_string(++index) + " in " + path);
  }
  if (index == 0)
    return Error(Errc::decode, path + ": no CRL found (expected PEM \"X509 CRL\" blocks or "
                                      "one DER CRL)");
  return loaded;
}

const char* verify_check_name(VerifyCheck check) {
  switch (check) {
    case VerifyCheck::validity: return "validity";
    case VerifyCheck::key_usage: return "key usage";
    case VerifyCheck::name: return "name";
    case VerifyCheck::issuer: return "issuer";
    case VerifyCheck::signature: return "signature";
    case VerifyCheck::anchor: return "anchor";
    case VerifyCheck::profile: return "profile";
    case VerifyCheck::path: return "path";
    case VerifyCheck::ocsp: return "ocsp";
  }
  return "?";
}

const char* verify_profile_name(VerifyProfile profile) {
  return profile == VerifyProfile::web ? "web" : "rfc5280";
}

Result<VerifiedChain> verify_chain(const Certificate& leaf,
                                   const std::vector<Certificate>& intermediates,
                                   const TrustStore& roots, const std::vector<Crl>& crls,
                                   const VerifyOptions& options) {
  std::vector<const x509::Certificate*> untrusted, anchors;
  std::vector<const x509::Crl*> crl_list;
  untrusted.reserve(intermediates.size());
  for (const auto& cert : intermediates) untrusted.push_back(&cert.internal());
  for (const auto& [cert, source] : roots.anchors()) anchors.push_back(&cert.internal());
  for (const auto& crl : crls) crl_list.push_back(&crl.internal());

  x509::PathOptions path_options;
  path_options.time = options.time ? *options.time : static_cast<int64_t>(std::time(nullptr));
  path_options.reference = options.hostname;
  path_options.purpose = options.purpose;
  path_options.profile = options.profile;
  path_options.max_intermediates = options.max_depth;
  path_options.check_revocation = !crls.empty();
  if (options.on_step) {
    path_options.on_step = [&](const x509::PathStep& step) {
      VerifyStep out;
      out.check = step.check;
      out.ok = step.ok;
      out.depth = step.depth;
      out.subject = step.certificate->subject.to_string();
      out.detail = step.detail;
      if (step.check == VerifyCheck::anchor && step.ok)
        for (const auto& [cert, source] : roots.anchors())
          if (&cert.internal() == step.certificate) out.anchor_source = source;
      options.on_step(out);
    };
  }

  x509::PathBudget budget;
  budget.max_signature_checks = std::max(budget.max_signature_checks, 2 * (options.max_depth + 1));
  TERN_TRY(auto path, x509::build_and_validate(leaf.internal(), untrusted, anchors, crl_list,
                                               path_options, budget));
  VerifiedChain chain;
  const auto& anchor_entries = roots.anchors();
  for (size_t i = 0; i < path.certificates.size(); ++i) {
    const x509::Certificate* cert = path.certificates[i];
    bool last = i + 1 == path.certificates.size();
    if (last) {
      chain.path.push_back(anchor_entries[path.anchor_index].first);
      chain.anchor_source = anchor_entries[path.anchor_index].second;
      break;
    }
    if (i == 0) {
      chain.path.push_back(leaf);
      continue;
    }
    for (size_t j = 0; j < untrusted.size(); ++j) {
      if (untrusted[j] == cert) {
        chain.path.push_back(intermediates[j]);
        break;
      }
    }
  }
  return chain;
}

}  // namespace tern
