// SPDX-License-Identifier: Apache-2.0
// OpenSSL libssl's side: one SSL_CTX per role and case, SSL objects created per handshake,
// joined by a BIO of our own over two harness-owned byte pipes (reserved before any
// measurement, so the transport allocates nothing and is not counted as connection heap;
// a BIO pair would add a 17 KiB ring buffer per side to OpenSSL's figures).
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/opensslv.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>
#include <string>

#include "bench.h"

namespace tern_bench {
namespace {

struct Pipe {
  Bytes data;
  size_t offset = 0;
  Pipe() { data.reserve(256 * 1024); }
  bool empty() const { return offset == data.size(); }
};

// What one SSL's BIO reads from and writes to.
struct End {
  Pipe* in;
  Pipe* out;
};

int pipe_write(BIO* bio, const char* data, size_t size, size_t* written) {
  BIO_clear_retry_flags(bio);
  auto* end = static_cast<End*>(BIO_get_data(bio));
  const auto* bytes = reinterpret_cast<const uint8_t*>(data);
  end->out->data.insert(end->out->data.end(), bytes, bytes + size);
  *written = size;
  return 1;
}

int pipe_read(BIO* bio, char* data, size_t size, size_t* read) {
  BIO_clear_retry_flags(bio);
  auto* end = static_cast<End*>(BIO_get_data(bio));
  Pipe& in = *end->in;
  size_t n = std::min(size, in.data.size() - in.offset);
  if (n == 0) {
    BIO_set_retry_read(bio);
    *read = 0;
    return 0;
  }
  std::memcpy(data, in.data.data() + in.offset, n);
  in.offset += n;
  if (in.empty()) {
    in.data.clear();
    in.offset = 0;
  }
  *read = n;
  return 1;
}

long pipe_ctrl(BIO*, int cmd, long, void*) { return cmd == BIO_CTRL_FLUSH ? 1 : 0; }

int pipe_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

BIO_METHOD* pipe_method() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tern-bench pipe");
    BIO_meth_set_write_ex(m, pipe_write);
    BIO_meth_set_read_ex(m, pipe_read);
    BIO_meth_set_ctrl(m, pipe_ctrl);
    BIO_meth_set_create(m, pipe_create);
    return m;
  }();
  return method;
}

std::string ssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "no OpenSSL error queued" : out;
}

const char* suite_name(uint16_t suite) {
  switch (suite) {
    case 0x1301: return "TLS_AES_128_GCM_SHA256";
    case 0x1302: return "TLS_AES_256_GCM_SHA384";
    case 0x1303: return "TLS_CHACHA20_POLY1305_SHA256";
    case 0xC02B: return "ECDHE-ECDSA-AES128-GCM-SHA256";
    case 0xC02F: return "ECDHE-RSA-AES128-GCM-SHA256";
    default: return nullptr;
  }
}

const char* scheme_name(uint16_t scheme) {
  switch (scheme) {
    case 0x0403: return "ecdsa_secp256r1_sha256";
    case 0x0804: return "rsa_pss_rsae_sha256";
    default: return nullptr;
  }
}

const char* group_name(uint16_t group) {
  switch (group) {
    case 0x001d: return "X25519";
    case 0x0017: return "P-256";
    default: return nullptr;
  }
}

std::string group_list(const HandshakeParams& params) {
  std::string list;
  for (uint16_t group : offered_groups(params)) {
    const char* name = group_name(group);
    if (!name) return "";
    list += (list.empty() ? "" : ":") + std::string(name);
  }
  return list;
}

// Whether a non-positive return of SSL_do_handshake/SSL_read/SSL_write only means "feed me".
bool would_block(SSL* ssl, int rc) {
  int e = SSL_get_error(ssl, rc);
  return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

struct Wire {
  Pipe c2s, s2c;
  End client_end{&s2c, &c2s}, server_end{&c2s, &s2c};
};

class OpensslPair : public Pair {
 public:
  OpensslPair(SSL* client, SSL* server) : client_(client), server_(server) {}
  ~OpensslPair() override {
    free_client();
    free_server();
  }
  SSL* client() { return client_; }
  SSL* server() { return server_; }

  bool exchange(std::string& error) override {
    char buf[16];
    if (SSL_write(client_, "ping", 4) != 4) return fail(error, "client SSL_write");
    if (SSL_read(server_, buf, sizeof buf) != 4) return fail(error, "server SSL_read");
    if (SSL_write(server_, "pong", 4) != 4) return fail(error, "server SSL_write");
    if (SSL_read(client_, buf, sizeof buf) != 4) return fail(error, "client SSL_read");
    return true;
  }

  bool send(const uint8_t* data, size_t size, std::string& error) override {
    size_t written = 0;
    if (SSL_write_ex(client_, data, size, &written) != 1 || written != size)
      return fail(error, "client SSL_write");
    size_t got = 0;
    while (got < size) {
      size_t n = 0;
      if (SSL_read_ex(server_, buf_, sizeof buf_, &n) != 1) return fail(error, "server SSL_read");
      got += n;
    }
    return true;
  }

  // Freed as after a clean shutdown, without sending close_notify (tern's side is not
  // closed either): SSL_free of a connection not marked shut down would make its session
  // unresumable (ssl_clear_bad_session).
  void free_client() override { release(client_); }
  void free_server() override { release(server_); }

 private:
  static bool fail(std::string& error, const char* what) {
    error = std::string(what) + ": " + ssl_errors();
    return false;
  }
  static void release(SSL*& ssl) {
    if (!ssl) return;
    SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_free(ssl);
    ssl = nullptr;
  }
  SSL* client_;
  SSL* server_;
  static inline uint8_t buf_[16384];  // not per pair: a Pair is allocated in case 4's window
};

class OpensslDriver : public Driver {
 public:
  explicit OpensslDriver(const HandshakeParams& params) : params_(params) {}
  ~OpensslDriver() override {
    SSL_SESSION_free(session_);
    SSL_CTX_free(client_ctx_);
    SSL_CTX_free(server_ctx_);
  }

  bool setup(std::string& error) {
    const char* suite = suite_name(params_.suite);
    const char* scheme = scheme_name(params_.scheme);
    std::string groups = group_list(params_);
    if (!suite || !scheme || groups.empty()) {
      error = "no OpenSSL name for this suite, scheme or group";
      return false;
    }
    client_ctx_ = SSL_CTX_new(TLS_client_method());
    server_ctx_ = SSL_CTX_new(TLS_server_method());
    if (!client_ctx_ || !server_ctx_) return fail(error, "SSL_CTX_new");
    for (SSL_CTX* ctx : {client_ctx_, server_ctx_}) {
      int version = params_.version == 0x0304 ? TLS1_3_VERSION : TLS1_2_VERSION;
      if (!SSL_CTX_set_min_proto_version(ctx, version) ||
          !SSL_CTX_set_max_proto_version(ctx, version))
        return fail(error, "protocol version");
      if (params_.version == 0x0304 ? !SSL_CTX_set_ciphersuites(ctx, suite)
                                    : !SSL_CTX_set_cipher_list(ctx, suite))
        return fail(error, "cipher suite");
      if (!SSL_CTX_set1_groups_list(ctx, groups.c_str())) return fail(error, "groups");
      if (!SSL_CTX_set1_sigalgs_list(ctx, scheme)) return fail(error, "signature algorithms");
      // Sessions are handled by hand on the client (SSL_get1_session/SSL_set_session); the
      // server resumes from tickets only, never from a session-ID cache.
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
      if (params_.release_buffers) SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    }
    if (params_.resume) {
      SSL_CTX_set_num_tickets(server_ctx_, 1);
    } else {
      SSL_CTX_set_num_tickets(server_ctx_, 0);
      SSL_CTX_set_options(server_ctx_, SSL_OP_NO_TICKET);
      SSL_CTX_set_options(client_ctx_, SSL_OP_NO_TICKET);
    }
    const Pki& p = pki(params_.key);
    if (SSL_CTX_use_certificate_ASN1(server_ctx_, static_cast<int>(p.leaf_der.size()),
                                     p.leaf_der.data()) != 1)
      return fail(error, "server certificate");
    const unsigned char* key_der = p.leaf_key_pkcs8.data();
    EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &key_der, static_cast<long>(p.leaf_key_pkcs8.size()));
    if (!key) return fail(error, "server key");
    int used = SSL_CTX_use_PrivateKey(server_ctx_, key);
    EVP_PKEY_free(key);
    if (used != 1 || SSL_CTX_check_private_key(server_ctx_) != 1) return fail(error, "server key");

    const unsigned char* root_der = p.root_der.data();
    X509* root = d2i_X509(nullptr, &root_der, static_cast<long>(p.root_der.size()));
    if (!root) return fail(error, "root certificate");
    int added = X509_STORE_add_cert(SSL_CTX_get_cert_store(client_ctx_), root);
    X509_free(root);
    if (added != 1) return fail(error, "trust store");
    SSL_CTX_set_verify(client_ctx_, SSL_VERIFY_PEER, nullptr);
    return true;
  }

  std::unique_ptr<Pair> connect(std::string& error) override {
    wire_.c2s.data.clear();
    wire_.c2s.offset = 0;
    wire_.s2c.data.clear();
    wire_.s2c.offset = 0;
    SSL* client = SSL_new(client_ctx_);
    SSL* server = SSL_new(server_ctx_);
    auto pair = std::make_unique<OpensslPair>(client, server);
    if (!client || !server) return failed(error, "SSL_new");
    BIO* client_bio = BIO_new(pipe_method());
    BIO* server_bio = BIO_new(pipe_method());
    if (!client_bio || !server_bio) {
      BIO_free(client_bio);
      BIO_free(server_bio);
      return failed(error, "BIO_new");
    }
    BIO_set_data(client_bio, &wire_.client_end);
    BIO_set_data(server_bio, &wire_.server_end);
    SSL_set_bio(client, client_bio, client_bio);
    SSL_set_bio(server, server_bio, server_bio);
    SSL_set_connect_state(client);
    SSL_set_accept_state(server);
    if (SSL_set_tlsext_host_name(client, kServerName) != 1 || SSL_set1_host(client, kServerName) != 1)
      return failed(error, "host name");
    if (session_ && SSL_set_session(client, session_) != 1) return failed(error, "SSL_set_session");

    bool client_done = false, server_done = false;
    for (int round = 0; round < 64 && !(client_done && server_done); ++round) {
      if (!client_done) {
        int rc = SSL_do_handshake(client);
        if (rc == 1) client_done = true;
        else if (!would_block(client, rc)) return failed(error, "client handshake");
      }
      if (!server_done) {
        int rc = SSL_do_handshake(server);
        if (rc == 1) server_done = true;
        else if (!would_block(server, rc)) return failed(error, "server handshake");
      }
    }
    if (!client_done || !server_done) return failed(error, "handshake did not complete");
    if (SSL_get_verify_result(client) != X509_V_OK) return failed(error, "verification");
    if (!(params_.resume && params_.version == 0x0303 && session_)) {
      int expected = params_.group == 0x001d ? NID_X25519 : NID_X9_62_prime256v1;
      if (SSL_get_negotiated_group(client) != expected) return failed(error, "negotiated group");
    }
    if (params_.resume) {
      if (session_ && !SSL_session_reused(client)) return failed(error, "the session was not resumed");
      // Take in what the server sent after its Finished (the TLS 1.3 ticket), then keep the
      // newest session: a TLS 1.3 ticket is used once; a TLS 1.2 session stays the same.
      char byte;
      int rc = SSL_read(client, &byte, 1);
      if (rc > 0 || !would_block(client, rc)) return failed(error, "client reading the ticket");
      if (params_.version == 0x0304 || !session_) {
        SSL_SESSION* latest = SSL_get1_session(client);
        if (!latest || !SSL_SESSION_is_resumable(latest)) {
          SSL_SESSION_free(latest);
          return failed(error, "no resumable session");
        }
        SSL_SESSION_free(session_);
        session_ = latest;
      }
    }
    return pair;
  }

 private:
  static bool fail(std::string& error, const char* what) {
    error = std::string(what) + ": " + ssl_errors();
    return false;
  }
  static std::unique_ptr<Pair> failed(std::string& error, const char* what) {
    fail(error, what);
    return nullptr;
  }

  HandshakeParams params_;
  SSL_CTX* client_ctx_ = nullptr;
  SSL_CTX* server_ctx_ = nullptr;
  SSL_SESSION* session_ = nullptr;
  Wire wire_;
};

}  // namespace

std::unique_ptr<Driver> make_openssl_driver(const HandshakeParams& params, std::string& error) {
  auto driver = std::make_unique<OpensslDriver>(params);
  if (!driver->setup(error)) return nullptr;
  if (!driver->handshake(error)) return nullptr;  // checks the setup; primes resumption
  return driver;
}

std::string openssl_version() { return OpenSSL_version(OPENSSL_VERSION); }

}  // namespace tern_bench
