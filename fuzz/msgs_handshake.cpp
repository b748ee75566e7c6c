// SPDX-License-Identifier: Apache-2.0
// Fuzzes every handshake message parser in src/msgs, the extension-list parser in each
// context, alerts and change_cipher_spec. The first input byte picks the parser; the rest is
// the body. Whatever parses must re-encode to exactly the input (the codec is lossless) and
// must print; nothing may crash, hang or read out of bounds; every failure must carry
// decode_error or illegal_parameter.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/writer.h"
#include "msgs/content.h"
#include "msgs/handshake.h"
#include "msgs/print.h"

namespace {

using namespace tern;
using namespace tern::msgs;

void require(bool condition) {
  if (!condition) std::abort();
}

template <typename T>
void check_error(const Result<T>& result) {
  require(result.error().alert == Alert::decode_error ||
          result.error().alert == Alert::illegal_parameter);
  require(!result.error().detail.empty());
}

void print_all(const Extensions& extensions) {
  for (const Extension& ext : extensions) require(!to_string(ext).empty());
}

template <typename M>
void round_trip(BytesView body) {
  auto parsed = M::parse(body);
  if (!parsed.ok()) return check_error(parsed);
  Bytes encoded = parsed->encode();
  require(encoded == frame_handshake(M::kType, body));
  require(!describe(*parsed).empty());
  if constexpr (requires(const M& m) { m.extensions; }) print_all(parsed->extensions);
  if constexpr (std::is_same_v<M, ClientHello>) {
    if (parsed->template get<PreSharedKeyOffer>(ExtensionType::pre_shared_key)) {
      auto truncated = truncated_client_hello(encoded, *parsed);
      require(truncated.ok());
      require(truncated->size() < encoded.size());
    }
  }
  if constexpr (std::is_same_v<M, Certificate13>) {
    for (const CertificateEntry& entry : parsed->certificate_list) print_all(entry.extensions);
  }
}

void extension_list(BytesView body, ExtensionContext context) {
  auto parsed = parse_extensions(body, context, name(context));
  if (!parsed.ok()) return check_error(parsed);
  base::Writer w;
  encode_extensions(w, *parsed);
  require(BytesView(w.data()).subspan(2).size() == body.size());
  require(equal(BytesView(w.data()).subspan(2), body));
  print_all(*parsed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  BytesView body(data + 1, size - 1);
  switch (data[0] % 26) {
    case 0: round_trip<ClientHello>(body); break;
    case 1: round_trip<ServerHello>(body); break;
    case 2: round_trip<EncryptedExtensions>(body); break;
    case 3: round_trip<Certificate13>(body); break;
    case 4: round_trip<Certificate12>(body); break;
    case 5: round_trip<CertificateRequest13>(body); break;
    case 6: round_trip<CertificateRequest12>(body); break;
    case 7: round_trip<CertificateVerify>(body); break;
    case 8: round_trip<Finished>(body); break;
    case 9: round_trip<NewSessionTicket13>(body); break;
    case 10: round_trip<NewSessionTicket12>(body); break;
    case 11: round_trip<KeyUpdate>(body); break;
    case 12: round_trip<EndOfEarlyData>(body); break;
    case 13: round_trip<ServerKeyExchangeEcdhe>(body); break;
    case 14: round_trip<ServerHelloDone>(body); break;
    case 15: round_trip<ClientKeyExchangeEcdhe>(body); break;
    case 16: round_trip<ClientKeyExchangeRsa>(body); break;
    case 17: round_trip<HelloRequest>(body); break;
    case 18:
      if (auto alert = AlertMessage::parse(body); alert.ok()) {
        require(equal(alert->encode(), body));
        require(!to_string(*alert).empty());
      }
      (void)parse_change_cipher_spec(body);
      break;
    default: extension_list(body, static_cast<ExtensionContext>(data[0] % 26 - 19)); break;
  }
  // The framing helper on the raw input too.
  if (auto view = split_handshake(BytesView(data, size)); view.ok())
    require(view->body.size() + kHandshakeHeaderSize == size);
  DescribeOptions options{data[0] & 1 ? ProtocolVersion::tls13 : ProtocolVersion::tls12,
                          (data[0] & 2) != 0};
  require(!describe_handshake(BytesView(data, size), options).empty());
  return 0;
}
