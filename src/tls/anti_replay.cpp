// SPDX-License-Identifier: Apache-2.0
// AntiReplay: a set of keys with a queue in recording order, so expired keys leave from the
// front in O(1) each. One mutex: a lookup and an insert cost far less than the handshake
// around them.
#include "tern/anti_replay.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

namespace tern {

struct AntiReplay::State {
  struct Entry {
    int64_t expires;
    std::string key;
  };
  size_t max_entries;
  int64_t keep_seconds;
  mutable std::mutex mutex;
  std::deque<Entry> order;  // recording order; a clock set back only keeps entries longer
  std::unordered_set<std::string> keys;
};

AntiReplay::AntiReplay(size_t max_entries, uint32_t window_seconds)
    : state_(std::make_unique<State>()), window_(std::max<uint32_t>(1, window_seconds)) {
  state_->max_entries = max_entries;
  state_->keep_seconds = 2 * static_cast<int64_t>(window_);
}

AntiReplay::~AntiReplay() = default;

bool AntiReplay::first_use(BytesView key, int64_t now) {
  if (key.empty() || key.size() > kMaxKey) return false;
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  while (!s.order.empty() && s.order.front().expires <= now) {
    s.keys.erase(s.order.front().key);
    s.order.pop_front();
  }
  std::string k(as_chars(key));
  if (s.keys.contains(k)) return false;
  // Full: refuse rather than forget a live key, which would let its replay through.
  if (s.keys.size() >= s.max_entries) return false;
  s.keys.insert(k);
  s.order.push_back({now + s.keep_seconds, std::move(k)});
  return true;
}

size_t AntiReplay::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->keys.size();
}

}  // namespace tern
