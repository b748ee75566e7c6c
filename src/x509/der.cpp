// SPDX-License-Identifier: Apache-2.0
#include "x509/der.h"

#include <cstdio>

namespace tern::x509::der {

namespace tag = base::der;

Error error(std::string detail) {
  return Error(Errc::decode, std::move(detail), Alert::bad_certificate);
}

Error in(std::string_view where, Error e) {
  e.detail = std::string(where) + ": " + e.detail;
  return e;
}

namespace {
std::string tag_hex(uint8_t t) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[t >> 4] + kDigits[t & 15];
}

// Why the next element cannot be read with `expected`: missing, wrong tag or not DER.
Error read_failure(const Reader& r, uint8_t expected, std::string_view what) {
  std::string w(what);
  if (r.empty()) return error(w + " is missing (the structure ends early)");
  BytesView rest = r.rest();
  if (rest[0] != expected)
    return error(w + " has tag " + tag_hex(rest[0]) + ", expected " + tag_hex(expected));
  if (rest.size() >= 2 && rest[1] == 0x80)
    return error(w + " uses a BER indefinite length, which DER forbids");
  return error(w + " has a length that is not minimal DER or runs past the end of the data");
}
}  // namespace

Result<BytesView> element(Reader& r, uint8_t t, std::string_view what) {
  BytesView contents;
  if (!r.der(t, contents)) return read_failure(r, t, what);
  return contents;
}

Result<Reader> sequence(Reader& r, std::string_view what, uint8_t t) {
  TERN_TRY(BytesView contents, element(r, t, what));
  return Reader(contents);
}

Result<BytesView> whole(Reader& r, uint8_t t, std::string_view what, BytesView& contents) {
  BytesView element;
  if (!r.peek_der_tag(t) || !r.der_any_element(t, contents, element))
    return read_failure(r, t, what);
  return element;
}

Result<void> done(const Reader& r, std::string_view what) {
  if (!r.empty())
    return error(std::to_string(r.remaining()) + " unexpected byte(s) of trailing data in " +
                 std::string(what));
  return ok();
}

Result<void> check_integer(BytesView c, std::string_view what) {
  if (c.empty()) return error(std::string(what) + " is an empty INTEGER");
  if (c.size() >= 2 && ((c[0] == 0x00 && c[1] < 0x80) || (c[0] == 0xff && c[1] >= 0x80)))
    return error(std::string(what) + " is an INTEGER that is not minimally encoded");
  return ok();
}

Result<BytesView> integer(Reader& r, std::string_view what, uint8_t t) {
  TERN_TRY(BytesView c, element(r, t, what));
  TERN_CHECK(check_integer(c, what));
  return c;
}

Result<uint64_t> small_uint(Reader& r, std::string_view what, uint64_t max, uint8_t t) {
  TERN_TRY(BytesView c, integer(r, what, t));
  if (c[0] & 0x80) return error(std::string(what) + " is negative");
  if (c.size() > 9 || (c.size() == 9 && c[0] != 0))
    return error(std::string(what) + " is too large");
  uint64_t v = 0;
  for (uint8_t b : c) v = v << 8 | b;
  if (v > max)
    return error(std::string(what) + " is " + std::to_string(v) + ", more than the maximum " +
                 std::to_string(max));
  return v;
}

Result<bool> boolean(Reader& r, std::string_view what) {
  TERN_TRY(BytesView c, element(r, tag::kBoolean, what));
  if (c.size() != 1 || (c[0] != 0x00 && c[0] != 0xff))
    return error(std::string(what) + " is a BOOLEAN that is not 0x00 or 0xFF as DER requires");
  return c[0] == 0xff;
}

Result<bool> boolean_default_false(Reader& r, std::string_view what) {
  if (!r.peek_der_tag(tag::kBoolean)) return false;
  TERN_TRY(bool v, boolean(r, what));
  if (!v)
    return error(std::string(what) +
                 " is an explicit FALSE, but DER omits a BOOLEAN equal to its DEFAULT");
  return true;
}

Result<void> null(Reader& r, std::string_view what) {
  TERN_TRY(BytesView c, element(r, tag::kNull, what));
  if (!c.empty()) return error(std::string(what) + " is a NULL with contents");
  return ok();
}

Result<BitString> check_bit_string(BytesView c, std::string_view what) {
  if (c.empty()) return error(std::string(what) + " is a BIT STRING without its unused-bits octet");
  BitString bits{c.subspan(1), c[0]};
  if (bits.unused > 7)
    return error(std::string(what) + " is a BIT STRING with " + std::to_string(bits.unused) +
                 " unused bits (at most 7)");
  if (bits.bytes.empty() && bits.unused != 0)
    return error(std::string(what) + " is an empty BIT STRING with unused bits");
  if (bits.unused && (bits.bytes.back() & ((1u << bits.unused) - 1)))
    return error(std::string(what) + " is a BIT STRING whose unused bits are not zero");
  return bits;
}

Result<BitString> bit_string(Reader& r, std::string_view what, uint8_t t) {
  TERN_TRY(BytesView c, element(r, t, what));
  return check_bit_string(c, what);
}

bool valid_oid(BytesView c) {
  if (c.empty() || (c.back() & 0x80)) return false;
  bool arc_start = true;
  for (uint8_t b : c) {
    if (arc_start && b == 0x80) return false;  // a leading zero septet is not minimal
    arc_start = !(b & 0x80);
  }
  return true;
}

Result<BytesView> oid(Reader& r, std::string_view what, uint8_t t) {
  TERN_TRY(BytesView c, element(r, t, what));
  if (!valid_oid(c)) return error(std::string(what) + " is not a valid OBJECT IDENTIFIER");
  return c;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  // Days since 1970-01-01 in the proleptic Gregorian calendar, counting years from March
  // so that the leap day is the last day of the year.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = m > 2 ? m - 3 : m + 9;
  const int64_t doy = (153 * mp + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

namespace {
bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
}  // namespace

Result<int64_t> parse_time(uint8_t t, BytesView contents, std::string_view what) {
  std::string_view s = as_chars(contents);
  std::string w(what);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  size_t pos = 0;
  if (t == tag::kUtcTime) {
    if (s.size() != 13 || s.back() != 'Z' || !digits(s, 0, 2, year))
      return error(w + " is not a UTCTime of the form YYMMDDHHMMSSZ: '" + std::string(s) + "'");
    year += year >= 50 ? 1900 : 2000;  // RFC 5280 §4.1.2.5.1
    pos = 2;
  } else if (t == tag::kGeneralizedTime) {
    // GeneralizedTime is also accepted for years before 2050 (RFC 5280 says CAs use
    // UTCTime there, but PKITS and deployed certificates carry it and it is unambiguous).
    if (s.size() != 15 || s.back() != 'Z' || !digits(s, 0, 4, year))
      return error(w + " is not a GeneralizedTime of the form YYYYMMDDHHMMSSZ: '" + std::string(s) +
                   "'");
    pos = 4;
  } else {
    return error(w + " has tag " + tag_hex(t) + ", expected UTCTime or GeneralizedTime");
  }
  if (!digits(s, pos, 2, month) || !digits(s, pos + 2, 2, day) || !digits(s, pos + 4, 2, hour) ||
      !digits(s, pos + 6, 2, minute) || !digits(s, pos + 8, 2, second))
    return error(w + " has a non-digit in '" + std::string(s) + "'");
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool valid = month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59;
  if (valid) valid = day <= kDays[month - 1] + (month == 2 && leap(year) ? 1 : 0);
  if (!valid) return error(w + " is not a valid date and time: '" + std::string(s) + "'");
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 + second;
}

Result<int64_t> time(Reader& r, std::string_view what, TimeRule rule) {
  uint8_t t = 0;
  BytesView c;
  if (r.peek_der_tag(tag::kUtcTime) || r.peek_der_tag(tag::kGeneralizedTime)) {
    Reader probe = r;
    if (!probe.der_any(t, c)) return read_failure(r, r.rest()[0], what);
    r = probe;
    TERN_TRY(int64_t seconds, parse_time(t, c, what));
    constexpr int64_t k2050 = 2524608000;  // 2050-01-01T00:00:00Z
    if (rule == TimeRule::rfc5280 && t == tag::kGeneralizedTime && seconds < k2050)
      return error(std::string(what) +
                   " is a GeneralizedTime before 2050; RFC 5280 requires UTCTime there");
    return seconds;
  }
  if (r.empty()) return error(std::string(what) + " is missing (the structure ends early)");
  return error(std::string(what) + " has tag " + tag_hex(r.rest()[0]) +
               ", expected UTCTime or GeneralizedTime");
}

namespace {
bool printable_char(uint8_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case ' ':
    case '\'':
    case '(':
    case ')':
    case '+':
    case ',':
    case '-':
    case '.':
    case '/':
    case ':':
    case '=':
    case '?':
      return true;
    // Not in X.680's PrintableString, but common in deployed certificates ("*.example.org"
    // in a CN, "A&B Corp", e-mail addresses); tolerated like other verifiers do.
    case '*':
    case '&':
    case '@':
      return true;
    default:
      return false;
  }
}

bool valid_utf8(BytesView s) {
  size_t i = 0;
  while (i < s.size()) {
    uint8_t c = s[i];
    size_t n = 0;
    uint32_t cp = 0, min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xe0) == 0xc0)
      n = 1, cp = c & 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0)
      n = 2, cp = c & 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0)
      n = 3, cp = c & 0x07, min = 0x10000;
    else
      return false;
    if (s.size() - i <= n) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = cp << 6 | (s[i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}
}  // namespace

bool valid_ia5(BytesView c) {
  for (uint8_t b : c)
    if (b >= 0x80) return false;
  return true;
}

std::string escape_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0 &&
              static_cast<unsigned char>(text[i + 1]) >= 0x80;
    if (c < 0x20 || c == 0x7f || c1) {
      size_t n = c1 ? 2 : 1;
      for (size_t k = 0; k < n; ++k) {
        char hex[4];
        std::snprintf(hex, sizeof hex, "\\%02X", static_cast<unsigned char>(text[i + k]));
        out += hex;
      }
      i += n - 1;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool is_string_tag(uint8_t t) {
  switch (t) {
    case tag::kUtf8String:
    case 0x12 /* NumericString */:
    case tag::kPrintableString:
    case tag::kT61String:
    case tag::kIa5String:
    case tag::kVisibleString:
    case tag::kUniversalString:
    case tag::kBmpString:
      return true;
    default:
      return false;
  }
}

bool valid_string(uint8_t t, BytesView c) {
  switch (t) {
    case tag::kUtf8String:
      return valid_utf8(c);
    case 0x12:  // NumericString
      for (uint8_t b : c)
        if (!(b == ' ' || (b >= '0' && b <= '9'))) return false;
      return true;
    case tag::kPrintableString:
      for (uint8_t b : c)
        if (!printable_char(b)) return false;
      return true;
    case tag::kT61String:  // no usable definition; treated as Latin-1 bytes
      return true;
    case tag::kIa5String:
      return valid_ia5(c);
    case tag::kVisibleString:
      for (uint8_t b : c)
        if (b < 0x20 || b > 0x7e) return false;
      return true;
    case tag::kUniversalString:
      return c.size() % 4 == 0;
    case tag::kBmpString:
      return c.size() % 2 == 0;
    default:
      return false;
  }
}

const char* string_type_name(uint8_t t) {
  switch (t) {
    case tag::kUtf8String:
      return "UTF8String";
    case 0x12:
      return "NumericString";
    case tag::kPrintableString:
      return "PrintableString";
    case tag::kT61String:
      return "TeletexString";
    case tag::kIa5String:
      return "IA5String";
    case tag::kVisibleString:
      return "VisibleString";
    case tag::kUniversalString:
      return "UniversalString";
    case tag::kBmpString:
      return "BMPString";
    default:
      return "non-string type";
  }
}

}  // namespace tern::x509::der
