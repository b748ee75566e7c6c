// SPDX-License-Identifier: Apache-2.0
// ClientSessionCache and ServerSessionCache: bounded, thread-safe, least recently used
// evicted. One mutex each: every operation is a few pointer moves and a session copy, far
// cheaper than the handshake around it, so finer locking would buy nothing.
#include <algorithm>
#include <deque>
#include <list>
#include <mutex>
#include <unordered_map>

#include "tern/session.h"
#include "tern/tls.h"

namespace tern {
namespace {

// TLS 1.2 sessions may be resumed many times; everything else (TLS 1.3, and versions we
// do not know) is treated as a single-use ticket, the safer reading.
bool reusable(const SessionData& s) { return s.version == tls::kTls12; }

std::string key_of(BytesView id) { return std::string(as_chars(id)); }

}  // namespace

// --- ClientSessionCache -------------------------------------------------------------------

struct ClientSessionCache::State {
  struct Entry {
    std::list<std::string>::iterator lru_pos;
    std::deque<SessionData> sessions;  // oldest first
  };

  explicit State(size_t max) : max_names(max) {}

  // Marks `it` most recently used.
  void touch(std::unordered_map<std::string, Entry>::iterator it) {
    lru.splice(lru.begin(), lru, it->second.lru_pos);
  }
  void erase(std::unordered_map<std::string, Entry>::iterator it) {
    lru.erase(it->second.lru_pos);
    by_name.erase(it);
  }

  const size_t max_names;
  mutable std::mutex mu;
  std::list<std::string> lru;  // most recently used first
  std::unordered_map<std::string, Entry> by_name;
};

ClientSessionCache::ClientSessionCache(size_t max_names)
    : state_(std::make_unique<State>(max_names)) {}
ClientSessionCache::~ClientSessionCache() = default;

void ClientSessionCache::put(const std::string& name, SessionData session) {
  State& s = *state_;
  if (s.max_names == 0 || !session.storable()) return;
  std::lock_guard lock(s.mu);
  auto it = s.by_name.find(name);
  if (it == s.by_name.end()) {
    if (s.by_name.size() >= s.max_names) s.erase(s.by_name.find(s.lru.back()));
    s.lru.push_front(name);
    it = s.by_name.emplace(name, State::Entry{s.lru.begin(), {}}).first;
  } else {
    s.touch(it);
  }
  auto& sessions = it->second.sessions;
  // take() always prefers the newest, so an older TLS 1.2 session would only sit there
  // holding a master secret.
  if (reusable(session)) std::erase_if(sessions, [](const SessionData& d) { return reusable(d); });
  sessions.push_back(std::move(session));
  while (sessions.size() > kMaxPerName) sessions.pop_front();
}

std::optional<SessionData> ClientSessionCache::take(const std::string& name, int64_t now) {
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto it = s.by_name.find(name);
  if (it == s.by_name.end()) return std::nullopt;
  auto& sessions = it->second.sessions;
  std::erase_if(sessions, [now](const SessionData& d) { return d.expired(now); });
  if (sessions.empty()) {
    s.erase(it);
    return std::nullopt;
  }
  if (reusable(sessions.back())) {
    s.touch(it);
    return sessions.back();
  }
  SessionData out = std::move(sessions.back());
  sessions.pop_back();
  if (sessions.empty())
    s.erase(it);
  else
    s.touch(it);
  return out;
}

size_t ClientSessionCache::names() const {
  std::lock_guard lock(state_->mu);
  return state_->by_name.size();
}

size_t ClientSessionCache::sessions(const std::string& name) const {
  std::lock_guard lock(state_->mu);
  auto it = state_->by_name.find(name);
  return it == state_->by_name.end() ? 0 : it->second.sessions.size();
}

// --- ServerSessionCache -------------------------------------------------------------------

struct ServerSessionCache::State {
  struct Entry {
    std::string id;
    SessionData session;
  };
  using Iter = std::list<Entry>::iterator;

  explicit State(size_t max) : max_entries(max) {}

  void erase(std::unordered_map<std::string, Iter>::iterator it) {
    lru.erase(it->second);
    index.erase(it);
  }

  const size_t max_entries;
  mutable std::mutex mu;
  std::list<Entry> lru;  // most recently used first
  std::unordered_map<std::string, Iter> index;
};

ServerSessionCache::ServerSessionCache(size_t max_entries)
    : state_(std::make_unique<State>(max_entries)) {}
ServerSessionCache::~ServerSessionCache() = default;

void ServerSessionCache::put(BytesView session_id, SessionData session, int64_t now) {
  State& s = *state_;
  if (s.max_entries == 0 || session_id.empty() || session_id.size() > SessionData::kMaxSessionId ||
      session.expired(now) || !session.storable())
    return;
  std::string key = key_of(session_id);
  std::lock_guard lock(s.mu);
  if (auto it = s.index.find(key); it != s.index.end()) {
    it->second->session = std::move(session);
    s.lru.splice(s.lru.begin(), s.lru, it->second);
    return;
  }
  if (s.index.size() >= s.max_entries) s.erase(s.index.find(s.lru.back().id));
  s.lru.push_front(State::Entry{key, std::move(session)});
  s.index.emplace(std::move(key), s.lru.begin());
}

std::optional<SessionData> ServerSessionCache::get(BytesView session_id, int64_t now) {
  State& s = *state_;
  if (session_id.empty() || session_id.size() > SessionData::kMaxSessionId) return std::nullopt;
  std::lock_guard lock(s.mu);
  auto it = s.index.find(key_of(session_id));
  if (it == s.index.end()) return std::nullopt;
  if (it->second->session.expired(now)) {
    s.erase(it);
    return std::nullopt;
  }
  s.lru.splice(s.lru.begin(), s.lru, it->second);
  return it->second->session;
}

void ServerSessionCache::erase(BytesView session_id) {
  State& s = *state_;
  std::lock_guard lock(s.mu);
  if (auto it = s.index.find(key_of(session_id)); it != s.index.end()) s.erase(it);
}

size_t ServerSessionCache::size() const {
  std::lock_guard lock(state_->mu);
  return state_->index.size();
}

}  // namespace tern
