// SPDX-License-Identifier: Apache-2.0
// Reference-identity matching (RFC 9525) and name-constraint subtrees (RFC 5280 §4.2.1.10).
#include <gtest/gtest.h>

#include "x509/hostname.h"

namespace tern::x509 {
namespace {

Bytes ip(std::string_view text) {
  auto parsed = parse_ip_literal(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(Bytes{});
}

Bytes subtree(std::string_view address, std::string_view mask) {
  Bytes out = ip(address);
  Bytes m = ip(mask);
  out.insert(out.end(), m.begin(), m.end());
  return out;
}

TEST(X509Hostname, ExactMatchIsCaseInsensitive) {
  EXPECT_TRUE(dns_name_matches("example.org", "example.org"));
  EXPECT_TRUE(dns_name_matches("Example.ORG", "example.org"));
  EXPECT_TRUE(dns_name_matches("example.org", "EXAMPLE.org"));
  EXPECT_FALSE(dns_name_matches("example.org", "example.net"));
  EXPECT_FALSE(dns_name_matches("www.example.org", "example.org"));
  EXPECT_FALSE(dns_name_matches("example.org", "www.example.org"));
  EXPECT_FALSE(dns_name_matches("abc.example.org", "def.example.org"));
}

TEST(X509Hostname, TrailingDotIsIgnored) {
  EXPECT_TRUE(dns_name_matches("example.org", "example.org."));
  EXPECT_TRUE(dns_name_matches("example.org.", "example.org"));
  EXPECT_FALSE(dns_name_matches("example.org", "example.org.."));
}

TEST(X509Hostname, WildcardMatchesExactlyOneLeftMostLabel) {
  EXPECT_TRUE(dns_name_matches("*.example.org", "a.example.org"));
  EXPECT_TRUE(dns_name_matches("*.EXAMPLE.org", "Foo.example.ORG"));
  EXPECT_FALSE(dns_name_matches("*.example.org", "example.org"));
  EXPECT_FALSE(dns_name_matches("*.example.org", "a.b.example.org"));
  EXPECT_FALSE(dns_name_matches("*.example.org", ".example.org"));
}

TEST(X509Hostname, WildcardOnlyAsWholeLabel) {
  EXPECT_FALSE(dns_name_matches("f*.example.org", "foo.example.org"));
  EXPECT_FALSE(dns_name_matches("*o.example.org", "foo.example.org"));
  EXPECT_FALSE(dns_name_matches("xn--*-1b3c148a.example.com", "xn--bliss-1b3c148a.example.com"));
  EXPECT_FALSE(dns_name_matches("foo.*.example.org", "foo.bar.example.org"));
  EXPECT_FALSE(dns_name_matches("*.*.example.org", "a.b.example.org"));
  EXPECT_FALSE(dns_name_matches("*", "localhost"));
}

TEST(X509Hostname, NoWildcardOverASingleLabelSuffix) {
  EXPECT_FALSE(dns_name_matches("*.com", "example.com"));
  EXPECT_FALSE(dns_name_matches("*.", "example"));
}

TEST(X509Hostname, NonAsciiPresentedNameNeverMatches) {
  EXPECT_FALSE(dns_name_matches("\xf0\x9f\x98\x9c.example.com", "xn--628h.example.com"));
}

TEST(X509Hostname, IpLiteralsParse) {
  EXPECT_EQ(ip("127.0.0.1"), (Bytes{127, 0, 0, 1}));
  EXPECT_EQ(ip("::1"), (Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(ip("::"), Bytes(16, 0));
  EXPECT_EQ(ip("2001:db8::"), (Bytes{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(ip("::ffff:192.0.2.1"),
            (Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1}));
  EXPECT_EQ(ip("1:2:3:4:5:6:7:8"), (Bytes{0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8}));
  for (const char* bad : {"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "example.com",
                          "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "[::1]", "::g", ""}) {
    EXPECT_FALSE(parse_ip_literal(bad).has_value()) << bad;
  }
}

TEST(X509Hostname, FormatsAddresses) {
  EXPECT_EQ(format_ip(ip("192.0.2.1")), "192.0.2.1");
  EXPECT_EQ(format_ip(ip("::1")), "::1");
  EXPECT_EQ(format_ip(ip("2001:db8:0:0:1:0:0:1")), "2001:db8::1:0:0:1");
  EXPECT_EQ(format_ip(ip("1:2:3:4:5:6:7:8")), "1:2:3:4:5:6:7:8");
}

TEST(X509Hostname, PrintedNamesEscapeControlCharacters) {
  const std::string_view dns = "evil\x1b[2J.example";
  GeneralName name{GeneralName::Type::dns, as_bytes(dns), std::nullopt};
  EXPECT_EQ(general_name_to_string(name), "DNS:evil\\1B[2J.example");
  name.type = GeneralName::Type::uri;
  EXPECT_EQ(general_name_to_string(name), "URI:evil\\1B[2J.example");
}

TEST(X509Hostname, IpLiteralNeverMatchesADnsName) {
  EXPECT_FALSE(dns_name_matches("127.0.0.1", "127.0.0.1"));
  EXPECT_FALSE(dns_name_matches("*.0.0.1", "127.0.0.1"));
}

TEST(X509Hostname, DnsSubtrees) {
  EXPECT_TRUE(dns_in_subtree("example.com", "example.com"));
  EXPECT_TRUE(dns_in_subtree("www.host.example.com", "host.example.com"));
  EXPECT_TRUE(dns_in_subtree("WWW.Example.com", "example.COM"));
  EXPECT_FALSE(dns_in_subtree("host1.example.com", "host.example.com"));
  EXPECT_FALSE(dns_in_subtree("notexample.com", "example.com"));
  EXPECT_FALSE(dns_in_subtree(".example.com", "example.com"));
  EXPECT_TRUE(dns_in_subtree("anything.org", ""));
}

TEST(X509Hostname, DnsConstraintSyntax) {
  EXPECT_TRUE(dns_constraint_valid("example.com"));
  EXPECT_TRUE(dns_constraint_valid(""));
  EXPECT_FALSE(dns_constraint_valid("*.example.com"));
  EXPECT_FALSE(dns_constraint_valid(".example.com"));
  EXPECT_FALSE(dns_constraint_valid("exa mple.com"));
}

TEST(X509Hostname, WildcardNamesAgainstSubtrees) {
  // Permitted: every name the wildcard can match must be inside.
  EXPECT_TRUE(wildcard_within_subtree("*.example.com", "example.com"));
  EXPECT_FALSE(wildcard_within_subtree("*.example.com", "foo.example.com"));
  // Excluded: any name the wildcard can match being inside is enough (CVE-2025-61727).
  EXPECT_TRUE(wildcard_meets_subtree("*.example.com", "bar.example.com"));
  EXPECT_TRUE(wildcard_meets_subtree("*.example.com", "example.com"));
  EXPECT_FALSE(wildcard_meets_subtree("*.example.com", "example.org"));
  EXPECT_FALSE(wildcard_meets_subtree("*.a.example.com", "b.example.com"));
}

TEST(X509Hostname, IpSubtrees) {
  Bytes net24 = subtree("192.0.2.0", "255.255.255.0");
  EXPECT_TRUE(ip_constraint_valid(net24));
  EXPECT_TRUE(ip_in_subtree(ip("192.0.2.1"), net24));
  EXPECT_FALSE(ip_in_subtree(ip("192.0.3.1"), net24));
  EXPECT_FALSE(ip_in_subtree(ip("::1"), net24));  // another family never matches
  Bytes v6 = subtree("::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_TRUE(ip_constraint_valid(v6));
  EXPECT_TRUE(ip_in_subtree(ip("::1"), v6));
  EXPECT_FALSE(ip_in_subtree(ip("::2"), v6));
  EXPECT_FALSE(ip_constraint_valid(ip("127.0.0.1")));                     // no mask
  EXPECT_FALSE(ip_constraint_valid(subtree("10.0.0.0", "255.0.255.0")));  // not contiguous
}

TEST(X509Hostname, EmailSubtrees) {
  EXPECT_TRUE(email_in_subtree("foo@example.com", "foo@example.com"));
  EXPECT_FALSE(email_in_subtree("bar@example.com", "foo@example.com"));
  EXPECT_TRUE(email_in_subtree("foo@example.com", "example.com"));
  EXPECT_TRUE(email_in_subtree("foo@EXAMPLE.com", "example.com"));
  EXPECT_FALSE(email_in_subtree("foo@mail.example.com", "example.com"));
  EXPECT_TRUE(email_in_subtree("foo@mail.example.com", ".example.com"));
  EXPECT_FALSE(email_in_subtree("foo@example.com", ".example.com"));
  EXPECT_FALSE(email_in_subtree("invalid@address@example.com", "example.com"));
  EXPECT_FALSE(email_constraint_valid("invalid@invalid@example.com"));
  EXPECT_TRUE(email_constraint_valid(".example.com"));
}

}  // namespace
}  // namespace tern::x509
