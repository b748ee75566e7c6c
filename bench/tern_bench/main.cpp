// SPDX-License-Identifier: Apache-2.0
// tern-bench (`tern bench`): tern against OpenSSL libssl 3.0 in one run (issue 7).
//
// A client and a server of each library live in this one thread, joined by in-memory
// transports. Each repetition measures every selected case for both libraries, one after
// the other (the order alternates between repetitions), and the report gives the median
// [min-max] of each library and of the per-repetition ratio tern/baseline. Times are the
// thread's CPU time (the machines are shared). Heap figures come from the malloc
// interposer in heap.cpp.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define TERN_BENCH_CALLGRIND 1
#else
#define CALLGRIND_TOGGLE_COLLECT
#define TERN_BENCH_CALLGRIND 0
#endif

#include "bench.h"
#include "rows.h"
#include "heap.h"

namespace tern_bench {
namespace {

constexpr int kExitOk = 0, kExitCaseFailed = 1, kExitUsage = 2, kExitInternal = 3;

constexpr const char* kHelp = R"(usage: tern-bench [OPTIONS]      (also run as: tern bench [OPTIONS])

Runs tern and OpenSSL libssl 3.0 side by side in one thread, client and server joined by
in-memory transports, and reports for each case: OpenSSL's and tern's median [min-max]
over the repetitions, the median of the per-repetition ratios tern/OpenSSL, the project's
performance target for the case and whether the median meets it. Both libraries get the same restrictions (one
version, group, suite and signature scheme; no session cache unless the case resumes);
each handshake creates and frees both endpoints; the client verifies the root -> leaf
chain and the host name "localhost". Times are CPU time of this thread.

Cases (--only takes ids or the group names in brackets, comma-separated):
  1a          TLS 1.3 full handshake, X25519, ECDSA P-256, AES-128-GCM  [handshakes]
  1b          TLS 1.3 full handshake, X25519, RSA-2048 rsa_pss_rsae_sha256  [handshakes]
  1c          TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256, X25519  [handshakes]
  2           TLS 1.3 resumption (psk_dhe_ke, X25519), one ticket per handshake  [handshakes]
  2b          TLS 1.2 ticket resumption  [handshakes]
  1a-pq       1a with X25519MLKEM768 (0x11ec), tern only, as a ratio to tern's 1a  [pq]
  floor-1a    tern's 1a time per handshake over the bare libcrypto primitives: X25519
              keygen+derive both sides, one ECDSA P-256 sign, two verifies  [floor]
  floor-1b, floor-1c, floor-2   the same for 1b (RSA-2048: a PSS sign and verify, the
              leaf's PKCS#1 verify), 1c (1a's primitives) and 2 (X25519 only)  [floor]
  most-1a, most-1b, most-1c, most-2   OpenSSL's time over the same floor: the largest
              rate ratio over OpenSSL that any library on libcrypto can reach  [floor]
  x25519-keygen, x25519-derive, p256-verify   tern's own primitive against libcrypto's,
              both through tern's crypto provider as a handshake calls them: an X25519
              key share made, a secret derived from a peer's share, an ECDSA P-256
              SHA-256 signature verified (hash, DER, verify)  [primitives]
  own-1a, own-1c, own-2   tern's handshake rate on its own primitives over tern's on
              libcrypto's (TERN_CRYPTO=libcrypto)  [primitives]
  floor-own-1a, floor-own-1c, floor-own-2   tern's time over the floor made of tern's
              own primitives (the libcrypto floor with tern's X25519 and P-256
              verification)  [floor, primitives]
  3-aes128gcm, 3-aes256gcm, 3-chacha20     bulk 16 KiB writes, client to server  [3, bulk]
  3-aes128gcm-raw, ...-raw                 tern's bulk rate over libcrypto's raw AEAD
                                           (one record sealed and opened)  [3, bulk]
  3s-aes128gcm, 3s-aes256gcm, 3s-chacha20  bulk 1 KiB writes  [3s, bulk]
  4-server, 4-client      heap held per idle connection after a handshake and one
                          ping/pong (OpenSSL default)  [4, memory]
  4-server-rb, 4-client-rb   the same against OpenSSL with SSL_MODE_RELEASE_BUFFERS  [4, memory]
  5, 5-allocs   peak heap above the baseline during one handshake, both sides, and the
                number of allocations it makes  [5, memory]
  all         every case (the default)

Options:
  --only CASES        comma-separated ids or groups (default: all)
  --json              print the figures as JSON on stdout (progress still on stderr)
  --repetitions N     repetitions per case (default 11)
  --seconds S         CPU seconds per library, case and repetition (default 0.3)
  --iterations N      a fixed number of operations per repetition instead of --seconds;
                      case 4 then holds min(N, --connections) connections
  --connections N     idle connections held by case 4 (default 100)
  --quiet             no progress on stderr
  --callgrind CASE --library LIBRARY [--iterations N]
                      setup, then N handshakes (default 20) of one case of one library
                      with callgrind collection toggled on around them only; used by
                      scripts/callgrind_handshake.sh. LIBRARY: tern, tern-libcrypto
                      (tern on libcrypto's X25519 and P-256 verification), openssl,
                      floor or floor-own (N runs of the case's floor of libcrypto's or
                      of tern's own primitives; cases 1a, 1b, 1c, 2)
  --help              this text

Exit codes:
  0  every selected case ran (whether or not its target was met; see "met?")
  1  a case failed: a handshake or a transfer did not complete (the error is printed)
  2  usage error
  3  internal error (the test PKI or a library could not be set up)
A case this build cannot run is reported as "unsupported by this tern build" and is not
a failure.
)";

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Options {
  std::vector<std::string> only;
  bool json = false;
  bool quiet = false;
  int repetitions = 11;
  double seconds = 0.3;
  long iterations = 0;
  long connections = 100;
  std::string callgrind_case, library;
};

// What one measurement gave: named values, or why there are none.
struct Metrics {
  enum class Status { ok, unsupported, error } status = Status::ok;
  std::string message;
  std::map<std::string, double> values;
  static Metrics fail(std::string message, Status status = Status::error) {
    Metrics m;
    m.status = status;
    m.message = std::move(message);
    return m;
  }
};

// ---- the cases' handshake parameters ----

// The primitives case `id` cannot avoid: 1c signs and verifies like 1a, 2 only exchanges keys.
FloorKind floor_kind_for(const std::string& id) {
  return id == "1b" ? FloorKind::rsa_2048 : id == "2" ? FloorKind::key_exchange
                                                      : FloorKind::ecdsa_p256;
}

HandshakeParams params_for(const std::string& id) {
  HandshakeParams p;
  p.id = id;
  if (id == "1b") {
    p.key = KeyKind::rsa_2048;
    p.scheme = 0x0804;
  } else if (id == "1c") {
    p.version = 0x0303;
    p.suite = 0xC02B;
  } else if (id == "2") {
    p.resume = true;
  } else if (id == "2b") {
    p.version = 0x0303;
    p.suite = 0xC02B;
    p.resume = true;
  } else if (id == "1a-pq") {
    p.group = 0x11ec;
  }
  return p;
}

// ---- the measurements ----

class Bench {
 public:
  explicit Bench(const Options& options) : options_(options) {}

  // A measurement by key, memoized within one repetition.
  const Metrics& get(const std::string& key) {
    auto it = this_repetition_.find(key);
    if (it == this_repetition_.end()) it = this_repetition_.emplace(key, measure(key)).first;
    return it->second;
  }
  void next_repetition() { this_repetition_.clear(); }

  // The driver of one library for a case, made once (null after a setup failure, which
  // is remembered in `setup_errors_`).
  Driver* driver(const std::string& library, const HandshakeParams& params) {
    std::string key = library + "/" + params.id + (params.release_buffers ? "/rb" : "");
    auto it = drivers_.find(key);
    if (it != drivers_.end()) return it->second.get();
    std::string error;
    bool unsupported = false;
    std::unique_ptr<Driver> made = library == "tern" ? make_tern_driver(params, error, unsupported)
                                                     : make_openssl_driver(params, error);
    if (!made) {
      setup_errors_[key] = error;
      if (unsupported) unsupported_.insert(key);
    }
    return drivers_.emplace(key, std::move(made)).first->second.get();
  }

  Metrics driver_failure(const std::string& library, const HandshakeParams& params) {
    std::string key = library + "/" + params.id + (params.release_buffers ? "/rb" : "");
    if (unsupported_.count(key))
      return Metrics::fail("unsupported by this tern build (" + setup_errors_[key] + ")",
                           Metrics::Status::unsupported);
    return Metrics::fail(library + " setup for " + params.id + ": " + setup_errors_[key]);
  }

 private:
  // Runs `once` for --iterations operations, or for --seconds of CPU time in batches that
  // grow with the measured rate (the clock is read between batches only).
  Metrics timed(const std::function<bool(std::string&)>& once) {
    std::string error;
    long done = 0;
    double start = cpu_seconds(), elapsed = 0;
    if (options_.iterations > 0) {
      for (; done < options_.iterations; ++done)
        if (!once(error)) return Metrics::fail(error);
      elapsed = cpu_seconds() - start;
    } else {
      long batch = 1;
      while (elapsed < options_.seconds) {
        for (long i = 0; i < batch; ++i)
          if (!once(error)) return Metrics::fail(error);
        done += batch;
        elapsed = cpu_seconds() - start;
        double rate = static_cast<double>(done) / std::max(elapsed, 1e-9);
        double left = (options_.seconds - elapsed) * rate;
        batch = std::clamp(static_cast<long>(left / 2), 1L, batch * 4);
      }
    }
    Metrics m;
    elapsed = std::max(elapsed, 1e-9);
    m.values["ops"] = static_cast<double>(done);
    m.values["rate"] = static_cast<double>(done) / elapsed;
    m.values["us"] = elapsed * 1e6 / static_cast<double>(done);
    return m;
  }

  static const char* suite_key(uint16_t suite) {
    return suite == 0x1301 ? "aes128gcm" : suite == 0x1302 ? "aes256gcm" : "chacha20";
  }

  Metrics measure(const std::string& key) {
    std::vector<std::string> parts;
    std::stringstream in(key);
    for (std::string part; std::getline(in, part, '/');) parts.push_back(part);
    const std::string& kind = parts[0];
    if (kind == "hs") {  // hs/CASE/LIBRARY, LIBRARY tern, openssl or tern-libcrypto
      HandshakeParams params = params_for(parts[1]);
      const bool on_libcrypto = parts[2] == "tern-libcrypto";  // tern with libcrypto's primitives
      const std::string library = on_libcrypto ? "tern" : parts[2];
      Driver* d = driver(library, params);
      if (!d) return driver_failure(library, params);
      std::optional<PrimitivesScope> scope;
      if (on_libcrypto) scope.emplace(tern::Primitives::libcrypto);
      return timed([d](std::string& error) { return d->handshake(error); });
    }
    if (kind == "floor") {  // floor/CASE (bare libcrypto), floor/CASE/own (tern's primitives)
      FloorKind floor_kind = floor_kind_for(parts[1]);
      const bool own = parts.size() > 2 && parts[2] == "own";
      auto& floor = (own ? own_floors_ : floors_)[static_cast<size_t>(floor_kind)];
      std::optional<PrimitivesScope> scope;
      if (own) scope.emplace(tern::Primitives::tern);
      if (!floor) {
        std::string error;
        floor = own ? make_provider_floor(floor_kind, error) : make_floor(floor_kind, error);
        if (!floor)
          return Metrics::fail(std::string(own ? "tern" : "libcrypto") + " floor: " + error);
      }
      return timed([&floor](std::string& error) { return floor->once(error); });
    }
    if (kind == "prim") {  // prim/OP/tern, prim/OP/libcrypto
      const PrimitiveOp op = parts[1] == "x25519-keygen"   ? PrimitiveOp::x25519_keygen
                             : parts[1] == "x25519-derive" ? PrimitiveOp::x25519_derive
                                                           : PrimitiveOp::p256_verify;
      const bool libcrypto = parts[2] == "libcrypto";
      // Made under the scope too: a key share keeps the implementation it was made with.
      PrimitivesScope scope(libcrypto ? tern::Primitives::libcrypto : tern::Primitives::tern);
      auto& primitive = primitives_[libcrypto][static_cast<size_t>(op)];
      if (!primitive) {
        std::string error;
        primitive = make_primitive(op, error);
        if (!primitive) return Metrics::fail(parts[1] + ": " + error);
      }
      return timed([&primitive](std::string& error) { return primitive->once(error); });
    }
    if (kind == "bulk" || kind == "raw") {  // bulk/SUITE/SIZE/LIBRARY, raw/SUITE/SIZE
      uint16_t suite = parts[1] == "aes128gcm" ? 0x1301 : parts[1] == "aes256gcm" ? 0x1302 : 0x1303;
      size_t size = std::stoul(parts[2]);
      Metrics m;
      if (kind == "raw") {
        std::string error;
        auto raw = make_raw_aead(suite, size, error);
        if (!raw) return Metrics::fail("libcrypto AEAD: " + error);
        m = timed([&raw](std::string& e) { return raw->once(e); });
      } else {
        HandshakeParams params = params_for("1a");
        params.suite = suite;
        params.id = std::string("bulk-") + suite_key(suite);
        Driver* d = driver(parts[3], params);
        if (!d) return driver_failure(parts[3], params);
        std::string error;
        auto pair = d->connect(error);
        if (!pair) return Metrics::fail(error);
        Bytes data(size, 0x5a);
        m = timed([&](std::string& e) { return pair->send(data.data(), data.size(), e); });
      }
      if (m.status == Metrics::Status::ok)
        m.values["MBps"] = m.values["rate"] * static_cast<double>(size) / 1e6;
      return m;
    }
    if (kind == "idle") return idle(parts[1]);  // idle/tern, idle/openssl, idle/openssl-rb
    if (kind == "peak") return peak(parts[1]);  // peak/tern, peak/openssl
    return Metrics::fail("unknown measurement " + key);
  }

  // Case 4: heap held per idle established connection, each side. N pairs are set up
  // (handshake + ping/pong); the drop when all clients are freed is the clients' share,
  // the drop when the servers are freed then is the servers'. The harness's own Pair
  // objects are freed last and counted for neither.
  Metrics idle(const std::string& which) {
    HandshakeParams params = params_for("1a");
    params.release_buffers = which == "openssl-rb";
    std::string library = which == "tern" ? "tern" : "openssl";
    Driver* d = driver(library, params);
    if (!d) return driver_failure(library, params);
    long n = options_.iterations > 0 ? std::min(options_.iterations, options_.connections)
                                     : options_.connections;
    n = std::max(n, 1L);
    std::string error;
    auto established = [&]() -> std::unique_ptr<Pair> {
      auto pair = d->connect(error);
      if (pair && !pair->exchange(error)) pair.reset();
      return pair;
    };
    for (int i = 0; i < 2; ++i)
      if (!established()) return Metrics::fail(error);
    std::vector<std::unique_ptr<Pair>> pairs;
    pairs.reserve(static_cast<size_t>(n));
    heap::start();
    bool ok = established() != nullptr;  // a warm-up inside the window
    int64_t baseline = heap::live();
    for (long i = 0; ok && i < n; ++i) {
      pairs.push_back(established());
      ok = pairs.back() != nullptr;
    }
    int64_t all = heap::live();
    for (auto& pair : pairs)
      if (pair) pair->free_client();
    int64_t servers = heap::live();
    for (auto& pair : pairs)
      if (pair) pair->free_server();
    int64_t harness = heap::live();  // what is left: the harness's Pair objects
    pairs.clear();
    int64_t after = heap::live();
    heap::stop();
    if (!ok) return Metrics::fail(error);
    Metrics m;
    double count = static_cast<double>(n);
    m.values["server"] = static_cast<double>(servers - harness) / count;
    m.values["client"] = static_cast<double>(all - servers) / count;
    m.values["leak"] = static_cast<double>(after - baseline) / count;
    m.values["connections"] = count;
    return m;
  }

  // Case 5: peak live heap during one 1a handshake (both endpoints created, handshake,
  // both freed) above the live heap before it, and the allocations it makes.
  Metrics peak(const std::string& library) {
    HandshakeParams params = params_for("1a");
    Driver* d = driver(library, params);
    if (!d) return driver_failure(library, params);
    std::string error;
    if (!d->handshake(error)) return Metrics::fail(error);
    heap::start();
    bool ok = d->handshake(error);
    int64_t baseline = heap::live();
    heap::reset_peak();
    uint64_t allocations = heap::allocations();
    ok = ok && d->handshake(error);
    int64_t top = heap::peak();
    allocations = heap::allocations() - allocations;
    heap::stop();
    if (!ok) return Metrics::fail(error);
    Metrics m;
    m.values["peak"] = static_cast<double>(top - baseline);
    m.values["allocations"] = static_cast<double>(allocations);
    return m;
  }

  const Options& options_;
  std::map<std::string, Metrics> this_repetition_;
  std::map<std::string, std::unique_ptr<Driver>> drivers_;
  std::map<std::string, std::string> setup_errors_;
  std::set<std::string> unsupported_;
  std::unique_ptr<Operation> floors_[3], own_floors_[3];  // by FloorKind
  std::unique_ptr<Operation> primitives_[2][3];         // by libcrypto or not, PrimitiveOp
};

// ---- statistics and output ----

struct Stats {
  std::vector<double> values;
  double median() const {
    if (values.empty()) return NAN;
    std::vector<double> v = values;
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
  double min() const { return values.empty() ? NAN : *std::min_element(values.begin(), values.end()); }
  double max() const { return values.empty() ? NAN : *std::max_element(values.begin(), values.end()); }
  nlohmann::json json() const {
    if (values.empty()) return nullptr;
    return {{"median", median()}, {"min", min()}, {"max", max()}, {"values", values}};
  }
};

struct RowResult {
  const Row* row;
  Stats baseline, tern, ratio;
  Metrics::Status status = Metrics::Status::ok;
  std::string message;
  std::map<std::string, Stats> extra;  // e.g. case 4's leak check

  // nullopt when there is no target or no figure.
  std::optional<bool> met() const {
    if (status != Metrics::Status::ok || ratio.values.empty()) return std::nullopt;
    switch (row->target.kind) {
      case Target::Kind::none: return std::nullopt;
      case Target::Kind::ratio_at_least: return ratio.median() >= row->target.value;
      case Target::Kind::ratio_at_most: return ratio.median() <= row->target.value;
      case Target::Kind::tern_at_most: return tern.median() <= row->target.value;
    }
    return std::nullopt;
  }
};

std::string format_value(double v, const std::string& unit) {
  char buf[64];
  if (std::isnan(v)) return "-";
  if (unit == "bytes") std::snprintf(buf, sizeof buf, "%.1f KiB", v / 1024);
  else if (unit == "us/hs" || unit == "us/op") std::snprintf(buf, sizeof buf, "%.1f us", v);
  else if (unit == "MB/s") std::snprintf(buf, sizeof buf, "%.0f MB/s", v);
  else if (unit == "hs/s") std::snprintf(buf, sizeof buf, "%.0f hs/s", v);
  else std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string format_stats(const Stats& s, const std::string& unit) {
  if (s.values.empty()) return "-";
  if (s.values.size() == 1) return format_value(s.median(), unit);
  std::string lo = format_value(s.min(), unit), hi = format_value(s.max(), unit);
  // "1000 [980-1020] hs/s": the unit once, after the range.
  auto number = [](const std::string& text) { return text.substr(0, text.find(' ')); };
  std::string unit_text = lo.find(' ') == std::string::npos ? "" : lo.substr(lo.find(' '));
  return number(format_value(s.median(), unit)) + " [" + number(lo) + "-" + number(hi) + "]" +
         unit_text;
}

std::string machine_cpu() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

void print_table(const std::vector<RowResult>& results) {
  std::vector<std::vector<std::string>> cells;
  cells.push_back({"case", "what", "OpenSSL (or baseline) median [min-max]",
                   "tern median [min-max]", "ratio", "target", "met?"});
  for (const RowResult& r : results) {
    std::string met = "-";
    if (auto m = r.met()) met = *m ? "yes" : "NO";
    if (r.status != Metrics::Status::ok) {
      std::string note = r.status == Metrics::Status::unsupported ? "unsupported by this tern build"
                                                                  : "FAILED: " + r.message;
      cells.push_back({r.row->id, r.row->what, note, "", "", r.row->target.text, "-"});
      continue;
    }
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2fx", r.ratio.median());
    std::string baseline = format_stats(r.baseline, r.row->unit);
    if (r.row->baseline_name != "OpenSSL") baseline = r.row->baseline_name + ": " + baseline;
    cells.push_back({r.row->id, r.row->what, baseline, format_stats(r.tern, r.row->unit), ratio,
                     r.row->target.text, met});
  }
  std::vector<size_t> width(cells[0].size(), 0);
  for (const auto& line : cells)
    for (size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  for (size_t l = 0; l < cells.size(); ++l) {
    std::string out;
    for (size_t i = 0; i < cells[l].size(); ++i) {
      std::string cell = cells[l][i];
      if (i + 1 < cells[l].size()) cell.resize(width[i], ' ');
      out += (i ? "  " : "") + cell;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    std::printf("%s\n", out.c_str());
    if (l == 0) {
      size_t total = 0;
      for (size_t w : width) total += w + 2;
      std::printf("%s\n", std::string(total - 2, '-').c_str());
    }
  }
}

// ---- the command line ----

bool parse_options(int argc, char** argv, Options& options, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        error = std::string(name) + " needs a value";
        return nullptr;
      }
      return argv[++i];
    };
    auto number = [&](const char* name, double low, double& out) {
      const char* text = value(name);
      if (!text) return false;
      char* end = nullptr;
      out = std::strtod(text, &end);
      if (end == text || *end != '\0' || !(out >= low)) {
        char bound[32];
        std::snprintf(bound, sizeof bound, "%g", low);
        error = std::string(name) + ": not a number >= " + bound + ": " + text;
        return false;
      }
      return true;
    };
    double n = 0;
    if (arg == "--help" || arg == "-h") {
      error = "help";
      return false;
    } else if (arg == "--json") {
      options.json = true;
    } else if (arg == "--quiet") {
      options.quiet = true;
    } else if (arg == "--only") {
      const char* text = value("--only");
      if (!text) return false;
      std::stringstream in(text);
      for (std::string part; std::getline(in, part, ',');)
        if (!part.empty()) options.only.push_back(part);
    } else if (arg == "--repetitions") {
      if (!number("--repetitions", 1, n)) return false;
      options.repetitions = static_cast<int>(n);
    } else if (arg == "--seconds") {
      if (!number("--seconds", 0.001, n)) return false;
      options.seconds = n;
    } else if (arg == "--iterations") {
      if (!number("--iterations", 1, n)) return false;
      options.iterations = static_cast<long>(n);
    } else if (arg == "--connections") {
      if (!number("--connections", 1, n)) return false;
      options.connections = static_cast<long>(n);
    } else if (arg == "--callgrind") {
      const char* text = value("--callgrind");
      if (!text) return false;
      options.callgrind_case = text;
    } else if (arg == "--library") {
      const char* text = value("--library");
      if (!text) return false;
      options.library = text;
    } else {
      error = "unknown option " + arg;
      return false;
    }
  }
  return true;
}

// --callgrind CASE --library LIB: N handshakes with collection on around them only.
int run_callgrind(const Options& options) {
  long n = options.iterations > 0 ? options.iterations : 20;
  std::string error;
  static const std::set<std::string> kCases = {"1a", "1b", "1c", "2", "2b", "1a-pq"};
  if (!kCases.count(options.callgrind_case)) {
    std::fprintf(stderr, "tern-bench: --callgrind takes a handshake case (1a, 1b, 1c, 2, 2b, 1a-pq)\n");
    return kExitUsage;
  }
  std::function<bool(std::string&)> once;
  std::unique_ptr<Driver> driver;
  std::unique_ptr<Operation> floor;
  HandshakeParams params = params_for(options.callgrind_case);
  // tern-libcrypto: tern with libcrypto's X25519 and P-256 verification; floor-own: the
  // floor made of tern's own primitives.
  std::optional<PrimitivesScope> scope;
  if (options.library == "tern-libcrypto") scope.emplace(tern::Primitives::libcrypto);
  if (options.library == "floor-own") scope.emplace(tern::Primitives::tern);
  const bool floor_case = options.callgrind_case != "2b" && options.callgrind_case != "1a-pq";
  if (options.library == "tern" || options.library == "tern-libcrypto" ||
      options.library == "openssl") {
    bool unsupported = false;
    driver = options.library != "openssl" ? make_tern_driver(params, error, unsupported)
                                          : make_openssl_driver(params, error);
    if (!driver) {
      std::fprintf(stderr, "tern-bench: %s: %s\n", options.library.c_str(),
                   unsupported ? ("unsupported by this tern build: " + error).c_str() : error.c_str());
      return unsupported ? kExitOk : kExitInternal;
    }
    once = [&](std::string& e) { return driver->handshake(e); };
  } else if ((options.library == "floor" || options.library == "floor-own") && floor_case) {
    const FloorKind kind = floor_kind_for(options.callgrind_case);
    floor = options.library == "floor" ? make_floor(kind, error) : make_provider_floor(kind, error);
    if (!floor) {
      std::fprintf(stderr, "tern-bench: floor: %s\n", error.c_str());
      return kExitInternal;
    }
    once = [&](std::string& e) { return floor->once(e); };
  } else {
    std::fprintf(stderr,
                 "tern-bench: --library must be tern, tern-libcrypto, openssl, floor or floor-own "
                 "(the floors: cases 1a, 1b, 1c, 2)\n");
    return kExitUsage;
  }
  // Two more warm-ups outside the measured part (the first ones fill lazy caches).
  for (int i = 0; i < 2; ++i)
    if (!once(error)) {
      std::fprintf(stderr, "tern-bench: %s\n", error.c_str());
      return kExitCaseFailed;
    }
  CALLGRIND_TOGGLE_COLLECT;
  bool ok = true;
  for (long i = 0; ok && i < n; ++i) ok = once(error);
  CALLGRIND_TOGGLE_COLLECT;
  if (!ok) {
    std::fprintf(stderr, "tern-bench: %s\n", error.c_str());
    return kExitCaseFailed;
  }
  std::printf("case %s library %s handshakes %ld callgrind_toggles %d\n", options.callgrind_case.c_str(),
              options.library.c_str(), n, TERN_BENCH_CALLGRIND);
  return kExitOk;
}

int run(int argc, char** argv) {
  Options options;
  std::string error;
  if (!parse_options(argc, argv, options, error)) {
    if (error == "help") {
      std::fputs(kHelp, stdout);
      return kExitOk;
    }
    std::fprintf(stderr, "tern-bench: %s (see --help)\n", error.c_str());
    return kExitUsage;
  }
  if (!options.callgrind_case.empty()) return run_callgrind(options);

  std::vector<Row> rows = all_rows();
  std::vector<const Row*> selected;
  std::set<std::string> known = {"all"};
  for (const Row& row : rows) {
    known.insert(row.id);
    known.insert(row.groups.begin(), row.groups.end());
  }
  for (const std::string& token : options.only)
    if (!known.count(token)) {
      std::fprintf(stderr, "tern-bench: --only: unknown case %s (see --help)\n", token.c_str());
      return kExitUsage;
    }
  for (const Row& row : rows) {
    bool wanted = options.only.empty();
    for (const std::string& token : options.only)
      wanted = wanted || token == "all" || token == row.id ||
               std::find(row.groups.begin(), row.groups.end(), token) != row.groups.end();
    if (wanted) selected.push_back(&row);
  }

  // The PKI first (RSA key generation is slow), outside every measurement.
  pki(KeyKind::ecdsa_p256);
  for (const Row* row : selected)
    if (row->id == "1b") pki(KeyKind::rsa_2048);

  Bench bench(options);
  std::vector<RowResult> results;
  for (const Row* row : selected) results.push_back({row, {}, {}, {}, {}, {}, {}});
  for (int rep = 0; rep < options.repetitions; ++rep) {
    if (!options.quiet) std::fprintf(stderr, "tern-bench: repetition %d/%d\n", rep + 1, options.repetitions);
    bench.next_repetition();
    for (RowResult& r : results) {
      if (r.status != Metrics::Status::ok) continue;  // failed or unsupported before
      // Alternate which library goes first.
      const std::string& first = rep % 2 ? r.row->tern_key : r.row->baseline_key;
      const std::string& second = rep % 2 ? r.row->baseline_key : r.row->tern_key;
      const Metrics& a = bench.get(first);
      const Metrics& b = bench.get(second);
      const Metrics& base = rep % 2 ? b : a;
      const Metrics& tern = rep % 2 ? a : b;
      for (const Metrics* m : {&tern, &base})
        if (m->status != Metrics::Status::ok) {
          r.status = m->status;
          r.message = m->message;
        }
      if (r.status != Metrics::Status::ok) {
        if (!options.quiet && r.status == Metrics::Status::error)
          std::fprintf(stderr, "tern-bench: %s failed: %s\n", r.row->id.c_str(), r.message.c_str());
        continue;
      }
      double bv = base.values.at(r.row->baseline_metric), tv = tern.values.at(r.row->tern_metric);
      r.baseline.values.push_back(bv);
      r.tern.values.push_back(tv);
      r.ratio.values.push_back(bv != 0 ? tv / bv : NAN);
      if (r.row->tern_key.rfind("idle/", 0) == 0) {
        r.extra["tern_leak_per_connection"].values.push_back(tern.values.at("leak"));
        r.extra["baseline_leak_per_connection"].values.push_back(base.values.at("leak"));
      }
    }
  }

  bool failed = false;
  for (const RowResult& r : results) failed = failed || r.status == Metrics::Status::error;
  if (options.json) {
    nlohmann::json out;
    out["program"] = "tern-bench";
    out["format"] = 1;
    out["openssl"] = openssl_version();
    out["tern_primitives"] = tern::primitives_name(tern::primitives());
    out["machine"] = {{"cpu", machine_cpu()},
                      {"online_cpus", sysconf(_SC_NPROCESSORS_ONLN)},
                      {"load_average_at_end", load_average()}};
    out["settings"] = {{"repetitions", options.repetitions},
                       {"seconds", options.seconds},
                       {"iterations", options.iterations},
                       {"connections", options.connections},
                       {"clock", "CLOCK_THREAD_CPUTIME_ID"},
                       {"ratio", "tern / baseline, per repetition"}};
    nlohmann::json list = nlohmann::json::array();
    for (const RowResult& r : results) {
      nlohmann::json j;
      j["id"] = r.row->id;
      j["what"] = r.row->what;
      j["unit"] = r.row->unit;
      j["higher_is_better"] = r.row->higher_is_better;
      j["baseline_name"] = r.row->baseline_name;
      j["status"] = r.status == Metrics::Status::ok ? "ok"
                    : r.status == Metrics::Status::unsupported ? "unsupported" : "error";
      if (!r.message.empty()) j["message"] = r.message;
      j["baseline"] = r.baseline.json();
      j["tern"] = r.tern.json();
      j["ratio"] = r.ratio.json();
      if (r.row->target.kind == Target::Kind::none) {
        j["target"] = nullptr;
      } else {
        const char* kind = r.row->target.kind == Target::Kind::ratio_at_least ? "ratio_at_least"
                           : r.row->target.kind == Target::Kind::ratio_at_most ? "ratio_at_most"
                                                                               : "tern_at_most";
        j["target"] = {{"kind", kind}, {"value", r.row->target.value}, {"text", r.row->target.text}};
      }
      auto met = r.met();
      j["met"] = met ? nlohmann::json(*met) : nlohmann::json(nullptr);
      for (const auto& [name, stats] : r.extra) j["extra"][name] = stats.json();
      list.push_back(j);
    }
    out["cases"] = list;
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("tern-bench: %s; %s; %d repetitions of %s per library and case\n",
                openssl_version().c_str(), machine_cpu().c_str(), options.repetitions,
                options.iterations > 0 ? (std::to_string(options.iterations) + " operations").c_str()
                                       : (std::to_string(options.seconds) + " CPU s").c_str());
    std::printf("tern's X25519 and P-256 verification: %s (TERN_CRYPTO); ratio = tern / baseline "
                "per repetition, median; load average %s\n\n",
                tern::primitives_name(tern::primitives()), load_average().c_str());
    print_table(results);
    for (const RowResult& r : results)
      if (r.status == Metrics::Status::unsupported)
        std::printf("\n%s: %s\n", r.row->id.c_str(), r.message.c_str());
  }
  return failed ? kExitCaseFailed : kExitOk;
}

}  // namespace
}  // namespace tern_bench

int main(int argc, char** argv) {
  try {
    return tern_bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tern-bench: internal error: %s\n", e.what());
    return 3;
  }
}
