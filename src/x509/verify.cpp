// SPDX-License-Identifier: Apache-2.0
// Path building: a depth-first search from the leaf to a trust anchor with backtracking,
// within a budget (verify.h). The checks it runs are in verify_cert_checks.cpp (one
// certificate) and verify_path_checks.cpp (a whole path).
#include "x509/verify.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "x509/revocation.h"
#include "x509/verify_util.h"

namespace tern::x509 {

// --- Path building. --------------------------------------------------------------------

namespace {

class PathBuilder {
 public:
  PathBuilder(const Certificate& leaf, const std::vector<const Certificate*>& intermediates,
              const std::vector<const Certificate*>& anchors, const std::vector<const Crl*>& crls,
              const PathOptions& options, const PathBudget& budget, PathStats& stats)
      : leaf_(leaf),
        intermediates_(intermediates),
        anchors_(anchors),
        options_(options),
        budget_(budget),
        stats_(stats),
        revocation_(crls, options.time) {}

  Result<ValidatedPath> run() {
    VerifyCheck failed = VerifyCheck::profile;
    if (auto leaf = check_leaf(leaf_, options_, failed); !leaf) {
      fail_step(failed, 0, leaf_, leaf.error());
      return std::move(leaf).error();
    }
    // A leaf that is itself trusted needs no issuer.
    for (size_t i = 0; i < anchors_.size(); ++i) {
      if (equal(anchors_[i]->der, leaf_.der)) {
        report(options_, VerifyCheck::anchor, 0, leaf_, [] { return "the leaf itself is trusted"; });
        return ValidatedPath{{&leaf_}, i};
      }
    }
    std::vector<const Certificate*> path{&leaf_};
    if (auto found = extend(path)) {
      report_links(found->certificates, found->certificates.size());
      report(options_, VerifyCheck::anchor, found->certificates.size() - 1,
             *found->certificates.back(), [] { return "in the trust store"; });
      return std::move(*found);
    }
    if (stats_.budget_exhausted) {
      std::string found = best_score_ >= 0
                              ? "; the most specific problem seen: " + best_error_.detail
                              : std::string();
      Error gave_up = reject("gave up building a path for " + who(leaf_) + " after " +
                                 std::to_string(stats_.signature_checks) +
                                 " signature checks and " + std::to_string(stats_.candidates) +
                                 " candidate issuers: the intermediates given form too many " +
                                 "alternatives" + found,
                             Alert::unknown_ca);
      fail_step(VerifyCheck::anchor, 0, leaf_, gave_up);
      return gave_up;
    }
    if (best_score_ >= 0) {
      report_best_failure();
      return best_error_;
    }
    Error none = reject("no path to a trusted root for " + who(leaf_), Alert::unknown_ca);
    fail_step(VerifyCheck::anchor, 0, leaf_, none);
    return none;
  }

 private:
  // `path` is the path being built when the problem was seen; `candidate` the issuer tried
  // (null when the problem is not about one); `check` the check that failed.
  void record(Error error, int score, VerifyCheck check, const std::vector<const Certificate*>& path,
              const Certificate* candidate = nullptr) {
    if (score > best_score_) {
      best_score_ = score;
      best_error_ = std::move(error);
      if (options_.on_step) {
        best_check_ = check;
        best_path_ = path;
        best_candidate_ = candidate;
      }
    }
  }

  void fail_step(VerifyCheck check, size_t depth, const Certificate& cert, const Error& error) const {
    if (options_.on_step) options_.on_step(PathStep{check, false, depth, &cert, error.detail});
  }

  // The steps of path[1..n-1] that passed: each issuer's validity, that it is a CA, and the
  // signature it made on the certificate below it.
  void report_links(const std::vector<const Certificate*>& path, size_t n) const {
    if (!options_.on_step) return;
    for (size_t i = 1; i < n && i < path.size(); ++i) report_issuer(path, i, *path[i]);
  }

  void report_issuer(const std::vector<const Certificate*>& path, size_t i,
                     const Certificate& issuer) const {
    report(options_, VerifyCheck::validity, i, issuer,
           [&] { return validity_detail(issuer, options_.time); });
    report(options_, VerifyCheck::issuer, i, issuer, [&] { return issuer_detail(issuer); });
    report(options_, VerifyCheck::signature, i - 1, *path[i - 1],
           [&] { return signature_detail(*path[i - 1], issuer); });
  }

  // The path that came closest, the checks it passed, and the one that failed.
  void report_best_failure() const {
    if (!options_.on_step || best_path_.empty()) return;
    report_links(best_path_, best_path_.size());
    size_t depth = best_path_.size();
    const Certificate& last = *best_path_.back();
    if (!best_candidate_) {
      // No issuer found, too many intermediates, or a path-wide rule on a complete path.
      bool complete = best_check_ == VerifyCheck::path && best_path_.size() > 1 &&
                      std::find(anchors_.begin(), anchors_.end(), &last) != anchors_.end();
      if (complete)
        report(options_, VerifyCheck::anchor, depth - 1, last, [] { return "in the trust store"; });
      fail_step(best_check_, depth - 1, last, best_error_);
      return;
    }
    const Certificate& candidate = *best_candidate_;
    if (best_check_ == VerifyCheck::signature) {
      report(options_, VerifyCheck::validity, depth, candidate,
             [&] { return validity_detail(candidate, options_.time); });
      report(options_, VerifyCheck::issuer, depth, candidate, [&] { return issuer_detail(candidate); });
      fail_step(VerifyCheck::signature, depth - 1, last, best_error_);
      return;
    }
    if (best_check_ != VerifyCheck::validity && best_check_ != VerifyCheck::profile)
      report(options_, VerifyCheck::validity, depth, candidate,
             [&] { return validity_detail(candidate, options_.time); });
    fail_step(best_check_, depth, candidate, best_error_);
  }

  bool over_budget() {
    if (stats_.signature_checks >= budget_.max_signature_checks ||
        stats_.candidates >= budget_.max_candidates) {
      stats_.budget_exhausted = true;
    }
    return stats_.budget_exhausted;
  }

  Result<void> signed_by(const Certificate& child, const Certificate& issuer) {
    auto key = std::make_pair(&child, &issuer);
    auto it = signature_cache_.find(key);
    if (it == signature_cache_.end()) {
      Result<void> result = ok();
      if (!issuer.public_key) {
        result =
            reject("cannot check the signature of " + who(child) + ": the key of " +
                       issuer.display_name() + " is unusable (" + issuer.public_key_error + ")",
                   Alert::unsupported_certificate);
      } else {
        ++stats_.signature_checks;
        auto verified = verify_signature(child, *issuer.public_key);
        if (!verified) {
          result = reject("the signature of " + who(child) + " does not verify with the key " +
                          "of " + issuer.display_name() + " (" + verified.error().detail + ")");
        }
      }
      it = signature_cache_.emplace(key, std::move(result)).first;
    }
    return it->second;
  }

  // The result of check_ca, and the check that failed.
  const std::pair<Result<void>, VerifyCheck>& static_check(const Certificate& cert, Role role) {
    auto& cache = role == Role::anchor ? anchor_checks_ : intermediate_checks_;
    auto it = cache.find(&cert);
    if (it == cache.end()) {
      VerifyCheck failed = VerifyCheck::profile;
      Result<void> checked = check_ca(cert, role, options_, failed);
      it = cache.emplace(&cert, std::make_pair(std::move(checked), failed)).first;
    }
    return it->second;
  }

  static bool same_entity(const Certificate& a, const Certificate& b) {
    return equal(a.der, b.der) || (names_match(a.subject, b.subject) && equal(a.spki, b.spki));
  }

  bool is_anchor(const Certificate& cert) const {
    return std::any_of(anchors_.begin(), anchors_.end(),
                       [&](const Certificate* anchor) { return same_entity(*anchor, cert); });
  }

  // RFC 5280 §6.1.4 (l): self-issued intermediates (key rollover) do not count.
  static size_t counted_intermediates(const std::vector<const Certificate*>& path) {
    return static_cast<size_t>(std::count_if(path.begin() + 1, path.end(), [](const Certificate* c) {
      return !c->self_issued();
    }));
  }

  static bool in_path(const std::vector<const Certificate*>& path, const Certificate& cert) {
    return std::any_of(path.begin(), path.end(),
                       [&](const Certificate* p) { return same_entity(*p, cert); });
  }

  // Candidates whose subject is the child's issuer, those whose subjectKeyIdentifier
  // agrees with the child's authorityKeyIdentifier first.
  std::vector<const Certificate*> candidates(const Certificate& child,
                                             const std::vector<const Certificate*>& pool) const {
    std::vector<const Certificate*> out;
    for (const auto* cert : pool) {
      if (names_match(cert->subject, child.issuer)) out.push_back(cert);
    }
    auto agrees = [&](const Certificate* c) {
      return !child.authority_key_id.empty() && equal(c->subject_key_id, child.authority_key_id);
    };
    std::stable_partition(out.begin(), out.end(), agrees);
    return out;
  }

  Result<void> validate(const std::vector<const Certificate*>& path) {
    ++stats_.paths_validated;
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      TERN_CHECK(check_key_identifiers(*path[i], *path[i + 1]));
    }
    TERN_CHECK(check_path_lengths(path));
    for (size_t i = 1; i < path.size(); ++i) {
      const Certificate& ca = *path[i];
      if (!ca.name_constraints) continue;
      for (size_t j = 0; j < i; ++j) {
        // Self-issued intermediates are exempt (key rollover), the leaf never is.
        if (j > 0 && path[j]->self_issued()) continue;
        TERN_CHECK(check_name_constraints(*path[j], ca, *ca.name_constraints));
      }
    }
    if (options_.check_revocation) {
      for (size_t i = 0; i + 1 < path.size(); ++i) {
        TERN_CHECK(revocation_.check(*path[i], *path[i + 1]));
      }
    }
    return ok();
  }

  std::optional<ValidatedPath> extend(std::vector<const Certificate*>& path) {
    const Certificate& child = *path.back();
    int depth = static_cast<int>(path.size());
    auto anchor_candidates = candidates(child, anchors_);
    auto intermediate_candidates = candidates(child, intermediates_);
    bool any = false;

    for (const auto* anchor : anchor_candidates) {
      if (over_budget()) return std::nullopt;
      ++stats_.candidates;
      if (path.size() > 1 && in_path(path, *anchor) && !equal(anchor->der, child.der)) continue;
      if (equal(anchor->der, child.der)) continue;  // the child is itself an anchor copy
      any = true;
      if (const auto& [checked, failed] = static_check(*anchor, Role::anchor); !checked) {
        record(checked.error(), 4 * depth + 1, failed, path, anchor);
        continue;
      }
      if (auto sig = signed_by(child, *anchor); !sig) {
        record(sig.error(), 4 * depth, VerifyCheck::signature, path, anchor);
        continue;
      }
      path.push_back(anchor);
      auto valid = validate(path);
      if (valid) {
        size_t index = static_cast<size_t>(std::find(anchors_.begin(), anchors_.end(), anchor) -
                                           anchors_.begin());
        return ValidatedPath{path, index};
      }
      record(std::move(valid).error(), 1000 + 4 * depth + 3, VerifyCheck::path, path);
      path.pop_back();
    }

    for (const auto* candidate : intermediate_candidates) {
      if (over_budget()) return std::nullopt;
      ++stats_.candidates;
      if (in_path(path, *candidate)) continue;
      // A certificate that is in the store was tried as an anchor above: building stops there.
      if (is_anchor(*candidate)) continue;
      any = true;
      if (!candidate->self_issued() && counted_intermediates(path) >= options_.max_intermediates) {
        record(reject("the path from " + who(leaf_) + " would need more than " +
                          std::to_string(options_.max_intermediates) +
                          " intermediate certificates that are not self-issued (the --max-depth " +
                          "limit)",
                      Alert::unknown_ca),
               4 * depth + 1, VerifyCheck::path, path);
        continue;
      }
      if (const auto& [checked, failed] = static_check(*candidate, Role::intermediate); !checked) {
        record(checked.error(), 4 * depth + 2, failed, path, candidate);
        continue;
      }
      if (auto sig = signed_by(child, *candidate); !sig) {
        record(sig.error(), 4 * depth, VerifyCheck::signature, path, candidate);
        continue;
      }
      path.push_back(candidate);
      if (auto found = extend(path)) return found;
      path.pop_back();
    }

    if (!any) {
      std::string given = std::to_string(intermediates_.size()) + " intermediate" +
                          (intermediates_.size() == 1 ? "" : "s");
      std::string subject = child.display_name();
      record(
          reject("no path to a trusted root: " + subject + "'s issuer " + child.issuer.to_string() +
                     " is not in the trust store and was not " + "among the " + given + " given",
                 Alert::unknown_ca),
          4 * depth - 1, VerifyCheck::anchor, path);
    }
    return std::nullopt;
  }

  const Certificate& leaf_;
  const std::vector<const Certificate*>& intermediates_;
  const std::vector<const Certificate*>& anchors_;
  const PathOptions& options_;
  const PathBudget& budget_;
  PathStats& stats_;
  RevocationChecker revocation_;

  std::map<std::pair<const Certificate*, const Certificate*>, Result<void>> signature_cache_;
  std::unordered_map<const Certificate*, std::pair<Result<void>, VerifyCheck>> anchor_checks_,
      intermediate_checks_;
  Error best_error_;
  int best_score_ = -1;
  // Only with options_.on_step: where best_error_ was seen (record()).
  VerifyCheck best_check_ = VerifyCheck::anchor;
  std::vector<const Certificate*> best_path_;
  const Certificate* best_candidate_ = nullptr;
};

}  // namespace

Result<ValidatedPath> build_and_validate(const Certificate& leaf,
                                         const std::vector<const Certificate*>& intermediates,
                                         const std::vector<const Certificate*>& anchors,
                                         const std::vector<const Crl*>& crls,
                                         const PathOptions& options, const PathBudget& budget,
                                         PathStats* stats) {
  PathStats local;
  PathBuilder builder(leaf, intermediates, anchors, crls, options, budget, stats ? *stats : local);
  return builder.run();
}

std::string format_time(int64_t unix_seconds) {
  // Civil date from days since 1970 (Howard Hinnant's algorithm).
  int64_t days = unix_seconds / 86400, secs = unix_seconds % 86400;
  if (secs < 0) secs += 86400, --days;
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t year = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t day = doy - (153 * mp + 2) / 5 + 1;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  if (month <= 2) ++year;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld UTC",
                static_cast<long long>(year), static_cast<long long>(month),
                static_cast<long long>(day), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

}  // namespace tern::x509
