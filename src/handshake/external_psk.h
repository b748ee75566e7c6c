// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 external PSKs (RFC 8446 §4.2.11, RFC 9257): the client's offer of one and the
// server's lookup of the client's identities among its configured keys. Binders use the
// "ext binder" label, so an external key can never pass for a resumption ticket's (and the
// server looks identities up by exact match before it tries them as tickets).
#pragma once

#include <optional>

#include "handshake/key_schedule.h"
#include "handshake/transcript.h"
#include "msgs/handshake.h"
#include "tern/tls.h"

namespace tern::handshake {

// ExternalPsk::load() past reading the file: `contents` is hex digits (whitespace around
// them ignored) or, if not hex, the raw key. Fails (Errc::usage) as ExternalPsk::check().
Result<ExternalPsk> external_psk_from_file(std::string identity, BytesView contents,
                                           ExternalPsk::Hash hash);

crypto::Hash external_psk_hash(const ExternalPsk& psk);

// Whether the key may be used with (EC)DHE (psk_dhe_ke), or without (psk_ke).
bool allows_dhe(const ExternalPsk& psk);
bool allows_no_dhe(const ExternalPsk& psk);

// Server: whether to answer this ClientHello in psk_ke, without (EC)DHE: the client offers
// psk_ke and names a key of config that allows it, and either offers no psk_dhe_ke or that
// key allows psk_ke only. Otherwise (EC)DHE is used whenever both sides allow it.
bool wants_psk_without_dhe(const ServerConfig& config, const msgs::ClientHello& hello);

// The binder of an external PSK: as psk_binder(), under Derive-Secret(early, "ext binder", "").
Result<SecretBytes> external_psk_binder(const KeySchedule13& early,
                                        BytesView truncated_transcript_hash);

// Client: appends pre_shared_key naming config's external PSK to `hello` (it must go last),
// encodes it and fills in the binder. `transcript` holds the first ClientHello and the
// HelloRetryRequest after a retry (else it is not started). `schedule` is left with the
// PSK's early secret for the handshake if the server accepts it. Nullopt when the PSK cannot
// be used with `suite_hash_after_retry` (the suite a HelloRetryRequest fixed).
Result<std::optional<Bytes>> offer_external_psk(const crypto::Provider& provider,
                                                const ExternalPsk& psk, msgs::ClientHello& hello,
                                                Transcript& transcript,
                                                std::optional<crypto::Hash> suite_hash_after_retry,
                                                std::optional<KeySchedule13>& schedule);

// Server: the first of the client's identities that names one of config.external_psks
// usable with the negotiated suite's hash and in the mode chosen (`without_dhe`: psk_ke; the
// caller checked the client offers it); its binder must verify (else decrypt_error).
// `schedule` is left with the PSK's early secret. Returns the index of the identity in the
// client's offer.
Result<std::optional<uint16_t>> accept_external_psk(
    const crypto::Provider& provider, const ServerConfig& config, const msgs::ClientHello& hello,
    BytesView encoded_hello, Transcript& transcript, crypto::Hash suite_hash,
    bool without_dhe, std::optional<KeySchedule13>& schedule);

}  // namespace tern::handshake
