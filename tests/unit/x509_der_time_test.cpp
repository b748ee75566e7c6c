// SPDX-License-Identifier: Apache-2.0
// Time encodings: certificates accept GeneralizedTime before 2050 (PKITS and deployed
// certificates use it); CRLs follow RFC 5280 §5.1.2.4 exactly, so such a CRL is invalid.
#include <gtest/gtest.h>

#include "x509/der.h"

namespace tern::x509 {
namespace {

Result<int64_t> read(std::string_view encoded_time, uint8_t tag, der::TimeRule rule) {
  Bytes der = {tag, static_cast<uint8_t>(encoded_time.size())};
  der.insert(der.end(), encoded_time.begin(), encoded_time.end());
  base::Reader r(der);
  return der::time(r, "thisUpdate", rule);
}

constexpr uint8_t kUtc = 0x17, kGeneralized = 0x18;

TEST(X509DerTime, GeneralizedTimeBefore2050OnlyWhereLenient) {
  auto lenient = read("20250101000000Z", kGeneralized, der::TimeRule::any_encoding);
  ASSERT_TRUE(lenient);
  EXPECT_EQ(*lenient, 1735689600);
  auto strict = read("20250101000000Z", kGeneralized, der::TimeRule::rfc5280);
  ASSERT_FALSE(strict);
  EXPECT_NE(strict.error().detail.find("RFC 5280 requires UTCTime"), std::string::npos);
}

TEST(X509DerTime, StrictAcceptsUtcTimeAndGeneralizedTimeFrom2050) {
  auto utc = read("250101000000Z", kUtc, der::TimeRule::rfc5280);
  ASSERT_TRUE(utc);
  EXPECT_EQ(*utc, 1735689600);
  auto late = read("20500101000000Z", kGeneralized, der::TimeRule::rfc5280);
  ASSERT_TRUE(late);
  EXPECT_EQ(*late, 2524608000);
}

}  // namespace
}  // namespace tern::x509
