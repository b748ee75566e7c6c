// SPDX-License-Identifier: Apache-2.0
// `tern trace` output pinned by golden files: in-memory tern client and server with pinned
// randomness, clock, key shares and certificates (Ed25519 and RSA keys from tests/data/trace,
// so every certificate and signature is the same each run), rendered as text, JSON lines and
// SVG, compared with tests/data/trace/*. TERN_UPDATE_GOLDEN=1 rewrites the files.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "base/encoding.h"
#include "tls13_test_util.h"
#include "trace/trace.h"
#include "x509/builder.h"
#include "x509/certificate.h"

namespace tern::testing {
namespace {

namespace tr = tern::trace;

const std::string kDir = std::string(TERN_TEST_DATA_DIR) + "/trace/";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::unique_ptr<crypto::PrivateKey> load_key(const std::string& name) {
  auto blocks = base::parse_pem(read_text(kDir + name));
  if (!blocks || blocks->empty()) throw std::runtime_error("cannot read " + name);
  auto key = crypto::default_provider().parse_private_key((*blocks)[0].der);
  if (!key) throw std::runtime_error(name + ": " + key.error().detail);
  return std::move(*key);
}

Bytes pkcs8(const std::string& name) {
  auto blocks = base::parse_pem(read_text(kDir + name));
  return (*blocks)[0].der;
}

// A fixed PKI: Ed25519 root and intermediate, an Ed25519 and an RSA leaf for localhost.
struct FixedPki {
  std::shared_ptr<TrustStore> roots;
  CertifiedKey ed25519, rsa;
};

Bytes issue(const std::string& subject, const std::string& issuer, const crypto::PublicKey& key,
            const crypto::PrivateKey& signer, uint64_t serial, bool ca, bool rsa_leaf = false) {
  auto name = x509::encode_name(std::string_view(subject));
  auto issuer_name = x509::encode_name(std::string_view(issuer));
  x509::CertificateBuilder b;
  b.serial(serial).subject(*name).issuer(*issuer_name).validity(1700000000, 2000000000).public_key(key);
  if (ca) {
    b.basic_constraints(true).key_usage(x509::kKeyCertSign | x509::kCrlSign).subject_key_id_from_key();
  } else {
    b.basic_constraints(false)
        .key_usage(static_cast<uint16_t>(x509::kDigitalSignature |
                                         (rsa_leaf ? x509::kKeyEncipherment : 0)))
        .extended_key_usage({x509::build_oid::kEkuServerAuth})
        .subject_alt_names({x509::GeneralNameSpec::dns("localhost")});
  }
  auto signer_public = signer.public_key();
  b.authority_key_id(*x509::key_identifier(signer_public->spki()));
  auto der = b.sign(signer);
  if (!der) throw std::runtime_error("sign: " + der.error().detail);
  return *der;
}

const FixedPki& fixed_pki() {
  static FixedPki pki = [] {
    FixedPki p;
    auto root = load_key("root-ed25519.key");
    auto inter = load_key("intermediate-ed25519.key");
    auto leaf = load_key("leaf-ed25519.key");
    auto rsa = load_key("leaf-rsa.key");
    const char* root_name = "CN=tern Trace Root, O=tern";
    const char* inter_name = "CN=tern Trace Intermediate, O=tern";
    Bytes root_der = issue(root_name, root_name, *root->public_key(), *root, 1, true);
    Bytes inter_der = issue(inter_name, root_name, *inter->public_key(), *root, 2, true);
    Bytes leaf_der = issue("CN=localhost", inter_name, *leaf->public_key(), *inter, 3, false);
    Bytes rsa_der = issue("CN=localhost", inter_name, *rsa->public_key(), *inter, 4, false, true);
    p.roots = std::make_shared<TrustStore>();
    p.roots->add((*Certificate::parse_all(root_der))[0], "trace-root.pem");
    p.ed25519.chain = {leaf_der, inter_der};
    p.ed25519.private_key = pkcs8("leaf-ed25519.key");
    p.ed25519.names = {"localhost"};
    p.rsa.chain = {rsa_der, inter_der};
    p.rsa.private_key = pkcs8("leaf-rsa.key");
    p.rsa.names = {"localhost"};
    return p;
  }();
  return pki;
}

std::function<void(std::span<uint8_t>)> pinned_random(uint32_t seed) {
  auto state = std::make_shared<uint32_t>(seed);
  return [state](std::span<uint8_t> out) {
    for (uint8_t& b : out) {
      *state = *state * 1103515245u + 12345u;
      b = static_cast<uint8_t>(*state >> 16);
    }
  };
}

ClientConfig client_config() {
  ClientConfig c;
  c.server_name = "localhost";
  c.trust_store = fixed_pki().roots;
  c.now = [] { return kTestNow; };
  c.random = pinned_random(1);
  c.key_share_private_key = pinned_key_shares(true, 0x11);
  c.alpn = {"http/1.1"};
  return c;
}

std::shared_ptr<ServerConfig> server_config(bool rsa = false) {
  auto s = std::make_shared<ServerConfig>();
  s->certificates.push_back(rsa ? fixed_pki().rsa : fixed_pki().ed25519);
  s->now = [] { return kTestNow; };
  s->random = pinned_random(2);
  s->key_share_private_key = pinned_key_shares(false, 0x22);
  s->alpn = {"http/1.1"};
  return s;
}

// One connection between a traced client and a traced server, 10 ms each way.
struct TraceRun {
  double clock = 0;
  tr::Recorder client{tr::Side::client, [this] { return clock; }};
  tr::Recorder server{tr::Side::server, [this] { return clock; }};
  Result<void> status;

  void pump(Connection& c, Connection& s) {
    for (int round = 0; round < 50; ++round) {
      if (c.pending_output().empty() && s.pending_output().empty()) return;
      if (!c.pending_output().empty()) {
        clock += 10;
        if (auto r = transfer(c, s); !r && status) status = std::move(r).error();
      }
      if (!s.pending_output().empty()) {
        clock += 10;
        if (auto r = transfer(s, c); !r && status) status = std::move(r).error();
      }
    }
  }

  // Handshake, one request and answer if it worked, close_notify both ways.
  void connect(ClientConfig cc, std::shared_ptr<ServerConfig> sc) {
    cc.observer = &client;
    auto cconn = ClientConnection::create(std::move(cc));
    auto sconn = ServerConnection::create(sc, &server);
    ASSERT_TRUE(cconn && sconn);
    Connection& c = **cconn;
    Connection& s = **sconn;
    pump(c, s);
    if (c.handshake_done() && s.handshake_done()) {
      ASSERT_TRUE(c.write(as_bytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")));
      pump(c, s);
      read_all(s);
      ASSERT_TRUE(s.write(as_bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhi\n")));
      pump(c, s);
      read_all(c);
      c.close();
      pump(c, s);
      s.close();
      pump(c, s);
    } else {
      client.trace().error = c.error() ? c.error()->detail : "";
    }
  }
};

std::string text_of(const tr::Trace& t) {
  std::ostringstream out;
  tr::render_text(t, out);
  return out.str();
}
std::string json_of(const tr::Trace& t) {
  std::ostringstream out;
  tr::render_json(t, out);
  return out.str();
}
std::string svg_of(const tr::Trace& t) {
  std::ostringstream out;
  tr::render_svg(t, out);
  return out.str();
}

void golden(const std::string& file, const std::string& actual) {
  std::string path = kDir + file;
  const char* update = std::getenv("TERN_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " is missing: run with TERN_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(read_text(path), actual) << file << " differs (TERN_UPDATE_GOLDEN=1 rewrites it)";
}

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

size_t arrows_expected(const tr::Trace& t) {
  size_t n = 0;
  for (const auto& e : t.events)
    if (e.kind == tr::Event::Kind::message || e.kind == tr::Event::Kind::change_cipher_spec ||
        e.kind == tr::Event::Kind::alert || e.kind == tr::Event::Kind::application_data)
      ++n;
  return n;
}

// A small XML well-formedness check: tags nest and close, attributes are quoted, no raw
// '<' or '&' outside markup and entities.
bool well_formed_xml(const std::string& xml, std::string& why) {
  std::vector<std::string> open;
  size_t i = 0;
  if (xml.rfind("<?xml", 0) == 0) i = xml.find("?>") + 2;
  while (i < xml.size()) {
    if (xml[i] == '&') {
      size_t semi = xml.find(';', i);
      std::string entity = xml.substr(i, semi == std::string::npos ? 8 : semi - i + 1);
      if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;") {
        why = "bad entity " + entity;
        return false;
      }
      i = semi + 1;
      continue;
    }
    if (xml[i] != '<') {
      ++i;
      continue;
    }
    size_t end = i + 1;
    bool quoted = false;
    while (end < xml.size() && (quoted || xml[end] != '>')) {
      if (xml[end] == '"') quoted = !quoted;
      if (!quoted && xml[end] == '<') {
        why = "'<' inside a tag at " + std::to_string(end);
        return false;
      }
      ++end;
    }
    if (end >= xml.size()) {
      why = "unterminated tag";
      return false;
    }
    std::string tag = xml.substr(i + 1, end - i - 1);
    if (tag.starts_with("/")) {
      std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) {
        why = "</" + name + "> does not close <" + (open.empty() ? "" : open.back()) + ">";
        return false;
      }
      open.pop_back();
    } else if (!tag.ends_with("/")) {
      open.push_back(tag.substr(0, tag.find_first_of(" \n")));
    }
    i = end + 1;
  }
  if (!open.empty()) why = "<" + open.back() + "> is never closed";
  return open.empty();
}

// Every JSON line is one object with an "event" and the documented fields of its kind.
void check_json_schema(const std::string& lines) {
  std::istringstream in(lines);
  std::string line;
  std::map<std::string, std::vector<std::string>> required = {
      {"start", {"view", "client", "server"}},
      {"message", {"time_ms", "from", "to", "protection", "type", "name", "bytes", "explain", "fields"}},
      {"change_cipher_spec", {"time_ms", "from", "to", "protection", "explain"}},
      {"alert", {"time_ms", "from", "to", "level", "description", "code", "explain"}},
      {"application_data", {"time_ms", "from", "to", "protection", "bytes", "records"}},
      {"key_schedule", {"time_ms", "side", "stage", "explain"}},
      {"verify_step", {"time_ms", "side", "check", "ok", "depth", "subject", "detail"}},
      {"verification", {"time_ms", "side", "ok", "chain_length"}},
      {"summary",
       {"ok", "version", "cipher_suite", "group", "signature_scheme", "forward_secrecy",
        "resumed", "hello_retry_request", "extended_master_secret", "alpn", "handshake_ms",
        "round_trips", "bytes_sent", "bytes_received", "records_sent", "records_received"}}};
  size_t n = 0;
  std::string last;
  while (std::getline(in, line)) {
    ++n;
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "line " << n << " is not JSON: " << line;
    ASSERT_TRUE(j.is_object() && j.contains("event")) << line;
    last = j["event"];
    ASSERT_TRUE(required.count(last)) << "undocumented event " << last;
    for (const auto& field : required[last]) EXPECT_TRUE(j.contains(field)) << last << " lacks " << field;
    if (last == "message") {
      EXPECT_TRUE(j["fields"].is_object());
      EXPECT_TRUE(j["protection"] == "plaintext" || j["protection"] == "handshake_keys" ||
                  j["protection"] == "application_keys");
    }
  }
  EXPECT_EQ(last, "summary");
}

void check_all(const std::string& name, TraceRun& run, bool server_view = true) {
  const tr::Trace& t = run.client.trace();
  std::string text = text_of(t), json = json_of(t), svg = svg_of(t);
  golden(name + ".txt", text);
  golden(name + ".jsonl", json);
  golden(name + ".svg", svg);
  if (server_view) golden(name + ".server.txt", text_of(run.server.trace()));
  check_json_schema(json);
  std::string why;
  EXPECT_TRUE(well_formed_xml(svg, why)) << why;
  EXPECT_EQ(count(svg, "<line class=\"arrow "), arrows_expected(t));
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << "colour without asking";
}

TEST(TraceGolden, Tls13) {
  TraceRun run;
  run.client.trace().title = "golden: TLS 1.3";
  run.connect(client_config(), server_config());
  ASSERT_TRUE(run.status) << run.status.error().detail;
  check_all("tls13", run);
  tr::Summary s = tr::summarize(run.client.trace());
  EXPECT_TRUE(s.ok);
  EXPECT_EQ(s.version, tls::kTls13);
  EXPECT_EQ(s.group, tls::kX25519Mlkem768);  // the default
  EXPECT_EQ(s.signature_scheme, 0x0807);
  EXPECT_TRUE(s.forward_secrecy);
  EXPECT_EQ(s.alpn, "http/1.1");
  EXPECT_EQ(s.round_trips, 1);
  ASSERT_TRUE(s.handshake_ms);
  EXPECT_DOUBLE_EQ(*s.handshake_ms, 20);  // one round trip of 2 x 10 ms
}

TEST(TraceGolden, Tls13HelloRetryRequest) {
  TraceRun run;
  run.client.trace().title = "golden: TLS 1.3 with HelloRetryRequest";
  ClientConfig cc = client_config();
  cc.groups = {tls::kX25519, tls::kSecp256r1};
  auto sc = server_config();
  sc->groups = {tls::kSecp256r1};
  run.connect(cc, sc);
  ASSERT_TRUE(run.status) << run.status.error().detail;
  check_all("tls13_hrr", run);
  tr::Summary s = tr::summarize(run.client.trace());
  EXPECT_TRUE(s.hello_retry_request);
  EXPECT_EQ(s.group, tls::kSecp256r1);
  EXPECT_EQ(s.round_trips, 2);
  EXPECT_NE(text_of(run.client.trace()).find("why      a key share for secp256r1"), std::string::npos);
}

TEST(TraceGolden, Tls12Ecdhe) {
  TraceRun run;
  run.client.trace().title = "golden: TLS 1.2 ECDHE";
  ClientConfig cc = client_config();
  cc.max_version = tls::kTls12;
  run.connect(cc, server_config());
  ASSERT_TRUE(run.status) << run.status.error().detail;
  check_all("tls12_ecdhe", run);
  tr::Summary s = tr::summarize(run.client.trace());
  EXPECT_EQ(s.version, tls::kTls12);
  EXPECT_TRUE(s.forward_secrecy);
  EXPECT_TRUE(s.extended_master_secret);
  EXPECT_EQ(s.round_trips, 2);
}

TEST(TraceGolden, Tls12RsaKeyTransport) {
  TraceRun run;
  run.client.trace().title = "golden: TLS 1.2 RSA key transport";
  ClientConfig cc = client_config();
  cc.max_version = tls::kTls12;
  cc.legacy_rsa_key_exchange = true;
  cc.cipher_suites = {tls::kRsaAes128GcmSha256};
  auto sc = server_config(true);
  sc->legacy_rsa_key_exchange = true;
  run.connect(cc, sc);
  ASSERT_TRUE(run.status) << run.status.error().detail;
  check_all("tls12_rsa", run);
  tr::Summary s = tr::summarize(run.client.trace());
  EXPECT_FALSE(s.forward_secrecy);
  EXPECT_EQ(s.group, 0);
  std::string text = text_of(run.client.trace());
  EXPECT_NE(text.find("Client Key Exchange: the pre-master secret, encrypted with the"),
            std::string::npos);
  EXPECT_NE(text.find("Change Cipher Spec: from here on, records are encrypted"), std::string::npos);
}

TEST(TraceGolden, Tls13Resumption) {
  auto sc = server_config();
  auto cache = std::make_shared<ClientSessionCache>();
  {
    TraceRun first;
    ClientConfig cc = client_config();
    cc.session_cache = cache;
    first.connect(cc, sc);
    ASSERT_TRUE(first.status) << first.status.error().detail;
  }
  TraceRun run;
  run.client.trace().title = "golden: TLS 1.3 resumption";
  ClientConfig cc = client_config();
  cc.session_cache = cache;
  cc.random = pinned_random(3);
  run.connect(cc, sc);
  ASSERT_TRUE(run.status) << run.status.error().detail;
  check_all("tls13_resumed", run);
  tr::Summary s = tr::summarize(run.client.trace());
  EXPECT_TRUE(s.resumed);
  EXPECT_TRUE(s.forward_secrecy);  // psk_dhe_ke
}

TEST(TraceGolden, FailedVerification) {
  TraceRun run;
  run.client.trace().title = "golden: a certificate for another name";
  ClientConfig cc = client_config();
  cc.server_name = "www.example.org";
  run.connect(cc, server_config());
  EXPECT_FALSE(run.status);
  check_all("bad_name", run, false);
  tr::Summary s = tr::summarize(run.client.trace());
  EXPECT_FALSE(s.ok);
  std::string text = text_of(run.client.trace());
  EXPECT_NE(text.find("FAILED name"), std::string::npos) << text;
  EXPECT_EQ(text.find("ok anchor"), std::string::npos) << "checks after the failure";
  EXPECT_NE(text.find("Alert bad_certificate (fatal)"), std::string::npos);
}

TEST(TraceRender, ColourOnlyWhenAsked) {
  TraceRun run;
  run.connect(client_config(), server_config());
  std::ostringstream out;
  tr::RenderOptions options;
  options.color = true;
  tr::render_text(run.client.trace(), out, options);
  EXPECT_NE(out.str().find("\x1b[33m"), std::string::npos);
}

TEST(TraceRender, SecretsOnlyWhenAsked) {
  TraceRun run;
  ClientConfig cc = client_config();
  cc.keylog = [&](const std::string& line) { run.client.keylog(line); };
  run.connect(cc, server_config());
  std::ostringstream hidden, shown;
  tr::render_text(run.client.trace(), hidden);
  tr::RenderOptions options;
  options.show_secrets = true;
  tr::render_text(run.client.trace(), shown, options);
  EXPECT_EQ(hidden.str().find("CLIENT_HANDSHAKE_TRAFFIC_SECRET"), std::string::npos);
  EXPECT_NE(shown.str().find("CLIENT_HANDSHAKE_TRAFFIC_SECRET"), std::string::npos);
  std::ostringstream json;
  tr::render_json(run.client.trace(), json, options);
  EXPECT_NE(json.str().find("\"event\":\"secret\""), std::string::npos);
}

TEST(TraceDescribe, MessageFields) {
  TraceRun run;
  run.connect(client_config(), server_config());
  const auto& events = run.client.trace().events;
  ASSERT_FALSE(events.empty());
  const HandshakeSummary& ch = events[0].message;
  EXPECT_EQ(ch.name, "ClientHello");
  EXPECT_EQ(ch.random.size(), 32u);
  EXPECT_EQ(ch.server_name, "localhost");
  EXPECT_EQ(ch.alpn, std::vector<std::string>{"http/1.1"});
  // The defaults: the post-quantum hybrid and plain X25519.
  ASSERT_EQ(ch.key_shares.size(), 2u);
  EXPECT_EQ(ch.key_shares[0].group, tls::kX25519Mlkem768);
  EXPECT_EQ(ch.key_shares[0].key_exchange.size(), 1216u);
  EXPECT_EQ(ch.key_shares[1].group, tls::kX25519);
  HandshakeSummary broken = describe_message(Bytes{1, 0, 0, 5, 3});
  EXPECT_FALSE(broken.error.empty());
  EXPECT_EQ(cipher_suite_name(0x1301), "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(version_name(0x0303), "TLS 1.2");
}

// Each message's label says the keys it really went out under: the sender's label (from its
// record layer's write keys) equals the receiver's (the keys its record layer decrypted the
// message with), TLS 1.3's NewSessionTicket included (application keys, never plaintext).
void expect_labels_agree(const tr::Trace& sender, const tr::Trace& receiver) {
  std::vector<std::pair<std::string, Protection>> sent, received;
  for (const auto& e : sender.events)
    if (e.kind == tr::Event::Kind::message && e.from == sender.self)
      sent.emplace_back(e.message.name, e.protection);
  for (const auto& e : receiver.events)
    if (e.kind == tr::Event::Kind::message && e.from != receiver.self)
      received.emplace_back(e.message.name, e.protection);
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent, received);
}

TEST(TraceProtection, EveryMessageIsLabelledWithTheKeysItWasSentUnder) {
  for (bool tls12 : {false, true}) {
    SCOPED_TRACE(tls12 ? "TLS 1.2" : "TLS 1.3");
    TraceRun run;
    ClientConfig cc = client_config();
    cc.session_cache = std::make_shared<ClientSessionCache>();
    if (tls12) cc.max_version = tls::kTls12;
    run.connect(cc, server_config());
    ASSERT_TRUE(run.status) << run.status.error().detail;
    expect_labels_agree(run.server.trace(), run.client.trace());
    expect_labels_agree(run.client.trace(), run.server.trace());
    if (tls12) continue;
    size_t tickets = 0;
    for (const auto& e : run.server.trace().events)
      if (e.kind == tr::Event::Kind::message && e.message.type == 4) {
        ++tickets;
        EXPECT_EQ(e.protection, Protection::application_keys);
      }
    EXPECT_GT(tickets, 0u);
    EXPECT_EQ(text_of(run.server.trace()).find("NewSessionTicket  [plaintext"),
              std::string::npos);
  }
}

// A ClientHello whose SNI and ALPN carry a line feed, terminal escapes and bytes that are not
// UTF-8: the text and SVG show them escaped, the JSON encodes them, none of them breaks out.
TEST(TraceRender, HostileSniAndAlpnAreEscaped) {
  const std::string sni = "evil\x1b[2J\nforged line \"x\"";
  const std::string alpn = "h2\x1b]0;pwned\x07\xff";
  tr::Trace t;
  t.self = tr::Side::server;
  tr::Event& e = t.events.emplace_back();
  e.kind = tr::Event::Kind::message;
  e.from = tr::Side::client;
  e.message.type = 1;
  e.message.name = "ClientHello";
  e.message.legacy_version = tls::kTls12;
  e.message.server_name = sni;
  e.message.alpn = {alpn};
  std::string text = text_of(t), svg = svg_of(t), json = json_of(t);
  for (const std::string* out : {&text, &svg, &json}) {
    EXPECT_EQ(out->find('\x1b'), std::string::npos) << *out;
    EXPECT_EQ(out->find('\x07'), std::string::npos) << *out;
    EXPECT_EQ(out->find("\nforged"), std::string::npos) << *out;
  }
  EXPECT_NE(text.find("evil\\x1b[2J\\nforged line \\\"x\\\""), std::string::npos) << text;
  EXPECT_NE(text.find("h2\\x1b]0;pwned\\x07\\xff"), std::string::npos) << text;
  std::string why;
  EXPECT_TRUE(well_formed_xml(svg, why)) << why;
  EXPECT_EQ(svg.find('\xff'), std::string::npos);
  // JSON: every line parses, and the SNI decodes back to what the peer sent.
  std::istringstream lines(json);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    if (j.contains("fields") && j["fields"].contains("server_name")) {
      EXPECT_EQ(j["fields"]["server_name"], sni);
      found = true;
    }
  }
  EXPECT_TRUE(found) << json;
}

// Lines of `text`, each measured in characters (UTF-8 continuation bytes not counted).
std::vector<size_t> line_widths(const std::string& text) {
  std::vector<size_t> widths;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    size_t n = 0;
    for (char c : line) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    widths.push_back(n);
  }
  return widths;
}

// A TLS 1.3 handshake whose server has a long name, in the title and over its rail.
// (Filled in place: the recorders' clocks point into the run, which must not move.)
void long_name_run(TraceRun& run) {
  std::string name = "a-rather-long-server-name-" + std::string(60, 'x') + ".example.com:443";
  run.client.trace().title = "tern trace: " + name + ", GET /index.html: 200 OK";
  run.client.trace().server_label = "server (" + name + ")";
  run.connect(client_config(), server_config());
}

TEST(TraceRender, TextFitsEightyColumnsOrTheTerminalsWidth) {
  TraceRun run;
  long_name_run(run);
  ASSERT_TRUE(run.status) << run.status.error().detail;
  std::string text = text_of(run.client.trace());
  size_t line = 0;
  for (size_t width : line_widths(text)) EXPECT_LE(width, 80u) << "line " << ++line << ":\n" << text;
  EXPECT_NE(text.find("x.example.com:443)"), std::string::npos) << "the server's name is cut";
  tr::RenderOptions wide;
  wide.width = 120;
  std::ostringstream out;
  tr::render_text(run.client.trace(), out, wide);
  auto widths = line_widths(out.str());
  EXPECT_LE(*std::max_element(widths.begin(), widths.end()), 120u);
  EXPECT_GT(*std::max_element(widths.begin(), widths.end()), 80u) << "the width is not used";
}

// Every <text> of the SVG lies inside its viewBox, its extent estimated at the font's real
// advance (12 px DejaVu Sans Mono: 7.22 px a character) from its anchor.
TEST(TraceRender, SvgFitsEveryTextAndHasALegend) {
  TraceRun run;
  long_name_run(run);
  ASSERT_TRUE(run.status) << run.status.error().detail;
  std::string svg = svg_of(run.client.trace());
  std::smatch box;
  ASSERT_TRUE(std::regex_search(svg, box, std::regex("viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"")));
  double width = std::stod(box[1]), height = std::stod(box[2]);
  std::regex text_element("<text x=\"([0-9.-]+)\" y=\"([0-9.-]+)\"[^>]*text-anchor=\"([a-z]+)\"[^>]*>([^<]*)</text>");
  size_t texts = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text_element);
       it != std::sregex_iterator(); ++it) {
    ++texts;
    const std::smatch& m = *it;
    std::string content = std::regex_replace(m[4].str(), std::regex("&[a-z]+;"), "_");
    double x = std::stod(m[1]), y = std::stod(m[2]), w = 7.22 * static_cast<double>(content.size());
    double left = m[3] == "start" ? x : m[3] == "middle" ? x - w / 2 : x - w;
    EXPECT_GE(left, 0) << content;
    EXPECT_LE(left + w, width) << content;
    EXPECT_GT(y, 0) << content;
    EXPECT_LE(y, height) << content;
  }
  EXPECT_GT(texts, 20u);
  EXPECT_NE(svg.find("<g class=\"legend\">"), std::string::npos);
  EXPECT_NE(svg.find("x.example.com:443)"), std::string::npos) << "the server's name is cut";
  for (const char* meaning : {"plaintext", "under handshake keys", "under application keys"})
    EXPECT_NE(svg.find(meaning), std::string::npos) << meaning;
}

}  // namespace
}  // namespace tern::testing
