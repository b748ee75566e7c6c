// SPDX-License-Identifier: Apache-2.0
// Names (RFC 5280 §7.1 comparison, RFC 4514 printing) and the DER helpers of x509/der.h.
#include <gtest/gtest.h>

#include "base/encoding.h"
#include "x509/certificate.h"
#include "x509/der.h"
#include "x509_parse_util.h"

namespace tern::x509 {
namespace {

using namespace testing;  // NOLINT: the helpers of x509_parse_util.h

Bytes H(const char* hex) { return *base::unhex(hex); }

const Bytes kOrg = {0x55, 0x04, 0x0a};
const Bytes kCountry = {0x55, 0x04, 0x06};

Node atv(const Bytes& type, Node value) {
  return constructed(0x30, {primitive(0x06, type), std::move(value)});
}
Node rdn(std::vector<Node> atvs) { return constructed(0x31, std::move(atvs)); }

// Keeps the encoding alive next to the parsed Name, which points into it.
struct OwnedName {
  Bytes der;
  Name name;
};
OwnedName make_name(std::vector<Node> rdns) {
  OwnedName out;
  out.der = encode(constructed(0x30, std::move(rdns)));
  auto parsed = der::name(out.der, "name");
  EXPECT_TRUE(parsed.ok()) << parsed.error().detail;
  if (parsed.ok()) out.name = std::move(*parsed);
  return out;
}

TEST(X509ParseName, ExactAndCaseInsensitiveMatches) {
  auto a =
      make_name({rdn({atv(kCountry, text(0x13, "US"))}), rdn({atv(kOrg, text(0x13, "Tern Test"))}),
                 rdn({atv(oid::kCommonName, text(0x0c, "Example CA"))})});
  auto same =
      make_name({rdn({atv(kCountry, text(0x13, "US"))}), rdn({atv(kOrg, text(0x13, "Tern Test"))}),
                 rdn({atv(oid::kCommonName, text(0x0c, "Example CA"))})});
  EXPECT_TRUE(names_match(a.name, same.name));
  // Case, leading/trailing spaces, internal runs of spaces, and PrintableString vs
  // UTF8String all compare equal.
  auto folded = make_name({rdn({atv(kCountry, text(0x0c, "us"))}),
                           rdn({atv(kOrg, text(0x0c, "  tern    TEST "))}),
                           rdn({atv(oid::kCommonName, text(0x13, "EXAMPLE CA"))})});
  EXPECT_TRUE(names_match(a.name, folded.name));
  EXPECT_TRUE(names_match(folded.name, a.name));

  auto other_value =
      make_name({rdn({atv(kCountry, text(0x13, "US"))}), rdn({atv(kOrg, text(0x13, "Tern Tests"))}),
                 rdn({atv(oid::kCommonName, text(0x0c, "Example CA"))})});
  EXPECT_FALSE(names_match(a.name, other_value.name));
  auto fewer = make_name({rdn({atv(kOrg, text(0x13, "Tern Test"))}),
                          rdn({atv(oid::kCommonName, text(0x0c, "Example CA"))})});
  EXPECT_FALSE(names_match(a.name, fewer.name));
  auto reordered =
      make_name({rdn({atv(kOrg, text(0x13, "Tern Test"))}), rdn({atv(kCountry, text(0x13, "US"))}),
                 rdn({atv(oid::kCommonName, text(0x0c, "Example CA"))})});
  EXPECT_FALSE(names_match(a.name, reordered.name));
  auto other_type =
      make_name({rdn({atv(kCountry, text(0x13, "US"))}), rdn({atv(kOrg, text(0x13, "Tern Test"))}),
                 rdn({atv(kOrg, text(0x0c, "Example CA"))})});
  EXPECT_FALSE(names_match(a.name, other_type.name));
}

TEST(X509ParseName, MultiValuedRdnsAreSets) {
  auto ab = make_name({rdn({atv(kOrg, text(0x0c, "A")), atv(oid::kCommonName, text(0x0c, "B"))})});
  auto ba = make_name({rdn({atv(oid::kCommonName, text(0x0c, "b")), atv(kOrg, text(0x0c, "a"))})});
  EXPECT_TRUE(names_match(ab.name, ba.name));
  EXPECT_EQ(ab.name.to_string(), "O=A+CN=B");
  auto split =
      make_name({rdn({atv(kOrg, text(0x0c, "A"))}), rdn({atv(oid::kCommonName, text(0x0c, "B"))})});
  EXPECT_FALSE(names_match(ab.name, split.name));
  auto aa = make_name({rdn({atv(kOrg, text(0x0c, "A")), atv(kOrg, text(0x0c, "A"))})});
  auto ac = make_name({rdn({atv(kOrg, text(0x0c, "A")), atv(kOrg, text(0x0c, "C"))})});
  EXPECT_FALSE(names_match(aa.name, ac.name));
}

TEST(X509ParseName, OtherStringTypesCompareExactly) {
  auto lower = make_name({rdn({atv(oid::kEmailAddress, text(0x16, "a@example.org"))})});
  auto upper = make_name({rdn({atv(oid::kEmailAddress, text(0x16, "A@example.org"))})});
  auto lower2 = make_name({rdn({atv(oid::kEmailAddress, text(0x16, "a@example.org"))})});
  EXPECT_FALSE(names_match(lower.name, upper.name));
  EXPECT_TRUE(names_match(lower.name, lower2.name));
  auto bmp = make_name({rdn({atv(oid::kCommonName, primitive(0x1e, H("00410042")))})});
  auto utf8 = make_name({rdn({atv(oid::kCommonName, text(0x0c, "AB"))})});
  EXPECT_FALSE(names_match(bmp.name, utf8.name));
  auto empty1 = make_name({});
  auto empty2 = make_name({});
  EXPECT_TRUE(names_match(empty1.name, empty2.name));
  EXPECT_TRUE(empty1.name.empty());
}

TEST(X509ParseName, ToStringEscapesAndDecodes) {
  auto n = make_name({rdn({atv(kCountry, text(0x13, "US"))}),
                      rdn({atv(kOrg, text(0x0c, "Smith, Jones & Co"))}),
                      rdn({atv(H("2a0304"), text(0x0c, "#x"))}),
                      rdn({atv(H("2a0305"), primitive(0x04, H("0102")))}),
                      rdn({atv(oid::kCommonName, text(0x0c, " line\nbreak "))})});
  EXPECT_EQ(n.name.to_string(),
            "CN=\\ line\\0Abreak\\ , 1.2.3.5=#0102, 1.2.3.4=\\#x, O=Smith\\, Jones & Co, C=US");
  EXPECT_EQ(n.name.common_name(), " line\nbreak ");

  auto wide = make_name({rdn({atv(oid::kCommonName, primitive(0x1e, H("00c4d83dde00")))}),
                         rdn({atv(kOrg, primitive(0x14, H("e9")))}),
                         rdn({atv(kCountry, primitive(0x1c, H("0001f600")))})});
  EXPECT_EQ(wide.name.to_string(), "C=\xf0\x9f\x98\x80, O=\xc3\xa9, CN=\xc3\x84\xf0\x9f\x98\x80");
  auto two_cns = make_name({rdn({atv(oid::kCommonName, text(0x0c, "first"))}),
                            rdn({atv(oid::kCommonName, text(0x0c, "last"))})});
  EXPECT_EQ(two_cns.name.common_name(), "last");
  auto no_cn = make_name({rdn({atv(kOrg, text(0x0c, "Org"))})});
  EXPECT_FALSE(no_cn.name.common_name());
}

// A certificate's names reach terminals and logs: escape sequences (ESC, the C1 CSI U+009B,
// DEL) come out as \XX, never as bytes that would drive the terminal.
TEST(X509ParseName, ToStringEscapesControlCharacters) {
  auto n = make_name({rdn({atv(oid::kCommonName, text(0x0c,
                                                      "a\x1b[31mred\xc2\x9b"
                                                      "2J\x7f\xc2\xa9"))})});
  EXPECT_EQ(n.name.to_string(), "CN=a\\1B[31mred\\C2\\9B2J\\7F\xc2\xa9");
}

TEST(X509ParseDer, EscapeControlsKeepsTextAndUtf8) {
  EXPECT_EQ(der::escape_controls("plain text, \xc3\xa9"), "plain text, \xc3\xa9");
  EXPECT_EQ(der::escape_controls("\x1b]0;title\x07"), "\\1B]0;title\\07");
  // A lone UTF-8 lead byte at the end is not a C1 control.
  EXPECT_EQ(der::escape_controls(std::string_view("\0\xc2", 2)), "\\00\xc2");
}

TEST(X509ParseName, RejectsMalformedNames) {
  auto parse = [](Node n) {
    Bytes der = encode(n);
    auto r = der::name(der, "subject");
    return r.ok() ? std::string() : r.error().detail;
  };
  EXPECT_NE(parse(constructed(0x30, {rdn({})})).find("empty SET"), std::string::npos);
  EXPECT_NE(
      parse(constructed(0x30, {rdn({constructed(0x30, {primitive(0x06, kOrg)})})})).find("missing"),
      std::string::npos);
  EXPECT_NE(parse(constructed(0x30, {rdn({atv(H("5580"), text(0x0c, "x"))})}))
                .find("not a valid OBJECT IDENTIFIER"),
            std::string::npos);
  EXPECT_NE(parse(constructed(0x30, {rdn({atv(oid::kEmailAddress, primitive(0x16, {0xff}))})}))
                .find("IA5String"),
            std::string::npos);
  EXPECT_NE(parse(constructed(0x31, {})).find("expected 0x30"), std::string::npos);
  // Hostile size: more than 1024 attributes.
  std::vector<Node> many(1025, rdn({atv(kOrg, text(0x0c, "x"))}));
  EXPECT_NE(parse(constructed(0x30, many)).find("more than 1024"), std::string::npos);
}

TEST(X509ParseDer, IntegersBooleansBitStringsOids) {
  EXPECT_TRUE(der::check_integer(H("00"), "i").ok());
  EXPECT_TRUE(der::check_integer(H("0080"), "i").ok());
  EXPECT_TRUE(der::check_integer(H("ff7f"), "i").ok());
  EXPECT_TRUE(der::check_integer(H("80"), "i").ok());
  EXPECT_FALSE(der::check_integer(H(""), "i").ok());
  EXPECT_FALSE(der::check_integer(H("0001"), "i").ok());
  EXPECT_FALSE(der::check_integer(H("ff80"), "i").ok());

  auto boolean = [](const char* hex) {
    Bytes b = *base::unhex(hex);
    base::Reader r(b);
    return der::boolean(r, "b");
  };
  EXPECT_TRUE(*boolean("0101ff"));
  EXPECT_FALSE(*boolean("010100"));
  EXPECT_FALSE(boolean("010101").ok());
  EXPECT_FALSE(boolean("0102ffff").ok());
  EXPECT_FALSE(boolean("0100").ok());
  Bytes absent = H("0500");
  base::Reader r(absent);
  auto defaulted = der::boolean_default_false(r, "b");
  ASSERT_TRUE(defaulted.ok());
  EXPECT_FALSE(*defaulted);
  EXPECT_EQ(r.remaining(), 2u);  // nothing consumed

  EXPECT_TRUE(der::check_bit_string(H("00"), "s").ok());
  EXPECT_FALSE(der::check_bit_string(H("01"), "s").ok());
  EXPECT_FALSE(der::check_bit_string(H(""), "s").ok());
  EXPECT_FALSE(der::check_bit_string(H("08ff"), "s").ok());
  EXPECT_TRUE(der::check_bit_string(H("07ff80"), "s").ok());
  EXPECT_FALSE(der::check_bit_string(H("07ffc0"), "s").ok());

  EXPECT_TRUE(der::valid_oid(H("2a864886f70d")));
  EXPECT_FALSE(der::valid_oid(H("")));
  EXPECT_FALSE(der::valid_oid(H("2a86")));    // last arc unfinished
  EXPECT_FALSE(der::valid_oid(H("2a8001")));  // leading zero septet
}

TEST(X509ParseDer, StringsAndDates) {
  EXPECT_TRUE(der::valid_string(0x13, as_bytes("Example Co. (1) *.a&b@c")));
  EXPECT_FALSE(der::valid_string(0x13, as_bytes("a_b")));
  EXPECT_FALSE(der::valid_string(0x13, as_bytes("a!")));
  EXPECT_TRUE(der::valid_string(0x0c, as_bytes("caf\xc3\xa9 \xf0\x9f\x98\x80")));
  EXPECT_FALSE(der::valid_string(0x0c, H("c3")));        // truncated sequence
  EXPECT_FALSE(der::valid_string(0x0c, H("eda080")));    // a UTF-16 surrogate
  EXPECT_FALSE(der::valid_string(0x0c, H("f4908080")));  // above U+10FFFF
  EXPECT_FALSE(der::valid_string(0x0c, H("e08080")));    // overlong
  EXPECT_TRUE(der::valid_string(0x16, as_bytes("a@b")));
  EXPECT_FALSE(der::valid_string(0x16, H("80")));
  EXPECT_FALSE(der::valid_string(0x1e, H("00")));
  EXPECT_FALSE(der::valid_string(0x1c, H("000000")));
  EXPECT_TRUE(der::valid_string(0x12, as_bytes("12 34")));
  EXPECT_FALSE(der::valid_string(0x12, as_bytes("12a")));
  EXPECT_FALSE(der::valid_string(0x04, as_bytes("x")));

  EXPECT_EQ(der::days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(der::days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(der::days_from_civil(1969, 12, 31), -1);
  auto t = der::parse_time(0x17, as_bytes("991231235959Z"), "t");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 946684799);  // 1999-12-31 23:59:59
  auto g = der::parse_time(0x18, as_bytes("19500101000000Z"), "t");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(*g, -631152000);
  EXPECT_FALSE(der::parse_time(0x18, as_bytes("20000230000000Z"), "t").ok());
  EXPECT_TRUE(der::parse_time(0x18, as_bytes("24000229000000Z"), "t").ok());
  EXPECT_FALSE(der::parse_time(0x18, as_bytes("21000229000000Z"), "t").ok());
  EXPECT_FALSE(der::parse_time(0x18, as_bytes("20001100000000Z"), "t").ok());  // month 11 day 0
}

}  // namespace
}  // namespace tern::x509
