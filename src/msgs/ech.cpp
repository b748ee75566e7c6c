// SPDX-License-Identifier: Apache-2.0
#include "msgs/ech.h"

#include <algorithm>

#include "base/reader.h"
#include "base/writer.h"

namespace tern::msgs {
namespace {

Error malformed(const std::string& what) {
  return Error(Errc::decode, "ECH: " + what, Alert::decode_error);
}

Error illegal_ech(const std::string& what) {
  return Error(Errc::protocol, "ECH: " + what, Alert::illegal_parameter);
}

Result<EchConfig> parse_contents(BytesView contents, BytesView encoded) {
  base::Reader r(contents);
  EchConfig c;
  BytesView public_key, suites, name, extensions;
  if (!r.u8(c.config_id) || !r.u16(c.kem_id) || !r.vec16(public_key) || !r.vec16(suites))
    return malformed("ECHConfig: truncated key config");
  if (public_key.empty()) return malformed("ECHConfig: empty public key");
  if (suites.size() < 4 || suites.size() % 4 != 0)
    return malformed("ECHConfig: the cipher suite list is not a non-empty list of 4-byte suites");
  if (!r.u8(c.maximum_name_length) || !r.vec8(name) || !r.vec16(extensions) || !r.empty())
    return malformed("ECHConfig: truncated or trailing bytes after the key config");
  if (name.empty()) return malformed("ECHConfig: empty public_name");
  c.public_key.assign(public_key.begin(), public_key.end());
  base::Reader s(suites);
  while (!s.empty()) {
    HpkeSymmetricSuite suite;
    s.u16(suite.kdf_id);
    s.u16(suite.aead_id);
    c.cipher_suites.push_back(suite);
  }
  c.public_name.assign(name.begin(), name.end());
  base::Reader e(extensions);
  while (!e.empty()) {
    EchConfigExtension ext;
    BytesView data;
    if (!e.u16(ext.type) || !e.vec16(data)) return malformed("ECHConfig: malformed extension");
    for (const auto& seen : c.extensions)
      if (seen.type == ext.type) return malformed("ECHConfig: duplicate extension");
    ext.data.assign(data.begin(), data.end());
    c.extensions.push_back(std::move(ext));
  }
  c.encoded.assign(encoded.begin(), encoded.end());
  return c;
}

// Splits a ClientHello body up to its extensions; `extensions` gets their contents.
struct HelloParts {
  BytesView head;  // legacy_version and random
  BytesView session_id, cipher_suites, compression, extensions, rest;
};

bool split_hello(BytesView body, HelloParts& p) {
  base::Reader r(body);
  if (!r.bytes(2 + 32, p.head) || !r.vec8(p.session_id) || !r.vec16(p.cipher_suites) ||
      !r.vec8(p.compression) || !r.vec16(p.extensions))
    return false;
  p.rest = r.rest();
  return true;
}

}  // namespace

Bytes EchConfig::encode() const {
  base::Writer w;
  w.u16(kEchConfigVersion);
  w.vec16([&] {
    w.u8(config_id);
    w.u16(kem_id);
    w.vec16([&] { w.bytes(public_key); });
    w.vec16([&] {
      for (const auto& s : cipher_suites) {
        w.u16(s.kdf_id);
        w.u16(s.aead_id);
      }
    });
    w.u8(maximum_name_length);
    w.vec8([&] { w.bytes(std::string_view(public_name)); });
    w.vec16([&] {
      for (const auto& e : extensions) {
        w.u16(e.type);
        w.vec16([&] { w.bytes(e.data); });
      }
    });
  });
  return w.take();
}

Result<EchConfigList> parse_ech_config_list(BytesView list) {
  base::Reader outer(list);
  base::Reader r;
  if (!outer.vec16(r) || !outer.empty())
    return malformed("ECHConfigList: its length does not match its contents");
  if (r.remaining() < 4) return malformed("ECHConfigList: empty");
  EchConfigList out;
  while (!r.empty()) {
    BytesView start = r.rest();
    uint16_t version = 0;
    BytesView contents;
    if (!r.u16(version) || !r.vec16(contents))
      return malformed("ECHConfigList: an ECHConfig's length runs past the list");
    if (version != kEchConfigVersion) {
      ++out.skipped_versions;
      continue;
    }
    BytesView encoded = start.first(start.size() - r.remaining());
    TERN_TRY(auto config, parse_contents(contents, encoded));
    out.configs.push_back(std::move(config));
  }
  return out;
}

Bytes encode_ech_config_list(const std::vector<BytesView>& configs) {
  base::Writer w;
  w.vec16([&] {
    for (BytesView c : configs) w.bytes(c);
  });
  return w.take();
}

bool valid_public_name(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.') return false;
  size_t label = 0;
  bool last_all_digits = true;
  for (size_t i = 0; i < name.size(); ++i) {
    char ch = name[i];
    if (ch == '.') {
      if (label == 0 || name[i - 1] == '-') return false;
      label = 0;
      last_all_digits = true;
      continue;
    }
    bool digit = ch >= '0' && ch <= '9';
    bool ldh = digit || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-';
    if (!ldh || (label == 0 && ch == '-') || ++label > 63) return false;
    if (!digit) last_all_digits = false;
  }
  return name.back() != '-' && !last_all_digits;
}

Result<EchClientHello> EchClientHello::parse(BytesView body) {
  base::Reader r(body);
  EchClientHello h;
  uint8_t type = 0;
  if (!r.u8(type)) return malformed("encrypted_client_hello: empty");
  if (type == static_cast<uint8_t>(EchClientHelloType::inner)) {
    if (!r.empty()) return malformed("encrypted_client_hello: an inner one must be empty");
    h.type = EchClientHelloType::inner;
    return h;
  }
  if (type != static_cast<uint8_t>(EchClientHelloType::outer))
    return illegal_ech("encrypted_client_hello: unknown type " + std::to_string(type));
  BytesView enc, payload;
  if (!r.u16(h.cipher_suite.kdf_id) || !r.u16(h.cipher_suite.aead_id) || !r.u8(h.config_id) ||
      !r.vec16(enc) || !r.vec16(payload) || !r.empty())
    return malformed("encrypted_client_hello: malformed outer extension");
  if (payload.empty()) return malformed("encrypted_client_hello: empty payload");
  h.enc.assign(enc.begin(), enc.end());
  h.payload.assign(payload.begin(), payload.end());
  return h;
}

Bytes EchClientHello::encode() const {
  base::Writer w;
  w.u8(static_cast<uint8_t>(type));
  if (type == EchClientHelloType::inner) return w.take();
  w.u16(cipher_suite.kdf_id);
  w.u16(cipher_suite.aead_id);
  w.u8(config_id);
  w.vec16([&] { w.bytes(enc); });
  w.vec16([&] { w.bytes(payload); });
  return w.take();
}

Result<std::vector<ExtensionType>> parse_outer_extensions(BytesView body) {
  base::Reader r(body), list;
  if (!r.vec8(list) || !r.empty() || list.remaining() < 2 || list.remaining() % 2 != 0)
    return malformed("ech_outer_extensions: malformed list");
  std::vector<ExtensionType> types;
  while (!list.empty()) {
    uint16_t t = 0;
    list.u16(t);
    types.push_back(static_cast<ExtensionType>(t));
  }
  return types;
}

Bytes encode_outer_extensions(const std::vector<ExtensionType>& types) {
  base::Writer w;
  w.vec8([&] {
    for (auto t : types) w.u16(static_cast<uint16_t>(t));
  });
  return w.take();
}

Result<Bytes> decode_client_hello_inner(BytesView encoded_inner, BytesView outer_body) {
  HelloParts in, out;
  if (!split_hello(encoded_inner, in))
    return malformed("the decrypted EncodedClientHelloInner is not a ClientHello");
  if (!split_hello(outer_body, out)) return malformed("the ClientHelloOuter is malformed");
  if (!in.session_id.empty())
    return illegal_ech("the EncodedClientHelloInner has a legacy_session_id");
  if (std::any_of(in.rest.begin(), in.rest.end(), [](uint8_t b) { return b != 0; }))
    return illegal_ech("the EncodedClientHelloInner's padding is not all zeros");
  base::Writer w;
  w.bytes(in.head);
  w.vec8([&] { w.bytes(out.session_id); });
  w.vec16([&] { w.bytes(in.cipher_suites); });
  w.vec8([&] { w.bytes(in.compression); });
  std::optional<Error> failure;
  bool expanded = false;
  base::Reader outer_exts(out.extensions);
  bool fits = w.vec16([&] {
    base::Reader r(in.extensions);
    while (!r.empty() && !failure) {
      uint16_t type = 0;
      BytesView data;
      if (!r.u16(type) || !r.vec16(data)) {
        failure = malformed("the EncodedClientHelloInner's extensions are malformed");
        break;
      }
      if (static_cast<ExtensionType>(type) != kEchOuterExtensions) {
        w.u16(type);
        w.vec16([&] { w.bytes(data); });
        continue;
      }
      if (expanded) {
        failure = illegal_ech("ech_outer_extensions appears twice");
        break;
      }
      expanded = true;
      auto types = parse_outer_extensions(data);
      if (!types) {
        failure = types.error();
        break;
      }
      // Each reference is found by a scan that only moves forward through the outer
      // extensions, so the work stays linear (§5.1 requires the same order).
      for (ExtensionType t : *types) {
        if (t == ExtensionType::encrypted_client_hello) {
          failure = illegal_ech("ech_outer_extensions references encrypted_client_hello");
          break;
        }
        bool found = false;
        while (!outer_exts.empty()) {
          BytesView before = outer_exts.rest();
          uint16_t outer_type = 0;
          BytesView outer_data;
          if (!outer_exts.u16(outer_type) || !outer_exts.vec16(outer_data)) break;
          if (outer_type == static_cast<uint16_t>(t)) {
            w.bytes(before.first(before.size() - outer_exts.remaining()));
            found = true;
            break;
          }
        }
        if (!found) {
          failure = illegal_ech("ech_outer_extensions references " + to_string(t) +
                                ", which the ClientHelloOuter lacks (or has in another order)");
          break;
        }
      }
    }
  });
  if (failure) return *failure;
  if (!fits) return illegal_ech("the ClientHelloInner's extensions exceed 65535 bytes");
  return frame_handshake(HandshakeType::client_hello, w.data());
}

Bytes encode_client_hello_inner(const ClientHello& inner, const std::vector<ExtensionType>& compress,
                                size_t maximum_name_length, size_t server_name_length) {
  base::Writer w;
  w.u16(static_cast<uint16_t>(inner.legacy_version));
  w.bytes(inner.random);
  w.u8(0);  // legacy_session_id: the outer hello's
  w.vec16([&] {
    for (auto s : inner.cipher_suites) w.u16(static_cast<uint16_t>(s));
  });
  w.vec8([&] { w.bytes(inner.legacy_compression_methods); });
  bool compressed = false;
  w.vec16([&] {
    for (const auto& ext : inner.extensions) {
      if (std::find(compress.begin(), compress.end(), ext.type) != compress.end()) {
        if (!compressed) {
          w.u16(static_cast<uint16_t>(kEchOuterExtensions));
          w.vec16([&] { w.bytes(encode_outer_extensions(compress)); });
        }
        compressed = true;
        continue;
      }
      w.u16(static_cast<uint16_t>(ext.type));
      w.vec16([&] { w.bytes(encode_extension_body(ext.body)); });
    }
  });
  // §6.1.3: hide the SNI's length, then round the whole to a multiple of 32.
  size_t padding = server_name_length > 0
                       ? (maximum_name_length > server_name_length
                              ? maximum_name_length - server_name_length
                              : 0)
                       : maximum_name_length + 9;
  size_t length = w.size() + padding;
  padding += 31 - ((length - 1) % 32);
  w.zeros(padding);
  return w.take();
}

}  // namespace tern::msgs
