// SPDX-License-Identifier: Apache-2.0
#include "x509/ca_names.h"

#include <algorithm>

#include "x509/hostname.h"

namespace tern::x509::ca_names {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Error usage(std::string detail) { return Error(Errc::usage, std::move(detail)); }

// Why `text` is not a name we can issue for, in words that say what to type instead.
std::string why_not_a_name(const std::string& text) {
  if (text.find("://") != std::string::npos || text.find('/') != std::string::npos)
    return "it looks like a URL; give the host name alone, e.g. example.test";
  if (text.front() == '[') return "write an IPv6 address without brackets, e.g. ::1";
  if (std::count(text.begin(), text.end(), ':') == 1)
    return "a port is not part of a name; give the host name or address alone";
  if (text.find('@') != std::string::npos)
    return "email addresses are not supported; give DNS names or IP addresses";
  if (text.find('*') != std::string::npos)
    return "a wildcard is allowed only as the whole left-most label, e.g. *.example.test";
  return "it is neither a DNS name (letters, digits and hyphens in dot-separated labels of "
         "at most 63 characters; internationalised names in their xn-- form) nor an IPv4 or "
         "IPv6 address";
}

std::string cidr_text(BytesView value) {
  size_t n = value.size() / 2;
  size_t prefix = 0;
  for (size_t i = n; i < value.size(); ++i)
    for (int bit = 7; bit >= 0; --bit)
      if (value[i] & (1u << bit)) ++prefix;
  return format_ip(value.first(n)) + "/" + std::to_string(prefix);
}

// The constraint value address||mask for `cidr`, with the host bits cleared.
std::optional<Bytes> parse_cidr(std::string_view cidr) {
  size_t slash = cidr.find('/');
  auto address = parse_ip_literal(cidr.substr(0, slash));
  if (!address) return std::nullopt;
  if (slash == std::string_view::npos) {  // one address: a full-length prefix
    Bytes value = *address;
    value.insert(value.end(), address->size(), 0xff);
    return value;
  }
  auto subtree = ip_subtree(std::string(format_ip(*address)) + std::string(cidr.substr(slash)));
  if (!subtree) return std::nullopt;
  Bytes value = subtree->value;
  size_t n = value.size() / 2;
  for (size_t i = 0; i < n; ++i) value[i] &= value[n + i];
  return value;
}

std::string list_permitted(const NameConstraints& nc) {
  std::vector<std::string> permitted = describe_permitted(nc);
  if (permitted.empty()) return "nothing";
  std::string out;
  for (const std::string& p : permitted) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

Result<std::vector<LeafName>> parse_leaf_names(const std::vector<std::string>& names) {
  if (names.empty())
    return usage(
        "no names to issue a certificate for: give at least one DNS name or IP "
        "address, e.g. localhost 127.0.0.1 ::1");
  std::vector<LeafName> out;
  for (const std::string& given : names) {
    if (given.empty()) return usage("an empty name cannot be in a certificate");
    LeafName name;
    if (auto ip = parse_ip_literal(given)) {
      name.is_ip = true;
      name.ip = *ip;
      name.text = format_ip(*ip);
      name.san = GeneralNameSpec::ip(*ip);
    } else {
      std::string dns = lower(given);
      if (dns.size() > 1 && dns.back() == '.') dns.pop_back();  // the root label is implied
      if (!is_valid_dns_name(dns, true) || dns == "*")
        return usage("cannot issue a certificate for \"" + given + "\": " + why_not_a_name(given));
      // "999.1.1.1" passes the label rules, but a numeric last label makes it an address
      // to every resolver and browser, never a host name.
      std::string_view last = std::string_view(dns).substr(dns.rfind('.') + 1);
      if (std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return usage("cannot issue a certificate for \"" + given +
                     "\": it is not a valid IP address, and a DNS name cannot end in a "
                     "numeric label");
      if (dns.rfind("*.", 0) == 0 && dns.find('.', 2) == std::string::npos)
        return usage("cannot issue a certificate for \"" + given +
                     "\": a wildcard must have at least two labels after \"*.\" (browsers "
                     "match *." +
                     dns.substr(2) + " to nothing); use *.example." + dns.substr(2) +
                     " or list the names");
      // What tern's verifier (and browsers) would refuse is not issued either.
      if (wildcard_covers_public_suffix(dns))
        return usage("cannot issue a certificate for \"" + given + "\": " + dns.substr(2) +
                     " is a public suffix (Public Suffix List), so browsers match the wildcard "
                     "to nothing; use *.example." + dns.substr(2) + " or list the names");
      if (dns.find('_') != std::string::npos)
        return usage("cannot issue a certificate for \"" + given + "\": the web PKI forbids " +
                     "underscores in certificate host names (CA/Browser Forum 7.1.2.7.12), " +
                     "so TLS clients refuse them; rename the host");
      name.text = dns;
      name.san = GeneralNameSpec::dns(dns);
    }
    bool duplicate = std::any_of(out.begin(), out.end(),
                                 [&](const LeafName& other) { return other.text == name.text; });
    if (!duplicate) out.push_back(std::move(name));
  }
  return out;
}

Result<ParsedConstraints> parse_constraints(const std::vector<std::string>& constraints) {
  ParsedConstraints out;
  bool any_dns = false, any_ip = false;
  for (const std::string& given : constraints) {
    if (given.empty()) return usage("an empty --name-constraint would permit nothing useful");
    if (auto ip = parse_cidr(given)) {
      out.permitted.push_back(GeneralNameSpec::ip(*ip));
      any_ip = true;
      continue;
    }
    std::string dns = lower(given);
    if (dns.front() == '.') dns.erase(0, 1);  // ".test" and "test" both mean the subtree
    if (given.find('/') != std::string::npos)
      return usage("the name constraint \"" + given +
                   "\" is not an address range; write it as ADDRESS/PREFIX, e.g. "
                   "10.0.0.0/8 or fd00::/8");
    if (dns.find('*') != std::string::npos)
      return usage("the name constraint \"" + given +
                   "\" has a wildcard; a DNS constraint "
                   "already covers every name under it: write ." +
                   dns.substr(std::min(dns.size(), dns.find('.') + 1)));
    if (!dns_constraint_valid(dns) || dns.empty())
      return usage("the name constraint \"" + given +
                   "\" is neither a DNS name (localhost, .test), an IP address (127.0.0.1) "
                   "nor an address range (10.0.0.0/8)");
    out.permitted.push_back(GeneralNameSpec::dns(dns));
    any_dns = true;
  }
  if (constraints.empty()) return out;
  // RFC 5280 constrains each name form separately: a list of DNS names alone would leave
  // every IP address open. Exclude the forms not listed (as the CA/Browser Forum requires
  // of technically constrained CAs): the zero-length DNS name is every DNS name.
  if (!any_ip) {
    out.excluded.push_back(GeneralNameSpec::ip(Bytes(8, 0)));
    out.excluded.push_back(GeneralNameSpec::ip(Bytes(32, 0)));
  }
  if (!any_dns) out.excluded.push_back(GeneralNameSpec::dns(""));
  return out;
}

std::vector<std::string> describe_permitted(const NameConstraints& nc) {
  std::vector<std::string> out;
  for (const GeneralSubtree& subtree : nc.permitted) {
    if (subtree.base.type == GeneralName::Type::dns) {
      out.emplace_back(as_chars(subtree.base.value));
    } else if (subtree.base.type == GeneralName::Type::ip) {
      Bytes value(subtree.base.value.begin(), subtree.base.value.end());
      value.insert(value.end(), subtree.ip_mask.begin(), subtree.ip_mask.end());
      out.push_back(cidr_text(value));
    } else {
      out.push_back(general_name_to_string(subtree.base));
    }
  }
  return out;
}

Result<void> check_within(const LeafName& name, const NameConstraints& nc,
                          const std::string& ca_dir) {
  bool wildcard = !name.is_ip && name.text.rfind("*.", 0) == 0;
  auto matches = [&](const GeneralSubtree& subtree, bool excluded) {
    if (name.is_ip) {
      if (subtree.base.type != GeneralName::Type::ip) return false;
      Bytes value(subtree.base.value.begin(), subtree.base.value.end());
      value.insert(value.end(), subtree.ip_mask.begin(), subtree.ip_mask.end());
      return ip_in_subtree(name.ip, value);
    }
    if (subtree.base.type != GeneralName::Type::dns) return false;
    std::string_view base = as_chars(subtree.base.value);
    if (!wildcard) return dns_in_subtree(name.text, base);
    return excluded ? wildcard_meets_subtree(name.text, base)
                    : wildcard_within_subtree(name.text, base);
  };
  auto refuse = [&](const std::string& why) {
    return usage("the CA in " + ca_dir + " may not vouch for " + name.text + ": " + why +
                 "; its name constraints permit only " + list_permitted(nc) +
                 " (a DNS name with every name under it). Issue for names within them, or "
                 "make a CA without constraints (tern ca init --dir OTHER_DIR)");
  };
  for (const GeneralSubtree& subtree : nc.excluded) {
    if (!matches(subtree, true)) continue;
    bool everything = name.is_ip ? std::all_of(subtree.ip_mask.begin(), subtree.ip_mask.end(),
                                               [](uint8_t b) { return b == 0; })
                                 : subtree.base.value.empty();
    if (everything)
      return refuse(name.is_ip ? "it may vouch for no IP address" : "it may vouch for no DNS name");
    return refuse("its name constraints exclude it (" + general_name_to_string(subtree.base) + ")");
  }
  GeneralName::Type type = name.is_ip ? GeneralName::Type::ip : GeneralName::Type::dns;
  bool any_of_type = false, permitted = false;
  for (const GeneralSubtree& subtree : nc.permitted) {
    if (subtree.base.type != type) continue;
    any_of_type = true;
    permitted = permitted || matches(subtree, false);
  }
  if (any_of_type && !permitted)
    return refuse(wildcard
                      ? "some of the names the wildcard matches are outside its name constraints"
                      : "it is outside its name constraints");
  return ok();
}

std::string file_stem(const std::vector<LeafName>& names, bool client) {
  std::string stem;
  for (char c : names.front().text) {
    if (c == '*')
      stem += "_wildcard";
    else if (c == ':')
      stem += '_';
    else
      stem += c;
  }
  if (names.size() > 1) stem += "+" + std::to_string(names.size() - 1);
  if (client) stem += "-client";
  return stem;
}

}  // namespace tern::x509::ca_names
