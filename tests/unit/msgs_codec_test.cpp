// SPDX-License-Identifier: Apache-2.0
// The codec's rules, one by one: malformed input is decode_error naming the message and
// field, forbidden values are illegal_parameter, unknown values pass through untouched.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "base/encoding.h"
#include "base/writer.h"
#include "msgs/handshake.h"

namespace tern::msgs {
namespace {

using ET = ExtensionType;

Bytes cat(std::initializer_list<BytesView> parts) {
  Bytes out;
  for (BytesView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes u16(uint16_t v) { return {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)}; }

// type + 2-byte length + data.
Bytes ext(uint16_t type, const Bytes& data) {
  return cat({u16(type), u16(static_cast<uint16_t>(data.size())), data});
}
Bytes vec8(const Bytes& data) { return cat({Bytes{static_cast<uint8_t>(data.size())}, data}); }
Bytes vec16(const Bytes& data) { return cat({u16(static_cast<uint16_t>(data.size())), data}); }

// A ClientHello body with each field replaceable.
struct HelloBuilder {
  Bytes session_id;
  Bytes suites = {0x13, 0x01};
  Bytes compression = {0};
  std::optional<Bytes> extensions = Bytes{};  // contents; nullopt = block left out
  Bytes trailing;

  Bytes body() const {
    Bytes out =
        cat({u16(0x0303), Bytes(32, 0x11), vec8(session_id), vec16(suites), vec8(compression)});
    if (extensions) out = cat({out, vec16(*extensions)});
    return cat({out, trailing});
  }
};

template <typename T>
void expect_error(const Result<T>& result, Alert alert, const std::string& fragment) {
  ASSERT_FALSE(result.ok()) << "expected an error mentioning \"" << fragment << "\"";
  EXPECT_EQ(result.error().alert, alert) << result.error();
  EXPECT_EQ(result.error().code, alert == Alert::decode_error ? Errc::decode : Errc::protocol);
  EXPECT_NE(result.error().detail.find(fragment), std::string::npos) << result.error();
}

Result<ClientHello> hello_with(std::initializer_list<Bytes> extensions) {
  HelloBuilder b;
  b.extensions = Bytes{};
  for (const Bytes& e : extensions) b.extensions = cat({*b.extensions, e});
  return ClientHello::parse(b.body());
}

// ---- code points ----

TEST(MsgsCodes, NamesAndUnknownValues) {
  EXPECT_STREQ(name(CipherSuite::tls_aes_128_gcm_sha256), "TLS_AES_128_GCM_SHA256");
  EXPECT_STREQ(name(CipherSuite::tls_fallback_scsv), "TLS_FALLBACK_SCSV");
  EXPECT_EQ(to_string(NamedGroup::x25519_mlkem768), "X25519MLKEM768");
  EXPECT_EQ(wire(NamedGroup::secp384r1_mlkem1024), 0x11ED);
  EXPECT_EQ(to_string(SignatureScheme::rsa_pss_rsae_sha256), "rsa_pss_rsae_sha256");
  EXPECT_EQ(to_string(HandshakeType::message_hash), "message_hash");
  EXPECT_EQ(to_string(ProtocolVersion::tls13), "TLSv1.3");
  EXPECT_EQ(name(static_cast<CipherSuite>(0x1234)), nullptr);
  EXPECT_EQ(to_string(static_cast<CipherSuite>(0x1234)), "unknown(0x1234)");
  EXPECT_EQ(to_string(static_cast<ExtensionType>(0x3a3a)), "GREASE(0x3a3a)");
  EXPECT_EQ(to_string(static_cast<PskKeyExchangeMode>(7)), "unknown(0x07)");
  EXPECT_STREQ(name(Alert::decode_error), alert_name(Alert::decode_error));
}

TEST(MsgsCodes, GreaseValues) {
  for (unsigned i = 0; i < 16; ++i) {
    auto v = static_cast<uint16_t>((i << 12) | 0x0a00 | (i << 4) | 0x0a);
    EXPECT_TRUE(is_grease(v)) << v;
  }
  EXPECT_FALSE(is_grease(0x0a1a));
  EXPECT_FALSE(is_grease(0x1301));
  EXPECT_FALSE(is_grease(0x0a0b));
}

// ---- ClientHello ----

TEST(MsgsClientHello, MinimalTls12HelloWithoutExtensions) {
  HelloBuilder b;
  b.extensions.reset();
  Bytes body = b.body();
  auto hello = ClientHello::parse(body);
  ASSERT_TRUE(hello.ok()) << hello.error();
  EXPECT_TRUE(hello->extensions_absent);
  EXPECT_EQ(hello->encode(), frame_handshake(HandshakeType::client_hello, body));
  EXPECT_TRUE(hello->offers(CipherSuite::tls_aes_128_gcm_sha256));
  EXPECT_FALSE(hello->offers(CipherSuite::tls_aes_256_gcm_sha384));
}

TEST(MsgsClientHello, CipherSuitesOddLength) {
  HelloBuilder b;
  b.suites = {0x13, 0x01, 0x13};
  expect_error(ClientHello::parse(b.body()), Alert::decode_error,
               "ClientHello: cipher_suites length 3 is odd");
}

TEST(MsgsClientHello, EmptyVectorsWithAMinimum) {
  HelloBuilder b;
  b.suites = {};
  expect_error(ClientHello::parse(b.body()), Alert::decode_error, "cipher_suites is empty");
  b = HelloBuilder{};
  b.compression = {};
  expect_error(ClientHello::parse(b.body()), Alert::decode_error,
               "legacy_compression_methods is empty");
}

TEST(MsgsClientHello, SessionIdOver32Bytes) {
  HelloBuilder b;
  b.session_id = Bytes(33, 1);
  expect_error(ClientHello::parse(b.body()), Alert::decode_error, "legacy_session_id length 33");
  b.session_id = Bytes(32, 1);
  EXPECT_TRUE(ClientHello::parse(b.body()).ok());
}

TEST(MsgsClientHello, TrailingBytes) {
  HelloBuilder b;
  b.trailing = {0x00};
  expect_error(ClientHello::parse(b.body()), Alert::decode_error, "ClientHello: 1 trailing bytes");
}

TEST(MsgsClientHello, ExtensionsBlockLongerThanMessage) {
  HelloBuilder b;
  b.extensions.reset();
  b.trailing = {0x00, 0x10, 0x00};
  expect_error(ClientHello::parse(b.body()), Alert::decode_error, "extensions length");
}

TEST(MsgsClientHello, DuplicateExtensionIsIllegal) {
  expect_error(hello_with({ext(23, {}), ext(0x0a0a, {}), ext(23, {})}), Alert::illegal_parameter,
               "extended_master_secret appears more than once");
  // GREASE duplicates are duplicates too.
  expect_error(hello_with({ext(0x0a0a, {}), ext(0x0a0a, {1})}), Alert::illegal_parameter,
               "GREASE(0x0a0a)");
}

Bytes psk_offer_body() {
  Bytes identity = cat({vec16({1, 2, 3}), Bytes{0, 0, 0, 7}});
  Bytes binder = vec8(Bytes(32, 0xbb));
  return cat({vec16(identity), vec16(binder)});
}

TEST(MsgsClientHello, PreSharedKeyMustBeLast) {
  expect_error(hello_with({ext(41, psk_offer_body()), ext(23, {})}), Alert::illegal_parameter,
               "pre_shared_key is extension 1 of 2");
  auto ok = hello_with({ext(23, {}), ext(41, psk_offer_body())});
  ASSERT_TRUE(ok.ok()) << ok.error();
  auto* offer = ok->get<PreSharedKeyOffer>(ET::pre_shared_key);
  ASSERT_TRUE(offer);
  ASSERT_EQ(offer->identities.size(), 1u);
  EXPECT_EQ(offer->identities[0].identity, (Bytes{1, 2, 3}));
  EXPECT_EQ(offer->identities[0].obfuscated_ticket_age, 7u);
  EXPECT_EQ(offer->binders_wire_length(), 2u + 1u + 32u);
}

TEST(MsgsClientHello, TruncatedClientHelloNeedsAPskOffer) {
  auto hello = hello_with({ext(23, {})});
  ASSERT_TRUE(hello.ok());
  Bytes encoded = hello->encode();
  EXPECT_FALSE(truncated_client_hello(encoded, *hello).ok());
}

TEST(MsgsClientHello, GreaseAndUnknownPassThroughInOrder) {
  HelloBuilder b;
  b.suites = {0x3a, 0x3a, 0x13, 0x01};
  b.extensions = cat({ext(0x2a2a, {}), ext(0x1234, {9, 8, 7}), ext(10, vec16({0x4a, 0x4a, 0, 29})),
                      ext(0xfafa, {0})});
  Bytes body = b.body();
  auto hello = ClientHello::parse(body);
  ASSERT_TRUE(hello.ok()) << hello.error();
  EXPECT_EQ(wire(hello->cipher_suites[0]), 0x3a3a);
  ASSERT_EQ(hello->extensions.size(), 4u);
  EXPECT_EQ(wire(hello->extensions[0].type), 0x2a2a);
  ASSERT_TRUE(hello->extensions[1].get<RawExtension>());
  EXPECT_EQ(hello->extensions[1].get<RawExtension>()->data, (Bytes{9, 8, 7}));
  auto* groups = hello->get<NamedGroupList>(ET::supported_groups);
  ASSERT_TRUE(groups);
  EXPECT_EQ(wire(groups->groups[0]), 0x4a4a);
  EXPECT_EQ(groups->groups[1], NamedGroup::x25519);
  EXPECT_EQ(hello->encode(), frame_handshake(HandshakeType::client_hello, body));
  EXPECT_EQ(to_string(hello->extensions[2]), "supported_groups: GREASE(0x4a4a), x25519");
}

// ---- extension bodies (in a ClientHello unless said otherwise) ----

TEST(MsgsExtensions, EmptyListsWithAMinimumAreDecodeErrors) {
  const std::pair<uint16_t, Bytes> cases[] = {
      {10, vec16({})},  // supported_groups
      {13, vec16({})},  // signature_algorithms
      {50, vec16({})},  // signature_algorithms_cert
      {43, vec8({})},   // supported_versions
      {45, vec8({})},   // psk_key_exchange_modes
      {11, vec8({})},   // ec_point_formats
      {16, vec16({})},  // ALPN
      {0, vec16({})},   // server_name
      {44, vec16({})},  // cookie
      {47, vec16({})},  // certificate_authorities
  };
  for (const auto& [type, body] : cases) {
    SCOPED_TRACE(to_string(static_cast<ExtensionType>(type)));
    expect_error(hello_with({ext(type, body)}), Alert::decode_error, "empty");
  }
}

TEST(MsgsExtensions, OddLengthCodePointLists) {
  expect_error(hello_with({ext(10, vec16({0, 29, 0}))}), Alert::decode_error,
               "ClientHello: supported_groups extension: named_group_list length 3 is odd");
  expect_error(hello_with({ext(13, vec16({4, 3, 5}))}), Alert::decode_error, "is odd");
  expect_error(hello_with({ext(43, vec8({3, 4, 3}))}), Alert::decode_error, "is odd");
}

TEST(MsgsExtensions, TrailingBytesInsideABody) {
  expect_error(hello_with({ext(10, cat({vec16({0, 29}), Bytes{0}}))}), Alert::decode_error,
               "supported_groups extension: 1 trailing bytes");
  expect_error(hello_with({ext(23, {0})}), Alert::decode_error,
               "extended_master_secret extension: expected an empty body");
}

TEST(MsgsExtensions, ServerName) {
  Bytes one = vec16(cat({Bytes{0}, vec16({'a', '.', 'b'})}));
  auto hello = hello_with({ext(0, one)});
  ASSERT_TRUE(hello.ok()) << hello.error();
  EXPECT_EQ(hello->get<ServerNameList>(ET::server_name)->host_names,
            std::vector<std::string>{"a.b"});
  expect_error(hello_with({ext(0, vec16(cat({Bytes{0}, vec16({})})))}), Alert::decode_error,
               "host_name is empty");
  expect_error(hello_with({ext(0, vec16(cat({Bytes{1}, vec16({'x'})})))}), Alert::decode_error,
               "unknown name_type 1");
  Bytes two = vec16(cat({Bytes{0}, vec16({'a'}), Bytes{0}, vec16({'b'})}));
  expect_error(hello_with({ext(0, two)}), Alert::illegal_parameter, "more than one host_name");
}

TEST(MsgsExtensions, KeyShareRules) {
  Bytes x25519 = cat({u16(29), vec16(Bytes(32, 1))});
  Bytes p256 = cat({u16(23), vec16(Bytes(65, 4))});
  auto hello = hello_with({ext(51, vec16(cat({x25519, p256})))});
  ASSERT_TRUE(hello.ok()) << hello.error();
  EXPECT_EQ(hello->get<KeyShareClientHello>(ET::key_share)->shares.size(), 2u);
  // An empty client_shares list is allowed (the client asks for a HelloRetryRequest).
  auto empty = hello_with({ext(51, vec16({}))});
  ASSERT_TRUE(empty.ok()) << empty.error();
  EXPECT_TRUE(empty->get<KeyShareClientHello>(ET::key_share)->shares.empty());
  // An empty key_exchange parses: the group's own length check refuses it if it is chosen
  // (illegal_parameter), and for an unknown group it is ignored.
  auto empty_share = hello_with({ext(51, vec16(cat({u16(29), vec16({})})))});
  ASSERT_TRUE(empty_share.ok()) << empty_share.error();
  EXPECT_TRUE(empty_share->get<KeyShareClientHello>(ET::key_share)->shares[0].key_exchange.empty());
  expect_error(hello_with({ext(51, vec16(cat({x25519, x25519})))}), Alert::illegal_parameter,
               "two shares for x25519");
  // Hundreds of shares (for groups tern does not know) are valid; a duplicate among them is
  // still found.
  Bytes many;
  for (uint16_t g = 0; g < 2000; ++g) many = cat({many, u16(0x100 + g), vec16({1})});
  auto hundreds = hello_with({ext(51, vec16(many))});
  ASSERT_TRUE(hundreds.ok()) << hundreds.error();
  EXPECT_EQ(hundreds->get<KeyShareClientHello>(ET::key_share)->shares.size(), 2000u);
  expect_error(hello_with({ext(51, vec16(cat({many, u16(0x100 + 1234), vec16({1})})))}),
               Alert::illegal_parameter, "two shares for");
}

TEST(MsgsExtensions, KeyShareInServerHelloAndRetryRequest) {
  auto share = parse_extension_body(ET::key_share, cat({u16(29), vec16(Bytes(32, 2))}),
                                    ExtensionContext::server_hello, "ServerHello");
  ASSERT_TRUE(share.ok());
  EXPECT_EQ(std::get<KeyShareServerHello>(*share).share.group, NamedGroup::x25519);
  auto hrr = parse_extension_body(ET::key_share, u16(0x11EC), ExtensionContext::hello_retry_request,
                                  "HelloRetryRequest");
  ASSERT_TRUE(hrr.ok());
  EXPECT_EQ(std::get<KeyShareHelloRetryRequest>(*hrr).selected_group, NamedGroup::x25519_mlkem768);
  expect_error(parse_extension_body(ET::key_share, cat({u16(0x11EC), Bytes{0}}),
                                    ExtensionContext::hello_retry_request, "HelloRetryRequest"),
               Alert::decode_error, "HelloRetryRequest: key_share extension: 1 trailing bytes");
}

TEST(MsgsExtensions, Alpn) {
  Bytes list = vec16(cat({vec8({'h', '2'}), vec8({'h', 't', 't', 'p', '/', '1', '.', '1'})}));
  auto hello = hello_with({ext(16, list)});
  ASSERT_TRUE(hello.ok()) << hello.error();
  EXPECT_EQ(hello->get<AlpnProtocols>(ET::application_layer_protocol_negotiation)->protocols,
            (std::vector<std::string>{"h2", "http/1.1"}));
  expect_error(hello_with({ext(16, vec16(vec8({})))}), Alert::decode_error, "empty protocol name");
  expect_error(hello_with({ext(16, vec16({5, 'h'}))}), Alert::decode_error,
               "protocol name length exceeds the list");
}

TEST(MsgsExtensions, RecordSizeLimitBelow64IsIllegal) {
  expect_error(hello_with({ext(28, u16(63))}), Alert::illegal_parameter, "limit 63 is below 64");
  auto ok = hello_with({ext(28, u16(64))});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->get<RecordSizeLimit>(ET::record_size_limit)->limit, 64);
  expect_error(hello_with({ext(28, {1})}), Alert::decode_error, "2-byte limit");
}

TEST(MsgsExtensions, PreSharedKeyRules) {
  Bytes identity = cat({vec16({1}), Bytes{0, 0, 0, 0}});
  Bytes binder = vec8(Bytes(32, 0xbb));
  expect_error(hello_with({ext(41, cat({vec16(cat({identity, identity})), vec16(binder)}))}),
               Alert::illegal_parameter, "2 identities but 1 binders");
  expect_error(hello_with({ext(41, cat({vec16(identity), vec16(vec8(Bytes(31, 0)))}))}),
               Alert::decode_error, "binder of 31 bytes is below 32");
  expect_error(hello_with({ext(41, cat({vec16({}), vec16(binder)}))}), Alert::decode_error,
               "identities list is empty");
  expect_error(hello_with({ext(41, cat({vec16(identity), vec16({})}))}), Alert::decode_error,
               "binders list is empty");
  auto selected = parse_extension_body(ET::pre_shared_key, u16(3), ExtensionContext::server_hello,
                                       "ServerHello");
  ASSERT_TRUE(selected.ok());
  EXPECT_EQ(std::get<PreSharedKeySelected>(*selected).selected_identity, 3);
}

TEST(MsgsExtensions, Tls12HelloExtensions) {
  auto hello = hello_with({ext(11, vec8({0})), ext(23, {}), ext(0xff01, vec8({})),
                           ext(35, {1, 2, 3}), ext(5, cat({Bytes{1}, vec16({}), vec16({})}))});
  ASSERT_TRUE(hello.ok()) << hello.error();
  EXPECT_EQ(hello->get<EcPointFormatList>(ET::ec_point_formats)->formats,
            std::vector<ECPointFormat>{ECPointFormat::uncompressed});
  EXPECT_TRUE(hello->get<EmptyExtension>(ET::extended_master_secret));
  EXPECT_TRUE(hello->get<RenegotiationInfo>(ET::renegotiation_info));
  EXPECT_EQ(hello->get<SessionTicketExtension>(ET::session_ticket)->ticket, (Bytes{1, 2, 3}));
  EXPECT_EQ(hello->get<StatusRequest>(ET::status_request)->status_type,
            CertificateStatusType::ocsp);
  // A status_type other than ocsp has no defined body: kept raw.
  auto other_status = hello_with({ext(5, {2, 0xff})});
  ASSERT_TRUE(other_status.ok()) << other_status.error();
  EXPECT_TRUE(other_status->get<RawExtension>(ET::status_request));
  expect_error(hello_with({ext(0xff01, {})}), Alert::decode_error,
               "renegotiated_connection length exceeds");
}

TEST(MsgsExtensions, CertificateAuthorities) {
  auto hello = hello_with({ext(47, vec16(cat({vec16({0x30, 0x00}), vec16({0x30, 0x01, 0x00})})))});
  ASSERT_TRUE(hello.ok()) << hello.error();
  EXPECT_EQ(hello->get<CertificateAuthorities>(ET::certificate_authorities)->names.size(), 2u);
  expect_error(hello_with({ext(47, vec16(vec16({})))}), Alert::decode_error,
               "empty DistinguishedName");
}

TEST(MsgsExtensions, KnownTypeInAnUninterpretedMessageStaysRaw) {
  auto body = parse_extension_body(ET::key_share, Bytes{1, 2},
                                   ExtensionContext::encrypted_extensions, "EncryptedExtensions");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(std::get<RawExtension>(*body).data, (Bytes{1, 2}));
}

TEST(MsgsExtensions, TruncatedExtensionHeader) {
  HelloBuilder b;
  b.extensions = Bytes{0x00, 0x0a, 0x00};
  expect_error(ClientHello::parse(b.body()), Alert::decode_error, "extension 1 is truncated");
}

TEST(MsgsExtensions, Tls13AllowedExtensionsTable) {
  using C = ExtensionContext;
  EXPECT_TRUE(tls13_allows(ET::key_share, C::hello_retry_request));
  EXPECT_FALSE(tls13_allows(ET::key_share, C::encrypted_extensions));
  EXPECT_TRUE(tls13_allows(ET::early_data, C::new_session_ticket));
  EXPECT_FALSE(tls13_allows(ET::early_data, C::server_hello));
  EXPECT_TRUE(tls13_allows(ET::status_request, C::certificate_entry));
  EXPECT_TRUE(tls13_allows(ET::oid_filters, C::certificate_request));
  EXPECT_FALSE(tls13_allows(ET::oid_filters, C::client_hello));
  EXPECT_TRUE(tls13_allows(ET::record_size_limit, C::encrypted_extensions));
  // TLS 1.2-only extensions ride along in a ClientHello but nowhere else.
  EXPECT_TRUE(tls13_allows(ET::extended_master_secret, C::client_hello));
  EXPECT_FALSE(tls13_allows(ET::extended_master_secret, C::encrypted_extensions));
  // Unknown and GREASE types are ignored, so always allowed.
  EXPECT_TRUE(tls13_allows(static_cast<ExtensionType>(0x7a7a), C::server_hello));
  EXPECT_TRUE(tls13_allows(static_cast<ExtensionType>(0x1234), C::certificate_entry));

  Extensions ee = {{ET::supported_groups, NamedGroupList{{NamedGroup::x25519}}},
                   {ET::key_share, RawExtension{{0, 29}}}};
  expect_error(check_tls13_extensions(ee, C::encrypted_extensions, "EncryptedExtensions"),
               Alert::illegal_parameter,
               "EncryptedExtensions: extension key_share is not allowed in EncryptedExtensions");
  ee.pop_back();
  EXPECT_TRUE(check_tls13_extensions(ee, C::encrypted_extensions, "EncryptedExtensions").ok());
}

TEST(MsgsExtensions, Tls12ServerHelloExtensionsAreTyped) {
  Bytes block = cat({ext(0xff01, vec8({})), ext(23, {}), ext(11, vec8({0})), ext(35, {}),
                     ext(16, vec16(vec8({'h', '2'}))), ext(0, {}), ext(5, {})});
  auto parsed = parse_extensions(block, ExtensionContext::server_hello, "ServerHello");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_TRUE(find_extension_body<RenegotiationInfo>(*parsed, ET::renegotiation_info));
  EXPECT_TRUE(find_extension_body<EmptyExtension>(*parsed, ET::extended_master_secret));
  EXPECT_TRUE(find_extension_body<EcPointFormatList>(*parsed, ET::ec_point_formats));
  EXPECT_TRUE(find_extension_body<SessionTicketExtension>(*parsed, ET::session_ticket));
  EXPECT_EQ(find_extension_body<AlpnProtocols>(*parsed, ET::application_layer_protocol_negotiation)
                ->protocols,
            std::vector<std::string>{"h2"});
  EXPECT_TRUE(find_extension_body<EmptyExtension>(*parsed, ET::server_name));
  EXPECT_TRUE(find_extension_body<EmptyExtension>(*parsed, ET::status_request));
  // TLS 1.3 CertificateRequest asks for the client's OCSP response with an empty body.
  auto request = parse_extensions(ext(5, {}), ExtensionContext::certificate_request, "CR");
  ASSERT_TRUE(request.ok()) << request.error();
  EXPECT_TRUE(find_extension_body<EmptyExtension>(*request, ET::status_request));
  // A server's server_name acknowledgement must be empty (RFC 6066 §3).
  expect_error(parse_extensions(ext(0, {1}), ExtensionContext::server_hello, "ServerHello"),
               Alert::decode_error, "server_name extension: expected an empty body");
}

// ---- ServerHello ----

Bytes server_hello_body(const Random& random, std::optional<Bytes> extensions) {
  Bytes out = cat({u16(0x0303), random, vec8({}), u16(0x1301), Bytes{0}});
  if (extensions) out = cat({out, vec16(*extensions)});
  return out;
}

TEST(MsgsServerHello, Tls12WithoutExtensionsRoundTrips) {
  Random random{};
  random[31] = 7;
  Bytes body = server_hello_body(random, std::nullopt);
  auto hello = ServerHello::parse(body);
  ASSERT_TRUE(hello.ok()) << hello.error();
  EXPECT_TRUE(hello->extensions_absent);
  EXPECT_FALSE(hello->is_hello_retry_request());
  EXPECT_EQ(hello->encode(), frame_handshake(HandshakeType::server_hello, body));
}

TEST(MsgsServerHello, RetryRequestIsDetectedByItsRandom) {
  Bytes body =
      server_hello_body(kHelloRetryRequestRandom, cat({ext(51, u16(23)), ext(43, u16(0x0304))}));
  auto hrr = ServerHello::parse(body);
  ASSERT_TRUE(hrr.ok()) << hrr.error();
  EXPECT_TRUE(hrr->is_hello_retry_request());
  EXPECT_EQ(hrr->get<KeyShareHelloRetryRequest>(ET::key_share)->selected_group,
            NamedGroup::secp256r1);
  // The same key_share body in a real ServerHello is a truncated KeyShareEntry.
  expect_error(ServerHello::parse(server_hello_body(Random{}, ext(51, u16(23)))),
               Alert::decode_error,
               "ServerHello: key_share extension: key_exchange length exceeds");
  expect_error(ServerHello::parse(server_hello_body(
                   kHelloRetryRequestRandom, cat({ext(44, vec16({1})), ext(44, vec16({2}))}))),
               Alert::illegal_parameter, "HelloRetryRequest: extension cookie appears more");
}

TEST(MsgsServerHello, DowngradeSentinelsAreTheRfcBytes) {
  EXPECT_EQ(base::hex(kDowngradeTls12Sentinel), "444f574e47524401");
  EXPECT_EQ(base::hex(kDowngradeTls11Sentinel), "444f574e47524400");
}

// ---- other TLS 1.3 messages ----

TEST(MsgsHandshake, KeyUpdate) {
  auto requested = KeyUpdate::parse(Bytes{1});
  ASSERT_TRUE(requested.ok());
  EXPECT_EQ(requested->request_update, KeyUpdateRequest::update_requested);
  EXPECT_EQ(requested->encode(), (Bytes{24, 0, 0, 1, 1}));
  expect_error(KeyUpdate::parse(Bytes{2}), Alert::illegal_parameter, "request_update 2");
  expect_error(KeyUpdate::parse(Bytes{}), Alert::decode_error, "KeyUpdate");
  expect_error(KeyUpdate::parse(Bytes{0, 0}), Alert::decode_error, "trailing");
}

TEST(MsgsHandshake, EmptyMessagesMustBeEmpty) {
  expect_error(EndOfEarlyData::parse(Bytes{0}), Alert::decode_error, "EndOfEarlyData");
  expect_error(ServerHelloDone::parse(Bytes{0}), Alert::decode_error, "ServerHelloDone");
  EXPECT_EQ(ServerHelloDone{}.encode(), (Bytes{14, 0, 0, 0}));
  expect_error(Finished::parse(Bytes{}), Alert::decode_error, "verify_data is empty");
}

TEST(MsgsHandshake, Certificate13Rules) {
  Bytes entry = cat({Bytes{0, 0, 2, 0x30, 0x00}, vec16({})});
  auto list = [](const Bytes& entries) {
    return cat(
        {Bytes{static_cast<uint8_t>(entries.size() >> 16),
               static_cast<uint8_t>(entries.size() >> 8), static_cast<uint8_t>(entries.size())},
         entries});
  };
  auto empty_chain = Certificate13::parse(cat({vec8({7}), list({})}));
  ASSERT_TRUE(empty_chain.ok());
  EXPECT_EQ(empty_chain->certificate_request_context, Bytes{7});
  expect_error(Certificate13::parse(cat({vec8({}), list(cat({Bytes{0, 0, 0}, vec16({})}))})),
               Alert::decode_error, "Certificate: certificate 0: cert_data is empty");
  Bytes many;
  for (size_t i = 0; i <= kMaxCertificateChainLength; ++i) many = cat({many, entry});
  expect_error(Certificate13::parse(cat({vec8({}), list(many)})), Alert::illegal_parameter,
               "more than 32 certificates");
  // A stapled OCSP response in an entry's extensions.
  Bytes ocsp = ext(5, cat({Bytes{1}, Bytes{0, 0, 3, 0xaa, 0xbb, 0xcc}}));
  Bytes with_status = cat({Bytes{0, 0, 2, 0x30, 0x00}, vec16(ocsp)});
  Bytes body = cat({vec8({}), list(with_status)});
  auto stapled = Certificate13::parse(body);
  ASSERT_TRUE(stapled.ok()) << stapled.error();
  auto* status = find_extension_body<CertificateStatus>(stapled->certificate_list[0].extensions,
                                                        ET::status_request);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->ocsp_response, (Bytes{0xaa, 0xbb, 0xcc}));
  EXPECT_EQ(stapled->encode(), frame_handshake(HandshakeType::certificate, body));
}

TEST(MsgsHandshake, CertificateRequest13NeedsExtensions) {
  expect_error(CertificateRequest13::parse(cat({vec8({}), vec16({})})), Alert::decode_error,
               "CertificateRequest: extensions is empty");
}

TEST(MsgsHandshake, NewSessionTicket13Rules) {
  Bytes head = {0, 0, 0, 1, 0, 0, 0, 2};
  expect_error(NewSessionTicket13::parse(cat({head, vec8({}), vec16({}), vec16({})})),
               Alert::decode_error, "NewSessionTicket: ticket is empty");
  Bytes body = cat({head, vec8({}), vec16({9}), vec16(ext(42, {0, 0, 0x40, 0}))});
  auto nst = NewSessionTicket13::parse(body);
  ASSERT_TRUE(nst.ok()) << nst.error();
  EXPECT_EQ(find_extension_body<EarlyDataMax>(nst->extensions, ET::early_data)->max_early_data_size,
            0x4000u);
  EXPECT_EQ(nst->encode(), frame_handshake(HandshakeType::new_session_ticket, body));
}

TEST(MsgsHandshake, MessageHashAndFraming) {
  Bytes hash(32, 0x5a);
  Bytes message = encode_message_hash(hash);
  ASSERT_EQ(message.size(), 36u);
  EXPECT_EQ(base::hex(BytesView(message).first(4)), "fe000020");
  auto view = split_handshake(message);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->type, HandshakeType::message_hash);
  expect_error(split_handshake(cat({message, Bytes{0}})), Alert::decode_error, "trailing");
}

// ---- TLS 1.2 messages ----

TEST(MsgsTls12, CertificateRoundTripAndEmptyEntry) {
  Bytes body = {0, 0, 10, 0, 0, 2, 0x30, 0x00, 0, 0, 2, 0x30, 0x00};
  auto cert = Certificate12::parse(body);
  ASSERT_TRUE(cert.ok()) << cert.error();
  EXPECT_EQ(cert->certificate_list.size(), 2u);
  EXPECT_EQ(cert->encode(), frame_handshake(HandshakeType::certificate, body));
  expect_error(Certificate12::parse(Bytes{0, 0, 3, 0, 0, 0}), Alert::decode_error,
               "certificate 0 is empty");
  auto none = Certificate12::parse(Bytes{0, 0, 0});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->certificate_list.empty());
}

TEST(MsgsTls12, CertificateRequest) {
  Bytes body = cat({vec8({1, 64}), vec16({4, 3, 8, 4}), vec16(vec16({0x30, 0x00}))});
  auto request = CertificateRequest12::parse(body);
  ASSERT_TRUE(request.ok()) << request.error();
  EXPECT_EQ(request->certificate_types,
            (std::vector<CertificateType>{CertificateType::rsa_sign, CertificateType::ecdsa_sign}));
  EXPECT_EQ(request->signature_schemes,
            (std::vector<SignatureScheme>{SignatureScheme::ecdsa_secp256r1_sha256,
                                          SignatureScheme::rsa_pss_rsae_sha256}));
  EXPECT_EQ(request->certificate_authorities.size(), 1u);
  EXPECT_EQ(request->encode(), frame_handshake(HandshakeType::certificate_request, body));
  expect_error(CertificateRequest12::parse(cat({vec8({}), vec16({4, 3}), vec16({})})),
               Alert::decode_error, "certificate_types is empty");
  expect_error(CertificateRequest12::parse(cat({vec8({1}), vec16({4, 3, 8}), vec16({})})),
               Alert::decode_error, "supported_signature_algorithms length 3 is odd");
}

TEST(MsgsTls12, ServerKeyExchange) {
  Bytes point(65, 0x04);
  Bytes params = cat({Bytes{3}, u16(23), vec8(point)});
  Bytes body = cat({params, u16(0x0403), vec16({0x30, 0x01, 0x02})});
  auto ske = ServerKeyExchangeEcdhe::parse(body);
  ASSERT_TRUE(ske.ok()) << ske.error();
  EXPECT_EQ(ske->group, NamedGroup::secp256r1);
  EXPECT_EQ(ske->public_key, point);
  EXPECT_EQ(ske->scheme, SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_EQ(ske->encode_params(), params);
  EXPECT_EQ(ske->encode(), frame_handshake(HandshakeType::server_key_exchange, body));
  Bytes explicit_curve = body;
  explicit_curve[0] = 1;
  expect_error(ServerKeyExchangeEcdhe::parse(explicit_curve), Alert::illegal_parameter,
               "curve_type 1 is not named_curve(3)");
  expect_error(
      ServerKeyExchangeEcdhe::parse(cat({Bytes{3}, u16(29), vec8({}), u16(0x0403), vec16({1})})),
      Alert::decode_error, "public point is empty");
  expect_error(ServerKeyExchangeEcdhe::parse(params), Alert::decode_error,
               "truncated signature algorithm");
}

TEST(MsgsTls12, ClientKeyExchangeBothKinds) {
  Bytes ecdhe_body = vec8(Bytes(32, 9));
  auto ecdhe = ClientKeyExchangeEcdhe::parse(ecdhe_body);
  ASSERT_TRUE(ecdhe.ok());
  EXPECT_EQ(ecdhe->encode(), frame_handshake(HandshakeType::client_key_exchange, ecdhe_body));
  expect_error(ClientKeyExchangeEcdhe::parse(vec8({})), Alert::decode_error, "ecdh_Yc is empty");
  Bytes rsa_body = vec16(Bytes(256, 7));
  auto rsa = ClientKeyExchangeRsa::parse(rsa_body);
  ASSERT_TRUE(rsa.ok());
  EXPECT_EQ(rsa->encrypted_premaster.size(), 256u);
  EXPECT_EQ(rsa->encode(), frame_handshake(HandshakeType::client_key_exchange, rsa_body));
  expect_error(ClientKeyExchangeRsa::parse(cat({rsa_body, Bytes{0}})), Alert::decode_error,
               "trailing");
}

TEST(MsgsTls12, NewSessionTicketMayBeEmpty) {
  Bytes body = cat({Bytes{0, 0, 0x1c, 0x20}, vec16({})});
  auto nst = NewSessionTicket12::parse(body);
  ASSERT_TRUE(nst.ok());
  EXPECT_EQ(nst->ticket_lifetime_hint, 7200u);
  EXPECT_TRUE(nst->ticket.empty());
  EXPECT_EQ(nst->encode(), frame_handshake(HandshakeType::new_session_ticket, body));
}

// ---- building messages (the state machines' direction) ----

TEST(MsgsHandshake, BuiltClientHelloParsesBack) {
  ClientHello hello;
  hello.random.fill(0x42);
  hello.legacy_session_id = Bytes(32, 0x24);
  hello.cipher_suites = {CipherSuite::tls_aes_256_gcm_sha384,
                         CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256,
                         CipherSuite::tls_empty_renegotiation_info_scsv};
  hello.extensions = {
      {ET::server_name, ServerNameList{{"example.org"}}},
      {ET::supported_versions,
       SupportedVersionsList{{ProtocolVersion::tls13, ProtocolVersion::tls12}}},
      {ET::key_share, KeyShareClientHello{{{NamedGroup::x25519, Bytes(32, 3)}}}},
      {ET::application_layer_protocol_negotiation, AlpnProtocols{{"h2", "http/1.1"}}},
      {ET::extended_master_secret, EmptyExtension{}},
  };
  Bytes encoded = hello.encode();
  auto view = split_handshake(encoded);
  ASSERT_TRUE(view.ok()) << view.error();
  auto parsed = ClientHello::parse(view->body);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->get<ServerNameList>(ET::server_name)->host_names[0], "example.org");
  EXPECT_EQ(parsed->get<SupportedVersionsList>(ET::supported_versions)->versions.size(), 2u);
  EXPECT_EQ(parsed->get<AlpnProtocols>(ET::application_layer_protocol_negotiation)->protocols[1],
            "http/1.1");
  EXPECT_EQ(parsed->encode(), encoded);
}

}  // namespace
}  // namespace tern::msgs
