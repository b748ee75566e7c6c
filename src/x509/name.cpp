// SPDX-License-Identifier: Apache-2.0
// Distinguished names and GeneralNames: parsing, RFC 4514-style printing and the
// RFC 5280 §7.1 comparison.
#include <cstdio>

#include "base/encoding.h"
#include "x509/certificate.h"
#include "x509/der.h"

namespace tern::x509 {

namespace tag = base::der;
using base::Reader;

namespace der {

namespace {
// Attribute types whose values must be strings (DirectoryString and friends): the 2.5.4.x
// types that appear in names, emailAddress and domainComponent.
bool is_string_attribute(Oid type) {
  static const Bytes kDomainComponent = {0x09, 0x92, 0x26, 0x89, 0x93,
                                         0xf2, 0x2c, 0x64, 0x01, 0x19};
  if (equal(type, oid::kEmailAddress) || equal(type, kDomainComponent)) return true;
  if (type.size() != 3 || type[0] != 0x55 || type[1] != 0x04) return false;
  switch (type[2]) {
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
    case 12:
    case 15:
    case 17:
    case 42:
    case 43:
    case 44:
    case 46:
    case 65:
    case 97:
      return true;
    default:
      return false;
  }
}
}  // namespace

namespace {
// The Name's structure, with messages relative to the Name; name() says which Name it is.
// Message strings are only built on failure: names are parsed on every certificate load.
Result<Name> parse_name(BytesView element) {
  Reader outer(element);
  Name out;
  out.der = element;
  TERN_TRY(Reader rdns, sequence(outer, "the Name"));
  TERN_CHECK(done(outer, "the Name"));
  size_t attributes = 0;
  while (!rdns.empty()) {
    auto rdn_error = [&](Error e) { return in("RDN " + std::to_string(out.rdns.size() + 1), e); };
    auto set = sequence(rdns, "the RDN", tag::kSet);
    if (!set.ok()) return rdn_error(std::move(set).error());
    if (set->empty())
      return error("RDN " + std::to_string(out.rdns.size() + 1) +
                   " is an empty SET (RDNs need one attribute or more)");
    std::vector<Attribute> rdn;
    while (!set->empty()) {
      if (++attributes > kMaxItems)
        return error("the Name has more than " + std::to_string(kMaxItems) + " attributes");
      auto atv = sequence(*set, "the attribute");
      if (!atv.ok()) return rdn_error(std::move(atv).error());
      Attribute a;
      auto type = oid(*atv, "the attribute type");
      if (!type.ok()) return rdn_error(std::move(type).error());
      a.type = *type;
      auto value_error = [&](const std::string& problem) {
        return rdn_error(error("the value of " + oid::describe(a.type) + " " + problem));
      };
      BytesView value;
      if (atv->empty()) return value_error("is missing");
      if (!atv->der_any(a.value_tag, value)) return value_error("is not a valid DER element");
      a.value = value;
      if (auto end = done(*atv, "the attribute"); !end.ok())
        return rdn_error(std::move(end).error());
      bool string_tag = is_string_tag(a.value_tag);
      if (is_string_attribute(a.type) && !string_tag)
        return value_error("must be a string but has tag " + std::to_string(a.value_tag));
      if (string_tag && !valid_string(a.value_tag, value))
        return value_error(std::string("is not a valid ") + string_type_name(a.value_tag));
      rdn.push_back(a);
    }
    out.rdns.push_back(std::move(rdn));
  }
  return out;
}
}  // namespace

Result<Name> name(BytesView element, std::string_view what) {
  auto parsed = parse_name(element);
  if (!parsed.ok()) return in(what, std::move(parsed).error());
  return parsed;
}

Result<GeneralName> general_name(Reader& r, std::string_view what) {
  std::string w(what);
  uint8_t t = 0;
  BytesView contents;
  if (r.empty()) return error(w + " is missing");
  if (!r.der_any(t, contents)) return error(w + " is not a valid DER element");
  GeneralName g;
  g.value = contents;
  auto ia5 = [&](GeneralName::Type type, const char* label) -> Result<GeneralName> {
    if (!valid_ia5(contents)) return error(w + ": " + label + " is not a valid IA5String");
    g.type = type;
    return g;
  };
  switch (t) {
    case tag::context(0, true): {  // otherName: type-id OID, [0] EXPLICIT value
      Reader other(contents);
      TERN_TRY(BytesView type_id, oid(other, w + " otherName type"));
      TERN_TRY(BytesView inner, element(other, tag::context(0, true), w + " otherName value"));
      (void)type_id, (void)inner;
      TERN_CHECK(done(other, w + " otherName"));
      g.type = GeneralName::Type::other;
      return g;
    }
    case tag::context(1, false):
      return ia5(GeneralName::Type::email, "rfc822Name");
    case tag::context(2, false):
      return ia5(GeneralName::Type::dns, "dNSName");
    case tag::context(3, true):
      g.type = GeneralName::Type::x400;
      return g;
    case tag::context(4, true): {  // directoryName: [4] EXPLICIT Name
      Reader dir(contents);
      uint8_t inner_tag = 0;
      BytesView inner_contents, inner_element;
      if (!dir.der_any_element(inner_tag, inner_contents, inner_element) ||
          inner_tag != tag::kSequence)
        return error(w + ": directoryName does not hold a Name SEQUENCE");
      TERN_CHECK(done(dir, w + " directoryName"));
      TERN_TRY(Name n, name(inner_element, w + " directoryName"));
      g.type = GeneralName::Type::directory;
      g.value = inner_element;
      g.directory = std::move(n);
      return g;
    }
    case tag::context(5, true):
      g.type = GeneralName::Type::edi;
      return g;
    case tag::context(6, false):
      return ia5(GeneralName::Type::uri, "uniformResourceIdentifier");
    case tag::context(7, false):
      g.type = GeneralName::Type::ip;
      return g;
    case tag::context(8, false):
      if (!valid_oid(contents)) return error(w + ": registeredID is not a valid OID");
      g.type = GeneralName::Type::registered_id;
      return g;
    default: {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", t);
      return error(w + " has tag " + hex + ", which is not a GeneralName");
    }
  }
}

Result<std::vector<GeneralName>> general_names(BytesView contents, std::string_view what) {
  std::string w(what);
  Reader r(contents);
  std::vector<GeneralName> out;
  if (r.empty()) return error(w + " is an empty list (at least one name is required)");
  while (!r.empty()) {
    if (out.size() >= kMaxItems)
      return error(w + " has more than " + std::to_string(kMaxItems) + " names");
    TERN_TRY(GeneralName g, general_name(r, w + " entry " + std::to_string(out.size() + 1)));
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace der

namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | cp >> 12);
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | cp >> 18);
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// The value as UTF-8 text, or nullopt for non-string values.
std::optional<std::string> value_text(const Attribute& a) {
  std::string out;
  switch (a.value_tag) {
    case tag::kT61String:  // read as Latin-1
      for (uint8_t b : a.value) append_utf8(out, b);
      return out;
    case tag::kBmpString:
      for (size_t i = 0; i + 1 < a.value.size(); i += 2) {
        uint32_t u = uint32_t{a.value[i]} << 8 | a.value[i + 1];
        if (u >= 0xd800 && u < 0xdc00 && i + 3 < a.value.size()) {
          uint32_t lo = uint32_t{a.value[i + 2]} << 8 | a.value[i + 3];
          if (lo >= 0xdc00 && lo < 0xe000) {
            append_utf8(out, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
            i += 2;
            continue;
          }
        }
        append_utf8(out, u);
      }
      return out;
    case tag::kUniversalString:
      for (size_t i = 0; i + 3 < a.value.size(); i += 4)
        append_utf8(out, uint32_t{a.value[i]} << 24 | uint32_t{a.value[i + 1]} << 16 |
                             uint32_t{a.value[i + 2]} << 8 | a.value[i + 3]);
      return out;
    default:
      if (!der::is_string_tag(a.value_tag)) return std::nullopt;
      return std::string(as_chars(a.value));
  }
}

// RFC 4514 §2.4 escaping, plus control characters as \XX so messages stay on one line and
// cannot drive a terminal.
std::string escape_value(const std::string& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    bool special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' ||
                   c == ';' || (i == 0 && (c == '#' || c == ' ')) ||
                   (i + 1 == v.size() && c == ' ');
    if (special) out += '\\';
    out += c;
  }
  return der::escape_controls(out);
}

bool comparable_string(uint8_t t) { return t == tag::kPrintableString || t == tag::kUtf8String; }

// RFC 4518-ish preparation: ASCII case folded, leading/trailing spaces removed, internal
// runs of whitespace folded to one space.
std::string prepare(BytesView v) {
  std::string out;
  bool pending_space = false;
  for (uint8_t b : v) {
    char c = static_cast<char>(b);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

bool attributes_match(const Attribute& a, const Attribute& b) {
  if (!equal(a.type, b.type)) return false;
  if (comparable_string(a.value_tag) && comparable_string(b.value_tag))
    return prepare(a.value) == prepare(b.value);
  return a.value_tag == b.value_tag && equal(a.value, b.value);
}

}  // namespace

std::string Name::to_string() const {
  std::string out;
  for (auto rdn = rdns.rbegin(); rdn != rdns.rend(); ++rdn) {
    if (!out.empty()) out += ", ";
    for (size_t i = 0; i < rdn->size(); ++i) {
      const Attribute& a = (*rdn)[i];
      if (i) out += '+';
      const char* short_name = oid::name(a.type);
      out += short_name ? short_name : oid::to_string(a.type);
      out += '=';
      if (auto text = value_text(a)) {
        out += escape_value(*text);
      } else {
        out += '#' + base::hex(a.value);
      }
    }
  }
  return out;
}

std::optional<std::string> Name::common_name() const {
  std::optional<std::string> cn;
  for (const auto& rdn : rdns)
    for (const Attribute& a : rdn)
      if (equal(a.type, oid::kCommonName))
        if (auto text = value_text(a)) cn = *text;
  return cn;
}

bool names_match(const Name& a, const Name& b) {
  if (equal(a.der, b.der)) return true;
  if (a.rdns.size() != b.rdns.size()) return false;
  for (size_t i = 0; i < a.rdns.size(); ++i) {
    const auto& ra = a.rdns[i];
    const auto& rb = b.rdns[i];
    if (ra.size() != rb.size()) return false;
    // Multi-valued RDNs are sets: match each attribute of `ra` to a distinct one of `rb`.
    // Real ones have two or three members; huge (hostile) ones are compared in order so
    // the quadratic search stays cheap.
    if (ra.size() > 8) {
      for (size_t k = 0; k < ra.size(); ++k)
        if (!attributes_match(ra[k], rb[k])) return false;
      continue;
    }
    std::vector<bool> used(rb.size(), false);
    for (const Attribute& x : ra) {
      bool found = false;
      for (size_t k = 0; k < rb.size() && !found; ++k) {
        if (!used[k] && attributes_match(x, rb[k])) used[k] = found = true;
      }
      if (!found) return false;
    }
  }
  return true;
}

}  // namespace tern::x509
