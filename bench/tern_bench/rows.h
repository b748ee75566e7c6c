// SPDX-License-Identifier: Apache-2.0
// The rows of tern-bench's report: what each row compares, its unit and its target.
// A row divides the tern (or compared) figure by the baseline figure, each named by the
// measurement key Bench::measure understands ("hs/1a/tern", "floor/1a", ...).
#pragma once

#include <string>
#include <vector>

namespace tern_bench {

struct Target {
  enum class Kind { none, ratio_at_least, ratio_at_most, tern_at_most } kind = Kind::none;
  double value = 0;
  std::string text = "-";
};

struct Row {
  std::string id, what, unit;
  bool higher_is_better = true;
  std::string baseline_name, baseline_key, baseline_metric;
  std::string tern_key, tern_metric;
  Target target;
  std::vector<std::string> groups;
};

// Every row, in report order.
std::vector<Row> all_rows();

}  // namespace tern_bench
