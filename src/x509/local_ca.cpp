// SPDX-License-Identifier: Apache-2.0
// LocalCa (include/tern/ca.h): a root in a directory, leaves and CRLs signed with it.
// Certificates are written by x509/builder.h and signed through the crypto provider; each
// leaf is validated by tern's own path validation before any file is written, so a
// certificate `tern verify` would refuse never leaves this file.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/encoding.h"
#include "tern/ca.h"
#include "x509/builder.h"
#include "base/private_file.h"
#include "x509/ca_index.h"
#include "x509/ca_names.h"
#include "x509/certificate.h"
#include "x509/ocsp_builder.h"
#include "x509/verify.h"

namespace tern {
namespace {

namespace fs = std::filesystem;
using base::Lock;

constexpr int64_t kDay = 86400;
constexpr int64_t kBackdate = 3600;  // certificates start an hour early, for slow clocks
constexpr int64_t kRootDays = 3652;  // ten years, as mkcert's roots
constexpr int kMaxLeafDays = 3650;
constexpr size_t kMaxPemSize = 64 * 1024;
constexpr size_t kMaxIndexSize = 64 * 1024 * 1024;
constexpr const char* kLeafOrganization = "tern development certificate";

struct KeySpec {
  crypto::KeyType type;
  size_t rsa_bits;
};

KeySpec key_spec(CaKeyType type) {
  switch (type) {
    case CaKeyType::p384:
      return {crypto::KeyType::ec_p384, 0};
    case CaKeyType::rsa2048:
      return {crypto::KeyType::rsa, 2048};
    case CaKeyType::rsa3072:
      return {crypto::KeyType::rsa, 3072};
    case CaKeyType::ed25519:
      return {crypto::KeyType::ed25519, 0};
    case CaKeyType::p256:
      break;
  }
  return {crypto::KeyType::ec_p256, 0};
}

std::optional<CaKeyType> ca_key_type_of(const crypto::PrivateKey& key) {
  switch (key.type()) {
    case crypto::KeyType::ec_p256:
      return CaKeyType::p256;
    case crypto::KeyType::ec_p384:
      return CaKeyType::p384;
    case crypto::KeyType::rsa:
      if (key.bits() == 2048) return CaKeyType::rsa2048;
      if (key.bits() == 3072) return CaKeyType::rsa3072;
      return std::nullopt;
    case crypto::KeyType::ed25519:
      return CaKeyType::ed25519;
    default:
      return std::nullopt;
  }
}

Error usage(std::string detail) { return Error(Errc::usage, std::move(detail)); }

Bytes random_serial() {
  Bytes serial(16);
  if (!crypto::default_provider().random(serial)) return {};
  serial[0] &= 0x7f;                  // positive, so no sign byte: 16 octets exactly
  if (serial[0] == 0) serial[0] = 1;  // and no leading zero octet either
  return serial;
}

std::string pem_text(std::string_view label, BytesView der) { return base::to_pem(label, der); }

Result<std::string> private_key_pem(const crypto::PrivateKey& key) {
  TERN_TRY(base::SecretBytes pkcs8, key.pkcs8());
  return pem_text("PRIVATE KEY", pkcs8.view());
}

std::optional<std::string> attribute(const x509::Name& name, const Bytes& type) {
  for (const auto& rdn : name.rdns)
    for (const auto& a : rdn)
      if (equal(a.type, type)) return std::string(as_chars(a.value));
  return std::nullopt;
}

}  // namespace

const char* ca_key_type_name(CaKeyType type) {
  switch (type) {
    case CaKeyType::p256:
      return "p256";
    case CaKeyType::p384:
      return "p384";
    case CaKeyType::rsa2048:
      return "rsa2048";
    case CaKeyType::rsa3072:
      return "rsa3072";
    case CaKeyType::ed25519:
      return "ed25519";
  }
  return "p256";
}

std::optional<CaKeyType> parse_ca_key_type(std::string_view name) {
  for (CaKeyType t : {CaKeyType::p256, CaKeyType::p384, CaKeyType::rsa2048, CaKeyType::rsa3072,
                      CaKeyType::ed25519})
    if (name == ca_key_type_name(t)) return t;
  return std::nullopt;
}

const char* crl_reason_name(CrlReason reason) {
  switch (reason) {
    case CrlReason::unspecified:
      return "unspecified";
    case CrlReason::key_compromise:
      return "keyCompromise";
    case CrlReason::affiliation_changed:
      return "affiliationChanged";
    case CrlReason::superseded:
      return "superseded";
    case CrlReason::cessation_of_operation:
      return "cessationOfOperation";
    case CrlReason::privilege_withdrawn:
      return "privilegeWithdrawn";
  }
  return "unspecified";
}

std::optional<CrlReason> parse_crl_reason(std::string_view name) {
  for (CrlReason r :
       {CrlReason::unspecified, CrlReason::key_compromise, CrlReason::affiliation_changed,
        CrlReason::superseded, CrlReason::cessation_of_operation, CrlReason::privilege_withdrawn})
    if (name == crl_reason_name(r)) return r;
  return std::nullopt;
}

struct LocalCa::Impl {
  std::string dir;
  Certificate root;
  std::unique_ptr<crypto::PrivateKey> key;
  CaKeyType key_type;
  std::string owner;  // the root's OU
  std::vector<CaRecord> records;

  std::string path(const char* file) const { return dir + "/" + file; }

  // The index as it is on disk now (another process may have changed it since open()).
  // The record of the certificate with `serial` (hex, as `tern ca list` prints it), after
  // reload_index(); a usage error that says what to give when there is none.
  Result<CaRecord*> record(std::string_view serial) {
    auto wanted = x509::ca_index::normalize_serial(serial);
    if (!wanted)
      return Error(Errc::usage, "\"" + std::string(serial) +
                                    "\" is not a serial number: give it in hex, as "
                                    "`tern ca list` or `openssl x509 -noout -serial` prints it");
    auto it = std::find_if(records.begin(), records.end(),
                           [&](const CaRecord& r) { return r.serial == *wanted; });
    if (it == records.end())
      return Error(Errc::usage, "the CA in " + dir + " issued no certificate with serial " +
                                    *wanted + "; `tern ca list` shows the ones it did");
    return &*it;
  }

  Result<void> reload_index() {
    TERN_TRY(auto text, base::read_file(path("index"), kMaxIndexSize, "CA index", false));
    TERN_TRY(records, x509::ca_index::parse(as_chars(text.view()), path("index")));
    return ok();
  }
  Result<void> save_index() const {
    std::string text = x509::ca_index::format(records);
    return base::replace_file(path("index"), as_bytes(text), 0644, "CA index");
  }
  Result<CaCrl> write_crl(int64_t now, int days);
};

LocalCa::LocalCa(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LocalCa::LocalCa(LocalCa&&) noexcept = default;
LocalCa& LocalCa::operator=(LocalCa&&) noexcept = default;
LocalCa::~LocalCa() = default;

const std::string& LocalCa::dir() const { return impl_->dir; }
std::string LocalCa::root_path() const { return impl_->path("root.pem"); }
const Certificate& LocalCa::root() const { return impl_->root; }
CaKeyType LocalCa::key_type() const { return impl_->key_type; }
const std::vector<CaRecord>& LocalCa::records() const { return impl_->records; }

std::string LocalCa::nickname() const {
  return impl_->root.internal().subject.common_name().value_or("tern local CA");
}

std::vector<std::string> LocalCa::name_constraints() const {
  const auto& nc = impl_->root.internal().name_constraints;
  return nc ? x509::ca_names::describe_permitted(*nc) : std::vector<std::string>{};
}

Result<LocalCa> LocalCa::init(const std::string& dir, const CaInitOptions& options) {
  TERN_TRY(auto constraints, x509::ca_names::parse_constraints(options.name_constraints));
  std::string owner = options.owner.empty() ? "tern" : options.owner;
  if (owner.find_first_of("\t\n") != std::string::npos)
    return usage("the CA owner \"" + owner + "\" may not contain tabs or line breaks");

  std::error_code ec;
  bool existed = fs::exists(dir, ec);
  if (existed && !fs::is_directory(dir, ec))
    return usage(dir + " exists and is not a directory; choose another --dir");
  for (const char* file : {"root.pem", "root.key"}) {
    if (fs::exists(dir + "/" + file, ec))
      return usage("a CA already exists in " + dir + " (" + file +
                   "); use it, or remove the directory to start over (the certificates it "
                   "issued will then no longer be trusted)");
  }
  if (!existed) {
    fs::create_directories(dir, ec);
    if (ec) return Error(Errc::io, "cannot create the CA directory " + dir + ": " + ec.message());
    // Only the owner needs to look inside: the key is there.
    if (::chmod(dir.c_str(), 0700) != 0)
      return Error(Errc::io, "cannot set the mode of " + dir + ": " + std::strerror(errno));
  }

  KeySpec spec = key_spec(options.key);
  TERN_TRY(auto key, crypto::default_provider().generate_private_key(spec.type, spec.rsa_bits));
  auto public_key = key->public_key();
  TERN_TRY(Bytes key_id, x509::key_identifier(public_key->spki()));
  // The key identifier in the name makes every CA's subject (and NSS nickname) unique, so
  // a second CA on the same machine never shadows the first in a client's store.
  std::string short_id = base::hex(BytesView(key_id).first(4));
  std::transform(short_id.begin(), short_id.end(), short_id.begin(), ::toupper);
  Bytes name = x509::encode_name(std::vector<x509::NameAttribute>{
      {x509::build_oid::kOrganization, "tern local CA"},
      {x509::build_oid::kOrganizationalUnit, owner},
      {x509::build_oid::kCommonName, "tern local CA " + owner + " " + short_id},
  });
  Bytes serial = random_serial();
  if (serial.empty()) return Error(Errc::internal, "the random number generator failed");

  x509::CertificateBuilder builder;
  builder.serial(serial)
      .issuer(name)
      .subject(name)
      .validity(options.now - kBackdate, options.now + kRootDays * kDay)
      .public_key(*public_key)
      // pathLen 0: this root signs leaves only, so a leaked leaf key can never act as a CA.
      .basic_constraints(true, 0)
      .key_usage(x509::kKeyCertSign | x509::kCrlSign)
      .subject_key_id(key_id);
  if (!constraints.permitted.empty() || !constraints.excluded.empty())
    builder.name_constraints(constraints.permitted, constraints.excluded);
  TERN_TRY(Bytes der, builder.sign(*key));

  TERN_TRY(std::string key_pem, private_key_pem(*key));
  std::string root_key = dir + "/root.key";
  TERN_CHECK(base::create_file(root_key, as_bytes(key_pem), 0600, "CA key"));
  base::secure_zero(key_pem.data(), key_pem.size());
  std::string root_pem = pem_text("CERTIFICATE", der);
  std::string index = x509::ca_index::format({});
  auto written =
      base::replace_file(dir + "/root.pem", as_bytes(root_pem), 0644, "CA certificate");
  if (written)
    written = base::replace_file(dir + "/index", as_bytes(index), 0644, "CA index");
  if (!written) {  // no half-made CA: init can simply be run again
    ::unlink(root_key.c_str());
    ::unlink((dir + "/root.pem").c_str());
    return written.error();
  }
  return open(dir);
}

Result<LocalCa> LocalCa::open(const std::string& dir) {
  auto impl =
      std::make_unique<Impl>(Impl{dir, Certificate(nullptr), nullptr, CaKeyType::p256, "", {}});
  std::error_code ec;
  if (!fs::exists(impl->path("root.pem"), ec))
    return usage("no CA in " + dir + ": run `tern ca init` first (with the same --dir)");

  std::string root_path = impl->path("root.pem");
  TERN_TRY(auto pem, base::read_file(root_path, kMaxPemSize, "CA certificate", false));
  auto damaged = [&](const std::string& why) {
    return Error(Errc::decode, "the CA certificate " + root_path + " " + why +
                                   "; restore it from a backup, or make a new CA");
  };
  auto certs = Certificate::parse_all(pem.view());
  if (!certs) return damaged("does not parse: " + certs.error().detail);
  if (certs->size() != 1) return damaged("must hold exactly one certificate");
  const x509::Certificate& root = certs->front().internal();
  if (!root.basic_constraints || !root.basic_constraints->ca || !root.self_issued())
    return damaged("is not a self-signed CA certificate");
  // Nobody checks a trust anchor's own signature; checking it here catches a damaged file
  // before it is used to sign anything.
  if (!root.public_key) return damaged("has an unusable key: " + root.public_key_error);
  if (!x509::verify_signature(root, *root.public_key))
    return damaged("has a self-signature that does not verify (the file was changed)");
  impl->root = certs->front();
  impl->owner = attribute(root.subject, x509::build_oid::kOrganizationalUnit).value_or("tern");

  std::string key_path = impl->path("root.key");
  TERN_TRY(auto key_pem, base::read_file(key_path, kMaxPemSize, "CA key", true));
  auto key = x509::parse_private_key(key_pem.view());
  if (!key) return Error(Errc::decode, "the CA key " + key_path + ": " + key.error().detail);
  if (!equal((*key)->public_key()->spki(), root.spki))
    return Error(Errc::usage, "the CA key " + key_path + " is not the key of " + root_path +
                                  "; the two files must come from the same `tern ca init`");
  auto type = ca_key_type_of(**key);
  if (!type)
    return Error(Errc::unsupported, "the CA key " + key_path + " is a " +
                                        crypto::key_type_name((*key)->type()) +
                                        " key of a kind tern ca does not make");
  impl->key = std::move(*key);
  impl->key_type = *type;
  TERN_CHECK(impl->reload_index());
  return LocalCa(std::move(impl));
}

Result<IssuedCertificate> LocalCa::issue(const std::vector<std::string>& names,
                                         const CaIssueOptions& options) {
  const x509::Certificate& root = impl_->root.internal();
  TERN_TRY(auto leaf_names, x509::ca_names::parse_leaf_names(names));
  if (root.name_constraints)
    for (const auto& name : leaf_names)
      TERN_CHECK(x509::ca_names::check_within(name, *root.name_constraints, impl_->dir));
  if (options.days < 1 || options.days > kMaxLeafDays)
    return usage("--days " + std::to_string(options.days) +
                 " is out of range: a certificate is "
                 "valid for 1 to " +
                 std::to_string(kMaxLeafDays) + " days");
  int64_t not_before = options.now - kBackdate;
  int64_t not_after = options.now + options.days * kDay;
  if (options.now > root.not_after)
    return usage("the CA certificate " + root_path() + " expired on " +
                 x509::format_time(root.not_after) + "; make a new CA with `tern ca init`");
  if (not_after > root.not_after)
    return usage("a certificate cannot outlive its CA, whose certificate ends on " +
                 x509::format_time(root.not_after) + ": use --days " +
                 std::to_string((root.not_after - options.now) / kDay) + " or fewer");
  std::error_code ec;
  if (!fs::is_directory(options.out_dir, ec))
    return usage("the output directory " + options.out_dir + " does not exist");

  TERN_TRY(Lock lock, Lock::acquire(impl_->path("lock")));
  TERN_CHECK(impl_->reload_index());
  Bytes serial;
  std::string serial_hex;
  do {  // 2^-127 per pair, but a duplicate serial would make revocation ambiguous
    serial = random_serial();
    if (serial.empty()) return Error(Errc::internal, "the random number generator failed");
    serial_hex = *x509::ca_index::normalize_serial(base::hex(serial));
  } while (std::any_of(impl_->records.begin(), impl_->records.end(),
                       [&](const CaRecord& r) { return r.serial == serial_hex; }));

  KeySpec spec = key_spec(options.key);
  TERN_TRY(auto key, crypto::default_provider().generate_private_key(spec.type, spec.rsa_bits));
  auto public_key = key->public_key();
  std::vector<x509::NameAttribute> subject = {
      {x509::build_oid::kOrganization, kLeafOrganization},
      {x509::build_oid::kOrganizationalUnit, impl_->owner},
  };
  // CN: the first DNS name. An address in the CN would be checked by OpenSSL against the
  // CA's DNS name constraints (it treats a CN as a host name when no DNS SAN is present),
  // so a leaf with addresses only has no CN; clients use the SAN in every case.
  auto first_dns =
      std::find_if(leaf_names.begin(), leaf_names.end(), [](const auto& n) { return !n.is_ip; });
  if (first_dns != leaf_names.end())
    subject.push_back({x509::build_oid::kCommonName, first_dns->text});
  std::vector<x509::GeneralNameSpec> sans;
  for (const auto& name : leaf_names) sans.push_back(name.san);
  bool rsa = spec.type == crypto::KeyType::rsa;
  TERN_TRY(Bytes key_id, x509::key_identifier(public_key->spki()));
  TERN_TRY(Bytes der,
           x509::CertificateBuilder()
               .serial(serial)
               .issuer(Bytes(root.subject.der.begin(), root.subject.der.end()))
               .subject(x509::encode_name(subject))
               .validity(not_before, not_after)
               .public_key(*public_key)
               .basic_constraints(false)
               // keyEncipherment only for RSA: TLS 1.2 RSA key transport encrypts to it.
               .key_usage(static_cast<uint16_t>(x509::kDigitalSignature |
                                                (rsa ? x509::kKeyEncipherment : 0)))
               .extended_key_usage({options.client ? x509::build_oid::kEkuClientAuth
                                                   : x509::build_oid::kEkuServerAuth})
               .subject_alt_names(sans)
               .authority_key_id(Bytes(root.subject_key_id.begin(), root.subject_key_id.end()))
               .subject_key_id(key_id)
               .sign(*impl_->key));
  TERN_TRY(auto leaf, Certificate::parse_all(der));

  // Our own verifier must accept it, before anyone else sees it.
  x509::PathOptions check;
  check.time = options.now;
  check.purpose = options.client ? Purpose::client : Purpose::server;
  auto validated = x509::build_and_validate(leaf.front().internal(), {}, {&root}, {}, check);
  if (!validated)
    return Error(Errc::internal, "tern made a certificate that its own verifier refuses (" +
                                     validated.error().detail + "); please report this");

  CaRecord record;
  record.serial = serial_hex;
  record.subject = leaf.front().internal().subject.to_string();
  for (const auto& name : leaf_names) record.names.push_back(name.text);
  record.not_after = not_after;
  // The index first: a certificate whose files failed to write is harmless there, while
  // one written but not indexed could never be revoked.
  impl_->records.push_back(record);
  TERN_CHECK(impl_->save_index());

  IssuedCertificate issued{leaf.front(), record, options.client, not_before, {}, {}, {}};
  std::string base = options.out_dir + "/" + x509::ca_names::file_stem(leaf_names, options.client);
  issued.certificate_path = base + ".pem";
  issued.key_path = base + "-key.pem";
  issued.fullchain_path = base + "-fullchain.pem";
  TERN_TRY(std::string key_pem, private_key_pem(*key));
  auto written =
      base::replace_file(issued.key_path, as_bytes(key_pem), 0600, "private key");
  base::secure_zero(key_pem.data(), key_pem.size());
  TERN_CHECK(written);
  std::string leaf_pem = pem_text("CERTIFICATE", der);
  TERN_CHECK(base::replace_file(issued.certificate_path, as_bytes(leaf_pem), 0644,
                                          "certificate"));
  TERN_CHECK(base::replace_file(issued.fullchain_path, as_bytes(leaf_pem), 0644,
                                          "certificate chain"));
  return issued;
}

Result<CaRecord> LocalCa::revoke(std::string_view serial, CrlReason reason, int64_t now) {
  TERN_TRY(Lock lock, Lock::acquire(impl_->path("lock")));
  TERN_CHECK(impl_->reload_index());
  TERN_TRY(CaRecord* it, impl_->record(serial));
  if (it->revoked_at)
    return usage("the certificate with serial " + it->serial + " (" + it->subject +
                 ") was already revoked on " + x509::format_time(*it->revoked_at));
  it->revoked_at = now;
  it->reason = reason;
  CaRecord record = *it;
  TERN_CHECK(impl_->save_index());
  TERN_CHECK(impl_->write_crl(now, 30));
  return record;
}

Result<CaCrl> LocalCa::crl(int64_t now, int days) {
  if (days < 1 || days > 3650)
    return usage("--days " + std::to_string(days) +
                 " is out of range: a CRL is valid for 1 to "
                 "3650 days");
  TERN_TRY(Lock lock, Lock::acquire(impl_->path("lock")));
  TERN_CHECK(impl_->reload_index());
  return impl_->write_crl(now, days);
}

Result<CaOcspResponse> LocalCa::ocsp(std::string_view serial, const CaOcspOptions& options) {
  if (options.days < 1 || options.days > 365)
    return usage("--days " + std::to_string(options.days) +
                 " is out of range: an OCSP response is valid for 1 to 365 days");
  TERN_TRY(Lock lock, Lock::acquire(impl_->path("lock")));
  TERN_CHECK(impl_->reload_index());
  TERN_TRY(CaRecord* it, impl_->record(serial));
  const x509::Certificate& root = impl_->root.internal();
  x509::OcspResponseSpec spec;
  spec.issuer_name.assign(root.subject.der.begin(), root.subject.der.end());
  spec.issuer_spki.assign(root.spki.begin(), root.spki.end());
  spec.serial = *base::unhex(it->serial);
  spec.produced_at = spec.this_update = options.now;
  spec.next_update = options.now + options.days * kDay;
  if (it->revoked_at) {
    spec.status = OcspCertStatus::revoked;
    spec.revocation_time = *it->revoked_at;
    if (it->reason != CrlReason::unspecified) spec.reason = static_cast<uint8_t>(it->reason);
  } else if (options.revoked) {
    spec.status = OcspCertStatus::revoked;
    spec.revocation_time = options.now;
    if (options.reason != CrlReason::unspecified) spec.reason = static_cast<uint8_t>(options.reason);
  }
  TERN_TRY(Bytes der, x509::build_ocsp_response(spec, *impl_->key));
  return CaOcspResponse{std::move(der), *it, spec.status, spec.this_update, *spec.next_update};
}

// With the lock held and the index current.
Result<CaCrl> LocalCa::Impl::write_crl(int64_t now, int days) {
  const x509::Certificate& cert = root.internal();
  // CRL numbers must only grow (RFC 5280 §5.2.3), so the last one is kept on disk.
  uint64_t number = 1;
  std::string number_path = path("crlnumber");
  std::error_code ec;
  if (fs::exists(number_path, ec)) {
    TERN_TRY(auto text, base::read_file(number_path, 64, "CRL number file", false));
    std::string digits(as_chars(text.view()));
    while (!digits.empty() && (digits.back() == '\n' || digits.back() == ' ')) digits.pop_back();
    if (digits.empty() || digits.size() > 18 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return Error(Errc::decode, "the CRL number file " + number_path +
                                     " is damaged: it must hold one decimal number");
    number = std::stoull(digits) + 1;
  }
  CaCrl out{path("crl.pem"), number, now, now + days * kDay, 0};
  x509::CrlBuilder builder;
  builder.issuer(Bytes(cert.subject.der.begin(), cert.subject.der.end()))
      .this_update(now)
      .next_update(out.next_update)
      .crl_number(number)
      .authority_key_id(Bytes(cert.subject_key_id.begin(), cert.subject_key_id.end()));
  for (const CaRecord& r : records) {
    if (!r.revoked_at) continue;
    auto serial = base::unhex(r.serial);
    if (!serial) return Error(Errc::internal, "index serial " + r.serial + " is not hex");
    std::optional<uint8_t> code;
    if (r.reason != CrlReason::unspecified) code = static_cast<uint8_t>(r.reason);
    builder.revoke(*serial, *r.revoked_at, code);
    ++out.revoked;
  }
  TERN_TRY(Bytes der, builder.sign(*key));
  std::string pem = pem_text("X509 CRL", der);
  TERN_CHECK(base::replace_file(out.path, as_bytes(pem), 0644, "CRL"));
  std::string number_text = std::to_string(number) + "\n";
  TERN_CHECK(
      base::replace_file(number_path, as_bytes(number_text), 0644, "CRL number file"));
  return out;
}

}  // namespace tern
