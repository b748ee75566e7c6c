// SPDX-License-Identifier: Apache-2.0
#include "x509/hostname.h"

#include <libpsl.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "x509/der.h"

namespace tern::x509 {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Whether `name` equals `suffix` or ends with "." + `suffix` (case-insensitive).
bool is_subdomain_or_equal(std::string_view name, std::string_view suffix) {
  if (suffix.empty()) return true;
  if (name.size() == suffix.size()) return iequals(name, suffix);
  if (name.size() < suffix.size() + 1) return false;
  return name[name.size() - suffix.size() - 1] == '.' &&
         iequals(name.substr(name.size() - suffix.size()), suffix);
}

std::string_view strip_trailing_dot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

std::vector<std::string_view> split_labels(std::string_view name) {
  std::vector<std::string_view> labels;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) {
      labels.push_back(name.substr(start));
      return labels;
    }
    labels.push_back(name.substr(start, dot - start));
    start = dot + 1;
  }
}

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<Bytes> parse_ipv4(std::string_view text) {
  Bytes out;
  size_t start = 0;
  for (int part = 0; part < 4; ++part) {
    size_t end = text.find('.', start);
    if (part == 3) {
      if (end != std::string_view::npos) return std::nullopt;
      end = text.size();
    } else if (end == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view digits = text.substr(start, end - start);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    if (digits.size() > 1 && digits[0] == '0') return std::nullopt;  // no octal look-alikes
    unsigned value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 255) return std::nullopt;
    out.push_back(static_cast<uint8_t>(value));
    start = end + 1;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Groups of a half of an IPv6 literal (the text on one side of "::"), appended to `out`.
bool parse_ipv6_groups(std::string_view text, bool allow_ipv4_tail, Bytes& out) {
  if (text.empty()) return true;
  std::vector<std::string_view> groups;
  size_t start = 0;
  while (true) {
    size_t colon = text.find(':', start);
    groups.push_back(text.substr(
        start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  for (size_t i = 0; i < groups.size(); ++i) {
    std::string_view g = groups[i];
    if (i + 1 == groups.size() && allow_ipv4_tail && g.find('.') != std::string_view::npos) {
      auto v4 = parse_ipv4(g);
      if (!v4) return false;
      out.insert(out.end(), v4->begin(), v4->end());
      continue;
    }
    if (g.empty() || g.size() > 4) return false;
    unsigned value = 0;
    for (char c : g) {
      int h = hex_value(c);
      if (h < 0) return false;
      value = value * 16 + static_cast<unsigned>(h);
    }
    out.push_back(static_cast<uint8_t>(value >> 8));
    out.push_back(static_cast<uint8_t>(value & 0xff));
  }
  return true;
}

std::optional<Bytes> parse_ipv6(std::string_view text) {
  if (text.find(':') == std::string_view::npos) return std::nullopt;
  size_t gap = text.find("::");
  Bytes head, tail;
  if (gap == std::string_view::npos) {
    if (!parse_ipv6_groups(text, true, head) || head.size() != 16) return std::nullopt;
    return head;
  }
  if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
  if (!parse_ipv6_groups(text.substr(0, gap), false, head)) return std::nullopt;
  if (!parse_ipv6_groups(text.substr(gap + 2), true, tail)) return std::nullopt;
  if (head.size() + tail.size() > 14) return std::nullopt;  // "::" stands for >= 1 group
  Bytes out = head;
  out.resize(16 - tail.size(), 0);
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

bool contiguous_mask(BytesView mask) {
  bool seen_zero = false;
  for (uint8_t byte : mask) {
    for (int bit = 7; bit >= 0; --bit) {
      bool one = (byte >> bit) & 1;
      if (one && seen_zero) return false;
      if (!one) seen_zero = true;
    }
  }
  return true;
}

// The newest Public Suffix List available: the publicsuffix package's file or libpsl's
// built-in copy, loaded once. Includes the private section (s3.amazonaws.com, github.io).
const psl_ctx_t* public_suffix_list() {
  static const psl_ctx_t* const list = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest ? latest : psl_builtin();
  }();
  return list;
}

bool printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace

std::optional<Bytes> parse_ip_literal(std::string_view text) {
  if (auto v4 = parse_ipv4(text)) return v4;
  return parse_ipv6(text);
}

std::string format_ip(BytesView address) {
  char buf[8];
  std::string out;
  if (address.size() == 4) {
    for (size_t i = 0; i < 4; ++i) {
      std::snprintf(buf, sizeof buf, "%u", address[i]);
      if (i) out += '.';
      out += buf;
    }
    return out;
  }
  if (address.size() != 16) return "<" + std::to_string(address.size()) + "-byte address>";
  unsigned groups[8];
  for (size_t i = 0; i < 8; ++i) groups[i] = (address[2 * i] << 8) | address[2 * i + 1];
  // The longest run of two or more zero groups becomes "::".
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) best_start = i, best_len = j - i;
    i = j;
  }
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", groups[i]);
    out += buf;
  }
  return out;
}

bool is_valid_dns_name(std::string_view name, bool allow_wildcard) {
  name = strip_trailing_dot(name);
  if (name.empty() || name.size() > 253) return false;
  auto labels = split_labels(name);
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i == 0 && allow_wildcard && labels[i] == "*") continue;
    if (!valid_label(labels[i])) return false;
  }
  return true;
}

bool wildcard_covers_public_suffix(std::string_view presented) {
  presented = strip_trailing_dot(presented);
  if (presented.size() < 3 || presented.substr(0, 2) != "*.") return false;
  std::string rest(presented.substr(2));
  std::transform(rest.begin(), rest.end(), rest.begin(), lower);
  const psl_ctx_t* list = public_suffix_list();
  // Without a list nothing is known to be safe: such a wildcard matches nothing.
  if (!list) return true;
  return psl_is_public_suffix2(list, rest.c_str(), PSL_TYPE_ANY) != 0;
}

bool dns_name_matches(std::string_view presented, std::string_view reference) {
  reference = strip_trailing_dot(reference);
  presented = strip_trailing_dot(presented);
  if (!is_valid_dns_name(reference, false) || parse_ip_literal(reference)) return false;
  if (!is_valid_dns_name(presented, true)) return false;
  if (presented.size() < 2 || presented.substr(0, 2) != "*.") return iequals(presented, reference);
  // Wildcard: "*" is the whole left-most label and the rest has at least two labels, so
  // "*.com" matches nothing.
  std::string_view rest = presented.substr(2);
  if (rest.find('.') == std::string_view::npos) return false;
  if (wildcard_covers_public_suffix(presented)) return false;
  size_t dot = reference.find('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  return iequals(reference.substr(dot + 1), rest);
}

Result<void> check_reference_identity(const Certificate& cert, std::string_view reference) {
  auto fail = [&](const std::string& why) {
    return Error(Errc::certificate, why, Alert::bad_certificate);
  };
  if (!cert.has_san_extension || cert.subject_alt_names.empty()) {
    return fail("certificate " + cert.display_name() + " has no subjectAltName extension, so it " +
                "is not valid for any name (the subject CN is never used); asked for " +
                std::string(reference));
  }
  auto ip = parse_ip_literal(reference);
  bool email = !ip && reference.find('@') != std::string_view::npos;
  for (const auto& san : cert.subject_alt_names) {
    if (ip) {
      if (san.type == GeneralName::Type::ip && equal(san.value, *ip)) return ok();
    } else if (email) {
      if (san.type == GeneralName::Type::email && email_valid(as_chars(san.value))) {
        std::string_view have = as_chars(san.value);
        size_t at_have = have.rfind('@'), at_want = reference.rfind('@');
        if (have.substr(0, at_have) == reference.substr(0, at_want) &&
            iequals(have.substr(at_have), reference.substr(at_want))) {
          return ok();
        }
      }
    } else if (san.type == GeneralName::Type::dns) {
      if (dns_name_matches(as_chars(san.value), reference)) return ok();
    }
  }
  std::string names;
  for (const auto& san : cert.subject_alt_names) {
    if (!names.empty()) names += ", ";
    names += general_name_to_string(san);
  }
  std::string kind = ip ? "IP address " : email ? "email address " : "";
  std::string why;
  for (const auto& san : cert.subject_alt_names) {
    if (san.type == GeneralName::Type::dns && wildcard_covers_public_suffix(as_chars(san.value))) {
      why = " (" + std::string(as_chars(san.value)) + " is a wildcard over a public suffix, " +
            "which matches no name)";
      break;
    }
  }
  return fail("certificate for " + cert.display_name() + " is not valid for " + kind +
              std::string(reference) + "; its names are: " + names + why);
}

bool dns_constraint_valid(std::string_view constraint) {
  if (constraint.empty()) return true;  // matches every name
  return is_valid_dns_name(constraint, false) && constraint.back() != '.';
}

bool dns_in_subtree(std::string_view name, std::string_view constraint) {
  name = strip_trailing_dot(name);
  if (!is_valid_dns_name(name, false)) return false;
  return is_subdomain_or_equal(name, constraint);
}

bool wildcard_within_subtree(std::string_view wildcard, std::string_view constraint) {
  std::string_view rest = strip_trailing_dot(wildcard).substr(2);
  if (!is_valid_dns_name(rest, false)) return false;
  // Every "x.rest" is in the subtree iff "rest" itself is (a subtree is closed downwards).
  return is_subdomain_or_equal(rest, constraint);
}

bool wildcard_meets_subtree(std::string_view wildcard, std::string_view constraint) {
  std::string_view rest = strip_trailing_dot(wildcard).substr(2);
  if (!is_valid_dns_name(rest, false)) return true;  // malformed: assume the worst
  if (is_subdomain_or_equal(rest, constraint)) return true;
  // Some "x.rest" lies in the subtree iff the constraint is strictly below "rest".
  return constraint.size() > rest.size() && is_subdomain_or_equal(constraint, rest);
}

bool ip_constraint_valid(BytesView constraint) {
  if (constraint.size() != 8 && constraint.size() != 32) return false;
  return contiguous_mask(constraint.subspan(constraint.size() / 2));
}

bool ip_in_subtree(BytesView address, BytesView constraint) {
  if (constraint.size() != 2 * address.size()) return false;  // v4 vs v6: different families
  size_t n = address.size();
  for (size_t i = 0; i < n; ++i) {
    uint8_t mask = constraint[n + i];
    if ((address[i] & mask) != (constraint[i] & mask)) return false;
  }
  return true;
}

bool email_valid(std::string_view email) {
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  return printable_ascii(email) && is_valid_dns_name(email.substr(at + 1), false);
}

bool email_constraint_valid(std::string_view constraint) {
  if (constraint.empty()) return true;
  if (constraint.find('@') != std::string_view::npos) return email_valid(constraint);
  std::string_view host = constraint.front() == '.' ? constraint.substr(1) : constraint;
  return is_valid_dns_name(host, false);
}

bool email_in_subtree(std::string_view email, std::string_view constraint) {
  if (!email_valid(email)) return false;
  if (constraint.empty()) return true;
  size_t at = email.find('@');
  std::string_view host = email.substr(at + 1);
  if (constraint.find('@') != std::string_view::npos) {
    // A particular mailbox: local part exact, host case-insensitive.
    size_t cat = constraint.find('@');
    return email.substr(0, at) == constraint.substr(0, cat) &&
           iequals(host, constraint.substr(cat + 1));
  }
  if (constraint.front() == '.') {
    // Any mailbox in a subdomain of the host (not the host itself).
    return host.size() > constraint.size() - 1 &&
           is_subdomain_or_equal(host, constraint.substr(1)) &&
           !iequals(host, constraint.substr(1));
  }
  return iequals(host, constraint);
}

bool directory_in_subtree(const Name& name, const Name& base) {
  if (base.rdns.size() > name.rdns.size()) return false;
  for (size_t i = 0; i < base.rdns.size(); ++i) {
    const auto& want = base.rdns[i];
    const auto& have = name.rdns[i];
    if (want.size() != have.size()) return false;
    for (const auto& attr : want) {
      bool found = std::any_of(have.begin(), have.end(), [&](const Attribute& other) {
        if (!equal(attr.type, other.type)) return false;
        if (equal(attr.value, other.value)) return true;
        // Case-insensitive with whitespace folded, as names_match treats strings.
        auto fold = [](BytesView v) {
          std::string out;
          bool space = false;
          for (uint8_t b : v) {
            char c = lower(static_cast<char>(b));
            if (c == ' ') {
              space = !out.empty();
              continue;
            }
            if (space) out += ' ';
            space = false;
            out += c;
          }
          return out;
        };
        return fold(attr.value) == fold(other.value);
      });
      if (!found) return false;
    }
  }
  return true;
}

std::string general_name_to_string(const GeneralName& name) {
  switch (name.type) {
    case GeneralName::Type::dns: return "DNS:" + der::escape_controls(as_chars(name.value));
    case GeneralName::Type::ip: return "IP:" + format_ip(name.value);
    case GeneralName::Type::email: return "email:" + der::escape_controls(as_chars(name.value));
    case GeneralName::Type::uri: return "URI:" + der::escape_controls(as_chars(name.value));
    case GeneralName::Type::directory:
      return "DirName:" + (name.directory ? name.directory->to_string() : std::string("?"));
    default: return "othername";
  }
}

}  // namespace tern::x509
