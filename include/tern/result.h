// SPDX-License-Identifier: Apache-2.0
/// @file
/// Result<T> and Error: how every fallible operation in tern reports failure.
/// clang 14 has no std::expected, so this is a small stand-in with the same spirit.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "tern/export.h"

namespace tern {

/// TLS alert descriptions (RFC 8446 §6). `none` means the error never reaches the wire.
enum class Alert : uint8_t {
  close_notify = 0,
  unexpected_message = 10,
  bad_record_mac = 20,
  record_overflow = 22,
  handshake_failure = 40,
  bad_certificate = 42,
  unsupported_certificate = 43,
  certificate_revoked = 44,
  certificate_expired = 45,
  certificate_unknown = 46,
  illegal_parameter = 47,
  unknown_ca = 48,
  access_denied = 49,
  decode_error = 50,
  decrypt_error = 51,
  protocol_version = 70,
  insufficient_security = 71,
  internal_error = 80,
  inappropriate_fallback = 86,
  user_canceled = 90,
  no_renegotiation = 100,
  missing_extension = 109,
  unsupported_extension = 110,
  unrecognized_name = 112,
  bad_certificate_status_response = 113,
  unknown_psk_identity = 115,
  certificate_required = 116,
  no_application_protocol = 120,
  ech_required = 121,
  none = 255,
};

/// The RFC 8446 name of an alert: "bad_certificate".
TERN_API const char* alert_name(Alert alert);

/// What kind of failure: lets callers (and the CLI's exit codes) tell causes apart
/// without parsing the message.
enum class Errc : uint8_t {
  decode,       ///< malformed input: DER, PEM, a TLS message
  unsupported,  ///< well-formed but not something tern does (an algorithm, a version)
  crypto,       ///< a signature, MAC or decryption did not check out
  certificate,  ///< a certificate or chain was rejected by validation
  protocol,     ///< the peer broke the protocol
  io,           ///< a file or socket operation failed
  usage,        ///< the caller asked for something inconsistent
  internal,     ///< a bug or an unexpected library failure
};

/// The name of an error kind: "decode", "certificate", "io", ...
TERN_API const char* errc_name(Errc code);

/// A failure: its kind, the TLS alert it maps to, and a message a person can act on.
struct Error {
  /// What kind of failure.
  Errc code = Errc::internal;
  /// The alert the failure sends to the peer; Alert::none if it never reaches the wire.
  Alert alert = Alert::none;
  std::string detail;  ///< a sentence a person can act on
  Alert peer_alert = Alert::none;  ///< the alert the peer sent, when that is what failed

  Error() = default;
  /// A failure of kind `c`, with the message `d` and the alert `a`.
  Error(Errc c, std::string d, Alert a = Alert::none) : code(c), alert(a), detail(std::move(d)) {}
};

/// Prints the message, and the alert in parentheses when there is one.
TERN_API std::ostream& operator<<(std::ostream& os, const Error& error);

template <typename T>
/// A `T`, or the Error that kept it from being made: how every fallible operation of
/// tern returns. Test it with `if (!r)`; `*r` and `r->` reach the value, `r.error()` the
/// failure. Failures are returned, never thrown.
class [[nodiscard]] Result {
 public:
  /// A success holding `value`.
  Result(const T& value) : v_(value) {}  // NOLINT: implicit by design, like expected
  /// A success holding `value`.
  Result(T&& value) : v_(std::move(value)) {}
  /// A failure.
  Result(Error error) : v_(std::move(error)) {}
  /// A success holding `T(value)`, for anything a `T` can be made from.
  template <typename U, typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                    !std::is_same_v<std::decay_t<U>, Error> &&
                                                    !std::is_same_v<std::decay_t<U>, T>>>
  Result(U&& value) : v_(T(std::forward<U>(value))) {}

  /// Whether it holds a value.
  bool ok() const { return v_.index() == 0; }
  /// ok().
  explicit operator bool() const { return ok(); }

  /// @{
  /// The value; only when ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  /// @}
  /// @{
  /// The value; only when ok().
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  /// @}
  /// @{
  /// The value's members; only when ok().
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  /// @}

  /// @{
  /// The failure; only when !ok().
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }
  /// @}

 private:
  std::variant<T, Error> v_;
};

template <>
/// Success, or the Error of a failure: the Result of an operation that returns nothing.
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  /// A failure.
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  /// Whether it succeeded.
  bool ok() const { return ok_; }
  /// ok().
  explicit operator bool() const { return ok_; }
  /// @{
  /// The failure; only when !ok().
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }
  /// @}

 private:
  Error error_;
  bool ok_ = true;
};

/// A success: `return ok();` in a function returning Result<void>.
inline Result<void> ok() { return {}; }

}  // namespace tern

// Propagate a failure: TERN_TRY(auto cert, parse(der)); / TERN_CHECK(verify(...));
/// @cond INTERNAL
#define TERN_CONCAT_INNER(a, b) a##b
#define TERN_CONCAT(a, b) TERN_CONCAT_INNER(a, b)
#define TERN_TRY_IMPL(tmp, decl, expr)          \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
/// @endcond
/// Evaluates `expr`, a Result: on failure, returns its Error from the enclosing
/// function; else declares or assigns `decl` with its value:
/// `TERN_TRY(auto cert, parse(der));`.
#define TERN_TRY(decl, expr) TERN_TRY_IMPL(TERN_CONCAT(tern_try_, __LINE__), decl, expr)
/// Evaluates `expr`, a Result: on failure, returns its Error from the enclosing
/// function: `TERN_CHECK(verify(...));`.
#define TERN_CHECK(expr)                                                        \
  do {                                                                          \
    if (auto tern_check_ = (expr); !tern_check_.ok())                           \
      return std::move(tern_check_).error();                                    \
  } while (0)
