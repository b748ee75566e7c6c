// SPDX-License-Identifier: Apache-2.0
// VerifyOptions::on_step: the checks of a verification in order, and the failing one last.
#include <gtest/gtest.h>

#include "x509_verify_fixture.h"

namespace tern::x509::verify_testing {
namespace {

struct Recorded {
  std::vector<VerifyStep> steps;
  std::vector<std::string> lines;  // "check depth ok|FAIL"
};

Result<VerifiedChain> verify_recording(const Node& leaf_node, const std::vector<Node>& chain,
                                       const std::vector<Node>& roots, Recorded& recorded,
                                       VerifyOptions opts = options()) {
  opts.on_step = [&](const VerifyStep& step) {
    recorded.steps.push_back(step);
    recorded.lines.push_back(std::string(verify_check_name(step.check)) + " " +
                             std::to_string(step.depth) + (step.ok ? " ok" : " FAIL"));
  };
  return verify(leaf_node, chain, roots, opts);
}

TEST(VerifySteps, AcceptedPathInOrder) {
  Node r = root();
  Node i = ca(r, "CN=Test Intermediate");
  Node l = leaf(i);
  Recorded rec;
  auto result = verify_recording(l, {i}, {r}, rec);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  std::vector<std::string> expected = {
      "validity 0 ok",  "key usage 0 ok", "name 0 ok",      "validity 1 ok", "issuer 1 ok",
      "signature 0 ok", "validity 2 ok",  "issuer 2 ok",    "signature 1 ok", "anchor 2 ok"};
  EXPECT_EQ(rec.lines, expected);
  EXPECT_EQ(rec.steps[0].subject, "CN=example.com");
  EXPECT_NE(rec.steps[0].detail.find("checked at 2025-06-15 15:06:40 UTC"), std::string::npos)
      << rec.steps[0].detail;
  EXPECT_EQ(rec.steps[1].detail, "keyUsage digitalSignature; extendedKeyUsage serverAuth");
  EXPECT_EQ(rec.steps[2].detail, "example.com matches subjectAltName DNS:example.com");
  EXPECT_NE(rec.steps[5].detail.find("signature by CN=Test Intermediate verifies"),
            std::string::npos)
      << rec.steps[5].detail;
  EXPECT_EQ(rec.steps.back().subject, "CN=Test Root");
  EXPECT_EQ(rec.steps.back().anchor_source, "root0.pem");
}

TEST(VerifySteps, NameMismatchStopsAtTheName) {
  Node r = root();
  Node l = leaf(r);
  Recorded rec;
  auto result = verify_recording(l, {}, {r}, rec, options("www.example.org"));
  std::string why = rejection(result);
  std::vector<std::string> expected = {"validity 0 ok", "key usage 0 ok", "name 0 FAIL"};
  EXPECT_EQ(rec.lines, expected);
  EXPECT_EQ(rec.steps.back().detail, why);
}

TEST(VerifySteps, ExpiredLeafFailsItsValidity) {
  Node r = root();
  Node l = leaf(r, [](CertificateBuilder& b) { b.validity(kNow - 10 * kDay, kNow - kDay); });
  Recorded rec;
  std::string why = rejection(verify_recording(l, {}, {r}, rec));
  ASSERT_EQ(rec.lines, std::vector<std::string>{"validity 0 FAIL"});
  EXPECT_EQ(rec.steps[0].detail, why);
  EXPECT_NE(why.find("expired"), std::string::npos);
}

TEST(VerifySteps, UnknownIssuerFailsTheAnchor) {
  Node r = root();
  Node other = root("CN=Other Root");
  Node i = ca(r, "CN=Test Intermediate");
  Node l = leaf(i);
  Recorded rec;
  std::string why = rejection(verify_recording(l, {i}, {other}, rec));
  std::vector<std::string> expected = {"validity 0 ok",  "key usage 0 ok", "name 0 ok",
                                       "validity 1 ok",  "issuer 1 ok",    "signature 0 ok",
                                       "anchor 1 FAIL"};
  EXPECT_EQ(rec.lines, expected);
  EXPECT_EQ(rec.steps.back().detail, why);
  EXPECT_EQ(rec.steps.back().subject, "CN=Test Intermediate");
}

TEST(VerifySteps, ExpiredIntermediateAndBadSignature) {
  Node r = root();
  Node i = ca(r, "CN=Test Intermediate",
              [](CertificateBuilder& b) { b.validity(kNow - 10 * kDay, kNow - kDay); });
  Node l = leaf(i);
  Recorded rec;
  rejection(verify_recording(l, {i}, {r}, rec));
  std::vector<std::string> expected = {"validity 0 ok", "key usage 0 ok", "name 0 ok",
                                       "validity 1 FAIL"};
  EXPECT_EQ(rec.lines, expected);

  // A leaf claiming the intermediate's name but signed by another key.
  Node impostor = issue("CN=Test Intermediate", &r, true);
  Node good_i = ca(r, "CN=Test Intermediate");
  Node forged = leaf(impostor);
  Recorded rec2;
  rejection(verify_recording(forged, {good_i}, {r}, rec2));
  ASSERT_FALSE(rec2.lines.empty());
  EXPECT_EQ(rec2.lines.back(), "signature 0 FAIL");
}

TEST(VerifySteps, NothingWithoutAListener) {
  Node r = root();
  Node l = leaf(r);
  EXPECT_TRUE(verify(l, {}, {r}).ok());  // on_step unset: the same result, no calls
}

}  // namespace
}  // namespace tern::x509::verify_testing
