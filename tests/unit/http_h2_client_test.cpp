// SPDX-License-Identifier: Apache-2.0
// `tern get`'s HTTP/2 client (src/http/h2_client.cpp) against a hostile server: the response
// head is bounded as the HTTP/1.1 parser's is.
#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <cstring>
#include <string>

#include "http/h2_client.h"

namespace tern::http {
namespace {

// One frame: 9-byte header, then the payload.
std::string frame(uint8_t type, uint8_t flags, uint32_t stream, const std::string& payload) {
  std::string out;
  out += static_cast<char>(payload.size() >> 16);
  out += static_cast<char>(payload.size() >> 8);
  out += static_cast<char>(payload.size());
  out += static_cast<char>(type);
  out += static_cast<char>(flags);
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(stream >> shift);
  return out + payload;
}

// A header block, HPACK-encoded by nghttp2's own deflater.
std::string header_block(nghttp2_hd_deflater* deflater, const std::string& status,
                         const std::string& pad) {
  auto bytes = [](const std::string& s) {
    return reinterpret_cast<uint8_t*>(const_cast<char*>(s.data()));
  };
  const std::string n1 = ":status", n2 = "x-pad";
  nghttp2_nv nva[] = {{bytes(n1), bytes(status), n1.size(), status.size(), NGHTTP2_NV_FLAG_NONE},
                      {bytes(n2), bytes(pad), n2.size(), pad.size(), NGHTTP2_NV_FLAG_NO_INDEX}};
  std::string out(nghttp2_hd_deflate_bound(deflater, nva, 2), '\0');
  ssize_t n = nghttp2_hd_deflate_hd(deflater, reinterpret_cast<uint8_t*>(out.data()), out.size(),
                                    nva, 2);
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

TEST(Http2Client, AnEndlessResponseHeadIsRefusedAt64KiB) {
  nghttp2_hd_deflater* deflater = nullptr;
  ASSERT_EQ(nghttp2_hd_deflate_new(&deflater, 4096), 0);
  // The server's SETTINGS, then interim (103) responses of 8 KiB of fields each, forever.
  std::string server = frame(NGHTTP2_SETTINGS, 0, 0, "");
  for (int i = 0; i < 20; ++i)
    server += frame(NGHTTP2_HEADERS, NGHTTP2_FLAG_END_HEADERS, 1,
                    header_block(deflater, "103", std::string(8000, 'a')));
  nghttp2_hd_deflate_del(deflater);

  size_t at = 0;
  H2Transport transport{
      .write = [](BytesView) -> Result<void> { return ok(); },
      .read = [&](std::span<uint8_t> out) -> Result<size_t> {
        size_t n = std::min(out.size(), server.size() - at);
        std::memcpy(out.data(), server.data() + at, n);
        at += n;
        return n;
      }};
  bool got_head = false;
  H2Handlers handlers{.on_head = [&](int, const Fields&) { got_head = true; },
                      .on_body = [](BytesView) {}};
  H2Request request;
  request.authority = "localhost";
  auto result = h2_exchange(request, transport, handlers);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().detail.find("exceed 64 KiB"), std::string::npos)
      << result.error().detail;
  EXPECT_FALSE(got_head);
  EXPECT_LT(at, server.size());  // it stopped reading once over the bound
}

}  // namespace
}  // namespace tern::http
