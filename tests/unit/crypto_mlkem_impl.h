// SPDX-License-Identifier: Apache-2.0
// Runs an ML-KEM test suite once per implementation (portable and AVX2): a suite declared
// with TERN_MLKEM_SUITE(Name) and written with TEST_P sees the path selected in SetUp.
// A CPU without AVX2 skips that half.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "crypto/mlkem/impl.h"

namespace tern::crypto::mlkem {
// Test names and messages say "portable" / "avx2".
inline void PrintTo(Implementation i, std::ostream* os) { *os << implementation_name(i); }
}  // namespace tern::crypto::mlkem

namespace tern::crypto::mlkem::impl_test {

class ImplementationTest : public ::testing::TestWithParam<Implementation> {
 protected:
  void SetUp() override {
    saved_ = implementation();
    if (!set_implementation(GetParam())) {
      GTEST_SKIP() << "this CPU cannot run the " << implementation_name(GetParam()) << " path";
    }
  }
  void TearDown() override { set_implementation(saved_); }

 private:
  Implementation saved_ = Implementation::portable;
};

inline std::string implementation_param_name(const ::testing::TestParamInfo<Implementation>& info) {
  return implementation_name(info.param);
}

}  // namespace tern::crypto::mlkem::impl_test

#define TERN_MLKEM_SUITE(Name)                                                                \
  class Name : public ::tern::crypto::mlkem::impl_test::ImplementationTest {};                \
  INSTANTIATE_TEST_SUITE_P(, Name,                                                            \
                           ::testing::Values(::tern::crypto::mlkem::Implementation::portable, \
                                             ::tern::crypto::mlkem::Implementation::avx2),    \
                           ::tern::crypto::mlkem::impl_test::implementation_param_name)
