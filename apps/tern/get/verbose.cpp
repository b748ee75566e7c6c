// SPDX-License-Identifier: Apache-2.0
#include "get/verbose.h"

#include "client_common.h"
#include "output.h"
#include "tern/x509.h"

namespace tern::cli::get {

void print_connection(std::ostream& err, const Stream& stream, const Url& url, bool insecure) {
  const Connection& c = stream.connection();
  // peer_address() is "1.2.3.4:443" or "[::1]:443": the address is what precedes the port.
  std::string address = stream.peer_address().substr(0, stream.peer_address().rfind(':'));
  if (address.starts_with("[") && address.ends_with("]"))
    address = address.substr(1, address.size() - 2);
  err << "* Connected to " << url.host << " (" << address << ") port " << url.port << "\n";
  std::string group = c.group()          ? c.group_name()
                      : c.resumed()        ? "(resumed)"
                      : c.external_psk()   ? "(psk_ke: no key exchange)"
                                           : "RSA key transport";
  err << "* SSL connection using " << c.version_name() << " / " << c.cipher_suite_name() << " / "
      << group << " / " << (c.signature_scheme() ? c.signature_scheme_name() : "(no signature)")
      << "\n";
  err << "* ALPN: server " << (c.alpn().empty() ? "did not agree on a protocol" : "accepted " + c.alpn())
      << "\n";
  if (c.resumed()) err << "* Resumed a previous session\n";
  if (!c.peer_chain().empty()) {
    auto parsed = Certificate::parse_all(c.peer_chain().front());
    if (parsed && !parsed->empty()) {
      const CertificateInfo info = (*parsed)[0].info();
      err << "* Server certificate:\n"
          << "*  subject: " << escape_peer_text(info.subject) << "\n"
          << "*  start date: " << iso8601(info.not_before) << "\n"
          << "*  expire date: " << iso8601(info.not_after) << "\n";
      for (const std::string& name : info.names)
        err << "*  subjectAltName: " << escape_peer_text(name) << "\n";
      err << "*  issuer: " << escape_peer_text(info.issuer) << "\n";
    }
  }
  // Then tern's own account, which curl has no line for: HelloRetryRequest, extended
  // master secret, resumption, and the whole chain as the server sent it.
  print_tls_summary(err, stream, true);
  if (stream.connection().external_psk())
    err << "*  The external PSK authenticated the server (no certificate).\n";
  else if (insecure)
    err << "* WARNING: the server's certificate was NOT verified (-k/--insecure): anyone on the "
           "path could be answering\n";
  else
    err << "*  SSL certificate verify ok.\n";
}

void print_head(std::ostream& err, const std::string& prefix, const std::string& head) {
  size_t at = 0;
  while (at < head.size()) {
    size_t eol = head.find("\r\n", at);
    if (eol == std::string::npos) eol = head.size();
    if (eol == at) break;
    err << prefix << head.substr(at, eol - at) << "\n";
    at = eol + 2;
  }
  err << prefix << "\n";
}

}  // namespace tern::cli::get
