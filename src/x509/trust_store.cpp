// SPDX-License-Identifier: Apache-2.0
// TrustStore: trust anchors with where each came from.
#include <algorithm>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "base/encoding.h"
#include "crypto/provider.h"
#include "tern/x509.h"
#include "x509/certificate.h"
#include "x509/verify.h"

namespace tern {
namespace {

constexpr const char* kSystemBundle = "/etc/ssl/certs/ca-certificates.crt";

// Adds every certificate of `data` to `store`. Strict (a user's file): the first one that
// does not parse fails the load. Lenient (the system bundle): such certificates are skipped.
Result<void> add_bundle(TrustStore& store, BytesView data, const std::string& source, bool strict) {
  if (!base::looks_like_pem(data)) {
    auto cert = x509::parse_certificate(data);
    if (!cert) {
      if (!strict) return ok();
      Error error = std::move(cert).error();
      error.detail = source + ": " + error.detail;
      return error;
    }
    store.add(Certificate(std::move(*cert)), source);
    return ok();
  }
  TERN_TRY(auto blocks, base::parse_pem(as_chars(data)));
  size_t index = 0;
  for (const auto& block : blocks) {
    if (block.label != "CERTIFICATE") continue;
    ++index;
    auto cert = x509::parse_certificate(block.der);
    if (!cert) {
      if (!strict) continue;
      Error error = std::move(cert).error();
      error.detail = source + ": certificate #" + std::to_string(index) + ": " + error.detail;
      return error;
    }
    store.add(Certificate(std::move(*cert)), source);
  }
  return ok();
}

}  // namespace

struct TrustStore::Impl {
  std::vector<std::pair<Certificate, std::string>> anchors;
  std::mutex fingerprint_mutex;
  Bytes fingerprint;  // empty until first asked for
};

TrustStore::TrustStore() : impl_(std::make_unique<Impl>()) {}
TrustStore::~TrustStore() = default;
TrustStore::TrustStore(TrustStore&&) noexcept = default;
TrustStore& TrustStore::operator=(TrustStore&&) noexcept = default;

Result<TrustStore> TrustStore::system() {
  TERN_TRY(auto data, x509::read_file_bytes(kSystemBundle));
  TrustStore store;
  TERN_CHECK(add_bundle(store, data, kSystemBundle, /*strict=*/false));
  if (store.size() == 0) {
    return Error(Errc::io, std::string("the system trust store ") + kSystemBundle +
                               " holds no usable certificate; install the ca-certificates " +
                               "package or pass --roots");
  }
  return store;
}

Result<TrustStore> TrustStore::load(const std::string& path) {
  namespace fs = std::filesystem;
  TrustStore store;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_regular_file(ec)) files.push_back(entry.path());
    }
    if (ec) return Error(Errc::io, "cannot list " + path + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      TERN_TRY(auto data, x509::read_file_bytes(file.string()));
      TERN_CHECK(add_bundle(store, data, file.string(), /*strict=*/true));
    }
  } else {
    TERN_TRY(auto data, x509::read_file_bytes(path));
    TERN_CHECK(x509::check_holds_certificates(data, path));
    TERN_CHECK(add_bundle(store, data, path, /*strict=*/true));
  }
  if (store.size() == 0) {
    return Error(Errc::decode, path + ": no certificate found to trust");
  }
  return store;
}

void TrustStore::add(Certificate anchor, std::string source) {
  impl_->anchors.emplace_back(std::move(anchor), std::move(source));
  std::lock_guard lock(impl_->fingerprint_mutex);
  impl_->fingerprint.clear();
}

size_t TrustStore::size() const { return impl_->anchors.size(); }

const std::vector<std::pair<Certificate, std::string>>& TrustStore::anchors() const {
  return impl_->anchors;
}

Bytes TrustStore::fingerprint() const {
  std::lock_guard lock(impl_->fingerprint_mutex);
  if (impl_->fingerprint.empty()) {
    std::vector<BytesView> ders;
    for (const auto& anchor : impl_->anchors) ders.push_back(anchor.first.der());
    std::sort(ders.begin(), ders.end(), [](BytesView a, BytesView b) {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    });
    // Each DER is self-delimiting, so the concatenation names the set unambiguously.
    auto context = crypto::default_provider().hash_context(crypto::Hash::sha256);
    for (BytesView der : ders) context->update(der);
    impl_->fingerprint = context->peek();
  }
  return impl_->fingerprint;
}

}  // namespace tern
