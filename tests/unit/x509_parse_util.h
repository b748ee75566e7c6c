// SPDX-License-Identifier: Apache-2.0
// Test helpers for the X.509 parser tests: fixture loading and a tiny DER tree that
// lets a test take a real certificate apart, change one thing and put it back together
// with correct lengths (trusted input only; this is not the parser under test).
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "tern/bytes.h"
#include "x509/certificate.h"

namespace tern::x509::testing {

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(TERN_TEST_DATA_DIR) + "/x509/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << name << " (run tests/data/x509/make.sh)";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The DER of the first PEM block of a fixture.
inline Bytes fixture_der(const std::string& name) {
  auto blocks = base::parse_pem(read_fixture(name));
  EXPECT_TRUE(blocks.ok() && !blocks->empty()) << name;
  if (!blocks.ok() || blocks->empty()) return {};
  return (*blocks)[0].der;
}

struct Node {
  uint8_t tag = 0;
  Bytes contents;              // primitive elements
  std::vector<Node> children;  // constructed elements
  bool long_length = false;    // encode the length in a non-minimal long form (BER)

  bool constructed() const { return tag & 0x20; }
  Node& operator[](size_t i) { return children.at(i); }
};

inline Node decode(BytesView der, size_t* used = nullptr) {
  Node n;
  n.tag = der[0];
  size_t len = der[1], header = 2;
  if (len & 0x80) {
    size_t count = len & 0x7f;
    len = 0;
    for (size_t i = 0; i < count; ++i) len = len << 8 | der[2 + i];
    header += count;
  }
  BytesView body = der.subspan(header, len);
  if (n.constructed()) {
    while (!body.empty()) {
      size_t child_used = 0;
      n.children.push_back(decode(body, &child_used));
      body = body.subspan(child_used);
    }
  } else {
    n.contents.assign(body.begin(), body.end());
  }
  if (used) *used = header + len;
  return n;
}

inline Bytes encode(const Node& n) {
  Bytes body;
  if (n.constructed()) {
    for (const Node& c : n.children) {
      Bytes e = encode(c);
      body.insert(body.end(), e.begin(), e.end());
    }
  } else {
    body = n.contents;
  }
  Bytes out{n.tag};
  size_t len = body.size();
  if (len < 0x80 && !n.long_length) {
    out.push_back(static_cast<uint8_t>(len));
  } else {
    Bytes len_bytes;
    for (size_t l = len; l; l >>= 8) len_bytes.insert(len_bytes.begin(), static_cast<uint8_t>(l));
    if (len_bytes.empty() || n.long_length) len_bytes.insert(len_bytes.begin(), 0);
    out.push_back(static_cast<uint8_t>(0x80 | len_bytes.size()));
    out.insert(out.end(), len_bytes.begin(), len_bytes.end());
  }
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

inline Node primitive(uint8_t tag, Bytes contents) {
  Node n;
  n.tag = tag;
  n.contents = std::move(contents);
  return n;
}
inline Node constructed(uint8_t tag, std::vector<Node> children) {
  Node n;
  n.tag = tag;
  n.children = std::move(children);
  return n;
}
inline Node text(uint8_t tag, const std::string& s) {
  return primitive(tag, Bytes(s.begin(), s.end()));
}

// A certificate's parts: cert = SEQ { tbs, signatureAlgorithm, signatureValue }.
inline Node& tbs_of(Node& cert) { return cert[0]; }
// The index of the tbsCertificate's field after the optional version.
inline Node& tbs_field(Node& cert, size_t i) {
  Node& tbs = tbs_of(cert);
  return tbs[tbs[0].tag == 0xa0 ? i + 1 : i];
}
enum TbsField : size_t { kSerial = 0, kSignature, kIssuer, kValidity, kSubject, kSpki };
// The Extensions SEQUENCE inside [3].
inline Node& extensions_of(Node& cert) { return tbs_of(cert).children.back()[0]; }

// The extension with dotted OID contents `id`, decoded extnValue in `value`.
inline Node* find_extension(Node& cert, const Bytes& id) {
  for (Node& e : extensions_of(cert).children)
    if (e[0].contents == id) return &e;
  return nullptr;
}

inline Node make_extension(const Bytes& id, bool critical, const Bytes& value) {
  Node e = constructed(0x30, {primitive(0x06, id)});
  if (critical) e.children.push_back(primitive(0x01, {0xff}));
  e.children.push_back(primitive(0x04, value));
  return e;
}

inline Result<std::shared_ptr<const Certificate>> reparse(const Node& cert) {
  return parse_certificate(encode(cert));
}

}  // namespace tern::x509::testing
