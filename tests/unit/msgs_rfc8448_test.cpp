// SPDX-License-Identifier: Apache-2.0
// The handshake messages of the RFC 8448 traces (tests/data/reference/rfc/rfc8448.txt) must
// parse into the fields the trace describes and re-encode byte for byte. The hex below is
// copied from that file (section and line cited above each constant).
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "base/encoding.h"
#include "msgs/handshake.h"
#include "msgs/print.h"

namespace tern::msgs {
namespace {

// RFC 8448 §3, line 177 of rfc8448.txt (196 octets).
const char kSimpleClientHello[] =
    "01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 "
    "c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef "
    "62 83 02 4d ec e7 00 00 06 13 01 13 03 13 02 01 "
    "00 00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 "
    "65 72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00 "
    "17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 "
    "23 00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d "
    "e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e "
    "51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c 00 2b 00 "
    "03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 "
    "02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 "
    "04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c "
    "00 02 40 01";

// RFC 8448 §3, line 241 of rfc8448.txt (90 octets).
const char kSimpleServerHello[] =
    "02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e "
    "60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55 "
    "77 2e d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 "
    "00 1d 00 20 c9 82 88 76 11 20 95 fe 66 76 2b db "
    "f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 "
    "4e 75 1f 0f 00 2b 00 02 03 04";

// RFC 8448 §3, line 376 of rfc8448.txt (40 octets).
const char kSimpleEncryptedExtensions[] =
    "08 00 00 24 00 22 00 0a 00 14 00 12 00 1d 00 17 "
    "00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 1c "
    "00 02 40 01 00 00 00 00";

// RFC 8448 §3, line 382 of rfc8448.txt (445 octets).
const char kSimpleCertificate[] =
    "0b 00 01 b9 00 00 01 b5 00 01 b0 30 82 01 ac 30 "
    "82 01 15 a0 03 02 01 02 02 01 02 30 0d 06 09 2a "
    "86 48 86 f7 0d 01 01 0b 05 00 30 0e 31 0c 30 0a "
    "06 03 55 04 03 13 03 72 73 61 30 1e 17 0d 31 36 "
    "30 37 33 30 30 31 32 33 35 39 5a 17 0d 32 36 30 "
    "37 33 30 30 31 32 33 35 39 5a 30 0e 31 0c 30 0a "
    "06 03 55 04 03 13 03 72 73 61 30 81 9f 30 0d 06 "
    "09 2a 86 48 86 f7 0d 01 01 01 05 00 03 81 8d 00 "
    "30 81 89 02 81 81 00 b4 bb 49 8f 82 79 30 3d 98 "
    "08 36 39 9b 36 c6 98 8c 0c 68 de 55 e1 bd b8 26 "
    "d3 90 1a 24 61 ea fd 2d e4 9a 91 d0 15 ab bc 9a "
    "95 13 7a ce 6c 1a f1 9e aa 6a f9 8c 7c ed 43 12 "
    "09 98 e1 87 a8 0e e0 cc b0 52 4b 1b 01 8c 3e 0b "
    "63 26 4d 44 9a 6d 38 e2 2a 5f da 43 08 46 74 80 "
    "30 53 0e f0 46 1c 8c a9 d9 ef bf ae 8e a6 d1 d0 "
    "3e 2b d1 93 ef f0 ab 9a 80 02 c4 74 28 a6 d3 5a "
    "8d 88 d7 9f 7f 1e 3f 02 03 01 00 01 a3 1a 30 18 "
    "30 09 06 03 55 1d 13 04 02 30 00 30 0b 06 03 55 "
    "1d 0f 04 04 03 02 05 a0 30 0d 06 09 2a 86 48 86 "
    "f7 0d 01 01 0b 05 00 03 81 81 00 85 aa d2 a0 e5 "
    "b9 27 6b 90 8c 65 f7 3a 72 67 17 06 18 a5 4c 5f "
    "8a 7b 33 7d 2d f7 a5 94 36 54 17 f2 ea e8 f8 a5 "
    "8c 8f 81 72 f9 31 9c f3 6b 7f d6 c5 5b 80 f2 1a "
    "03 01 51 56 72 60 96 fd 33 5e 5e 67 f2 db f1 02 "
    "70 2e 60 8c ca e6 be c1 fc 63 a4 2a 99 be 5c 3e "
    "b7 10 7c 3c 54 e9 b9 eb 2b d5 20 3b 1c 3b 84 e0 "
    "a8 b2 f7 59 40 9b a3 ea c9 d9 1d 40 2d cc 0c c8 "
    "f8 96 12 29 ac 91 87 b4 2b 4d e1 00 00";

// RFC 8448 §3, line 415 of rfc8448.txt (136 octets).
const char kSimpleCertificateVerify[] =
    "0f 00 00 84 08 04 00 80 5a 74 7c 5d 88 fa 9b d2 "
    "e5 5a b0 85 a6 10 15 b7 21 1f 82 4c d4 84 14 5a "
    "b3 ff 52 f1 fd a8 47 7b 0b 7a bc 90 db 78 e2 d3 "
    "3a 5c 14 1a 07 86 53 fa 6b ef 78 0c 5e a2 48 ee "
    "aa a7 85 c4 f3 94 ca b6 d3 0b be 8d 48 59 ee 51 "
    "1f 60 29 57 b1 54 11 ac 02 76 71 45 9e 46 44 5c "
    "9e a5 8c 18 1e 81 8e 95 b8 c3 fb 0b f3 27 84 09 "
    "d3 be 15 2a 3d a5 04 3e 06 3d da 65 cd f5 ae a2 "
    "0d 53 df ac d4 2f 74 f3";

// RFC 8448 §3, line 441 of rfc8448.txt (36 octets).
const char kSimpleServerFinished[] =
    "14 00 00 20 9b 9b 14 1d 90 63 37 fb d2 cb dc e7 "
    "1d f4 de da 4a b4 2c 30 95 72 cb 7f ff ee 54 54 "
    "b7 8f 07 18";

// RFC 8448 §3, line 692 of rfc8448.txt (36 octets).
const char kSimpleClientFinished[] =
    "14 00 00 20 a8 ec 43 6d 67 76 34 ae 52 5a c1 fc "
    "eb e1 1a 03 9e c1 76 94 fa c6 e9 85 27 b6 42 f2 "
    "ed d5 ce 61";

// RFC 8448 §3, line 764 of rfc8448.txt (205 octets).
const char kSimpleNewSessionTicket[] =
    "04 00 00 c9 00 00 00 1e fa d6 aa c5 02 00 00 00 "
    "b2 2c 03 5d 82 93 59 ee 5f f7 af 4e c9 00 00 00 "
    "00 26 2a 64 94 dc 48 6d 2c 8a 34 cb 33 fa 90 bf "
    "1b 00 70 ad 3c 49 88 83 c9 36 7c 09 a2 be 78 5a "
    "bc 55 cd 22 60 97 a3 a9 82 11 72 83 f8 2a 03 a1 "
    "43 ef d3 ff 5d d3 6d 64 e8 61 be 7f d6 1d 28 27 "
    "db 27 9c ce 14 50 77 d4 54 a3 66 4d 4e 6d a4 d2 "
    "9e e0 37 25 a6 a4 da fc d0 fc 67 d2 ae a7 05 29 "
    "51 3e 3d a2 67 7f a5 90 6c 5b 3f 7d 8f 92 f2 28 "
    "bd a4 0d da 72 14 70 f9 fb f2 97 b5 ae a6 17 64 "
    "6f ac 5c 03 27 2e 97 07 27 c6 21 a7 91 41 ef 5f "
    "7d e6 50 5e 5b fb c3 88 e9 33 43 69 40 93 93 4a "
    "e4 d3 57 00 08 00 2a 00 04 00 00 04 00";

// RFC 8448 §4, line 972 of rfc8448.txt (512 octets).
const char kResumedClientHello[] =
    "01 00 01 fc 03 03 1b c3 ce b6 bb e3 9c ff 93 83 "
    "55 b5 a5 0a db 6d b2 1b 7a 6a f6 49 d7 b4 bc 41 "
    "9d 78 76 48 7d 95 00 00 06 13 01 13 03 13 02 01 "
    "00 01 cd 00 00 00 0b 00 09 00 00 06 73 65 72 76 "
    "65 72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00 "
    "17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 "
    "33 00 26 00 24 00 1d 00 20 e4 ff b6 8a c0 5f 8d "
    "96 c9 9d a2 66 98 34 6c 6b e1 64 82 ba dd da fe "
    "05 1a 66 b4 f1 8d 66 8f 0b 00 2a 00 00 00 2b 00 "
    "03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 "
    "02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 "
    "04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c "
    "00 02 40 01 00 15 00 57 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "29 00 dd 00 b8 00 b2 2c 03 5d 82 93 59 ee 5f f7 "
    "af 4e c9 00 00 00 00 26 2a 64 94 dc 48 6d 2c 8a "
    "34 cb 33 fa 90 bf 1b 00 70 ad 3c 49 88 83 c9 36 "
    "7c 09 a2 be 78 5a bc 55 cd 22 60 97 a3 a9 82 11 "
    "72 83 f8 2a 03 a1 43 ef d3 ff 5d d3 6d 64 e8 61 "
    "be 7f d6 1d 28 27 db 27 9c ce 14 50 77 d4 54 a3 "
    "66 4d 4e 6d a4 d2 9e e0 37 25 a6 a4 da fc d0 fc "
    "67 d2 ae a7 05 29 51 3e 3d a2 67 7f a5 90 6c 5b "
    "3f 7d 8f 92 f2 28 bd a4 0d da 72 14 70 f9 fb f2 "
    "97 b5 ae a6 17 64 6f ac 5c 03 27 2e 97 07 27 c6 "
    "21 a7 91 41 ef 5f 7d e6 50 5e 5b fb c3 88 e9 33 "
    "43 69 40 93 93 4a e4 d3 57 fa d6 aa cb 00 21 20 "
    "3a dd 4f b2 d8 fd f8 22 a0 ca 3c f7 67 8e f5 e8 "
    "8d ae 99 01 41 c5 92 4d 57 bb 6f a3 1b 9e 5f 9d";

// RFC 8448 §4, line 921 of rfc8448.txt (477 octets).
const char kResumedClientHelloPrefix[] =
    "01 00 01 fc 03 03 1b c3 ce b6 bb e3 9c ff 93 83 "
    "55 b5 a5 0a db 6d b2 1b 7a 6a f6 49 d7 b4 bc 41 "
    "9d 78 76 48 7d 95 00 00 06 13 01 13 03 13 02 01 "
    "00 01 cd 00 00 00 0b 00 09 00 00 06 73 65 72 76 "
    "65 72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00 "
    "17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 "
    "33 00 26 00 24 00 1d 00 20 e4 ff b6 8a c0 5f 8d "
    "96 c9 9d a2 66 98 34 6c 6b e1 64 82 ba dd da fe "
    "05 1a 66 b4 f1 8d 66 8f 0b 00 2a 00 00 00 2b 00 "
    "03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 "
    "02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 "
    "04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c "
    "00 02 40 01 00 15 00 57 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "29 00 dd 00 b8 00 b2 2c 03 5d 82 93 59 ee 5f f7 "
    "af 4e c9 00 00 00 00 26 2a 64 94 dc 48 6d 2c 8a "
    "34 cb 33 fa 90 bf 1b 00 70 ad 3c 49 88 83 c9 36 "
    "7c 09 a2 be 78 5a bc 55 cd 22 60 97 a3 a9 82 11 "
    "72 83 f8 2a 03 a1 43 ef d3 ff 5d d3 6d 64 e8 61 "
    "be 7f d6 1d 28 27 db 27 9c ce 14 50 77 d4 54 a3 "
    "66 4d 4e 6d a4 d2 9e e0 37 25 a6 a4 da fc d0 fc "
    "67 d2 ae a7 05 29 51 3e 3d a2 67 7f a5 90 6c 5b "
    "3f 7d 8f 92 f2 28 bd a4 0d da 72 14 70 f9 fb f2 "
    "97 b5 ae a6 17 64 6f ac 5c 03 27 2e 97 07 27 c6 "
    "21 a7 91 41 ef 5f 7d e6 50 5e 5b fb c3 88 e9 33 "
    "43 69 40 93 93 4a e4 d3 57 fa d6 aa cb";

// RFC 8448 §4, line 1110 of rfc8448.txt (96 octets).
const char kResumedServerHello[] =
    "02 00 00 5c 03 03 3c cf d2 de c8 90 22 27 63 47 "
    "2a e8 13 67 77 c9 d7 35 87 77 bb 66 e9 1e a5 12 "
    "24 95 f5 59 ea 2d 00 13 01 00 00 34 00 29 00 02 "
    "00 00 00 33 00 24 00 1d 00 20 12 17 61 ee 42 c3 "
    "33 e1 b9 e7 7b 60 dd 57 c2 05 3c d9 45 12 ab 47 "
    "f1 15 e8 6e ff 50 94 2c ea 31 00 2b 00 02 03 04";

// RFC 8448 §4, line 1255 of rfc8448.txt (44 octets).
const char kResumedEncryptedExtensions[] =
    "08 00 00 28 00 26 00 0a 00 14 00 12 00 1d 00 17 "
    "00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 1c "
    "00 02 40 01 00 00 00 00 00 2a 00 00";

// RFC 8448 §4, line 1431 of rfc8448.txt (4 octets).
const char kResumedEndOfEarlyData[] = "05 00 00 00";

// RFC 8448 §5, line 1609 of rfc8448.txt (180 octets).
const char kHrrClientHello1[] =
    "01 00 00 b0 03 03 b0 b1 c5 a5 aa 37 c5 91 9f 2e "
    "d1 d5 c6 ff f7 fc b7 84 97 16 94 5a 2b 8c ee 92 "
    "58 a3 46 67 7b 6f 00 00 06 13 01 13 03 13 02 01 "
    "00 00 81 00 00 00 0b 00 09 00 00 06 73 65 72 76 "
    "65 72 ff 01 00 01 00 00 0a 00 08 00 06 00 1d 00 "
    "17 00 18 00 33 00 26 00 24 00 1d 00 20 e8 e8 e3 "
    "f3 b9 3a 25 ed 97 a1 4a 7d ca cb 8a 27 2c 62 88 "
    "e5 85 c6 48 4d 05 26 2f ca d0 62 ad 1f 00 2b 00 "
    "03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 "
    "02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 "
    "04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c "
    "00 02 40 01";

// RFC 8448 §5, line 1656 of rfc8448.txt (176 octets).
const char kHrrHelloRetryRequest[] =
    "02 00 00 ac 03 03 cf 21 ad 74 e5 9a 61 11 be 1d "
    "8c 02 1e 65 b8 91 c2 a2 11 16 7a bb 8c 5e 07 9e "
    "09 e2 c8 a8 33 9c 00 13 01 00 00 84 00 33 00 02 "
    "00 17 00 2c 00 74 00 72 71 dc d0 4b b8 8b c3 18 "
    "91 19 39 8a 00 00 00 00 ee fa fc 76 c1 46 b8 23 "
    "b0 96 f8 aa ca d3 65 dd 00 30 95 3f 4e df 62 56 "
    "36 e5 f2 1b b2 e2 3f cc 65 4b 1b 5b 40 31 8d 10 "
    "d1 37 ab cb b8 75 74 e3 6e 8a 1f 02 5f 7d fa 5d "
    "6e 50 78 1b 5e da 4a a1 5b 0c 8b e7 78 25 7d 16 "
    "aa 30 30 e9 e7 84 1d d9 e4 c0 34 22 67 e8 ca 0c "
    "af 57 1f b2 b7 cf f0 f9 34 b0 00 2b 00 02 03 04";

// RFC 8448 §5, line 1710 of rfc8448.txt (512 octets).
const char kHrrClientHello2[] =
    "01 00 01 fc 03 03 b0 b1 c5 a5 aa 37 c5 91 9f 2e "
    "d1 d5 c6 ff f7 fc b7 84 97 16 94 5a 2b 8c ee 92 "
    "58 a3 46 67 7b 6f 00 00 06 13 01 13 03 13 02 01 "
    "00 01 cd 00 00 00 0b 00 09 00 00 06 73 65 72 76 "
    "65 72 ff 01 00 01 00 00 0a 00 08 00 06 00 1d 00 "
    "17 00 18 00 33 00 47 00 45 00 17 00 41 04 a6 da "
    "73 92 ec 59 1e 17 ab fd 53 59 64 b9 98 94 d1 3b "
    "ef b2 21 b3 de f2 eb e3 83 0e ac 8f 01 51 81 26 "
    "77 c4 d6 d2 23 7e 85 cf 01 d6 91 0c fb 83 95 4e "
    "76 ba 73 52 83 05 34 15 98 97 e8 06 57 80 00 2b "
    "00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 "
    "03 02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 "
    "01 04 02 05 02 06 02 02 02 00 2c 00 74 00 72 71 "
    "dc d0 4b b8 8b c3 18 91 19 39 8a 00 00 00 00 ee "
    "fa fc 76 c1 46 b8 23 b0 96 f8 aa ca d3 65 dd 00 "
    "30 95 3f 4e df 62 56 36 e5 f2 1b b2 e2 3f cc 65 "
    "4b 1b 5b 40 31 8d 10 d1 37 ab cb b8 75 74 e3 6e "
    "8a 1f 02 5f 7d fa 5d 6e 50 78 1b 5e da 4a a1 5b "
    "0c 8b e7 78 25 7d 16 aa 30 30 e9 e7 84 1d d9 e4 "
    "c0 34 22 67 e8 ca 0c af 57 1f b2 b7 cf f0 f9 34 "
    "b0 00 2d 00 02 01 01 00 1c 00 02 40 01 00 15 00 "
    "af 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";

// RFC 8448 §5, line 1828 of rfc8448.txt (123 octets).
const char kHrrServerHello[] =
    "02 00 00 77 03 03 bb 34 1d 84 7f d7 89 c4 7c 38 "
    "71 72 dc 0c 9b f1 47 fc ca cb 50 43 d8 6c a4 c5 "
    "98 d3 ff 57 1b 98 00 13 01 00 00 4f 00 33 00 45 "
    "00 17 00 41 04 58 3e 05 4b 7a 66 67 2a e0 20 ad "
    "9d 26 86 fc c8 5b 5a d4 1a 13 4a 0f 03 ee 72 b8 "
    "93 05 2b d8 5b 4c 8d e6 77 6f 5b 04 ac 07 d8 35 "
    "40 ea b3 e3 d9 c5 47 bc 65 28 c4 31 7d 29 46 86 "
    "09 3a 6c ad 7d 00 2b 00 02 03 04";

// RFC 8448 §6, line 2591 of rfc8448.txt (43 octets).
const char kClientAuthCertificateRequest[] =
    "0d 00 00 27 00 00 24 00 0d 00 20 00 1e 04 03 05 "
    "03 06 03 02 03 08 04 08 05 08 06 04 01 05 01 06 "
    "01 02 01 04 02 05 02 06 02 02 02";

// RFC 8448 §6, line 2597 of rfc8448.txt (319 octets).
const char kClientAuthCertificate[] =
    "0b 00 01 3b 00 00 01 37 00 01 32 30 82 01 2e 30 "
    "81 d5 a0 03 02 01 02 02 01 07 30 0a 06 08 2a 86 "
    "48 ce 3d 04 03 02 30 13 31 11 30 0f 06 03 55 04 "
    "03 13 08 65 63 64 73 61 32 35 36 30 1e 17 0d 31 "
    "36 30 37 33 30 30 31 32 34 30 30 5a 17 0d 32 36 "
    "30 37 33 30 30 31 32 34 30 30 5a 30 13 31 11 30 "
    "0f 06 03 55 04 03 13 08 65 63 64 73 61 32 35 36 "
    "30 59 30 13 06 07 2a 86 48 ce 3d 02 01 06 08 2a "
    "86 48 ce 3d 03 01 07 03 42 00 04 08 d5 30 16 15 "
    "75 f4 cf e7 f1 54 ee 34 48 18 00 86 00 1e 88 43 "
    "1a 79 ee 62 ee 6e 2f 83 ef 38 ba 61 e9 fb 37 f3 "
    "4e 00 7a 7d f4 d2 f5 b5 6d 1f 04 ec e4 5d 62 1f "
    "46 84 06 f5 c3 a1 51 58 94 8d d0 a3 1a 30 18 30 "
    "09 06 03 55 1d 13 04 02 30 00 30 0b 06 03 55 1d "
    "0f 04 04 03 02 07 80 30 0a 06 08 2a 86 48 ce 3d "
    "04 03 02 03 48 00 30 45 02 21 00 df 30 fd 45 07 "
    "f5 ed d2 2c 1a 6f f8 6d b4 79 ca 69 3f ee ca 3b "
    "71 b3 f9 ef 55 6b 29 37 c0 59 4d 02 20 62 e2 a4 "
    "72 50 d3 20 fe a8 3c 7e 2d cb 5b 76 a5 0e 02 00 "
    "c0 9a db d1 3f ee 94 6e 51 3e 01 1d 11 00 00";

// RFC 8448 §6, line 2616 of rfc8448.txt (79 octets).
const char kClientAuthCertificateVerify[] =
    "0f 00 00 4b 04 03 00 47 30 45 02 21 00 d7 a4 d3 "
    "4b d5 4f 55 fe e1 a8 96 25 67 8c 3d d5 e5 f6 0d "
    "ac 73 ec 94 0c 5c 7b 93 04 a0 20 84 a9 02 20 28 "
    "9f 59 5e d4 88 b9 ac 68 9a 3d 19 2b 1a 8b b3 8f "
    "34 af 78 74 c0 59 c9 80 6a 1f 38 26 93 53 e8";

Bytes H(std::string_view spaced) {
  std::string compact;
  for (char c : spaced)
    if (c != ' ') compact.push_back(c);
  auto bytes = base::unhex(compact);
  EXPECT_TRUE(bytes.has_value()) << spaced;
  return bytes.value_or(Bytes{});
}

// Splits `message`, parses its body as M, and checks the re-encoding is identical.
template <typename M>
std::optional<M> parse_round_trip(const Bytes& message) {
  auto view = split_handshake(message);
  if (!view.ok()) {
    ADD_FAILURE() << view.error();
    return std::nullopt;
  }
  EXPECT_EQ(view->type, M::kType);
  auto parsed = M::parse(view->body);
  if (!parsed.ok()) {
    ADD_FAILURE() << parsed.error();
    return std::nullopt;
  }
  EXPECT_EQ(base::hex(parsed->encode()), base::hex(message)) << "re-encoding differs";
  return std::move(parsed).value();
}

std::vector<ExtensionType> types_of(const Extensions& extensions) {
  std::vector<ExtensionType> types;
  for (const Extension& ext : extensions) types.push_back(ext.type);
  return types;
}

using ET = ExtensionType;
using SS = SignatureScheme;

const std::vector<SignatureScheme> kRfc8448ClientSchemes = {
    SS::ecdsa_secp256r1_sha256, SS::ecdsa_secp384r1_sha384,
    SS::ecdsa_secp521r1_sha512, SS::ecdsa_sha1,
    SS::rsa_pss_rsae_sha256,    SS::rsa_pss_rsae_sha384,
    SS::rsa_pss_rsae_sha512,    SS::rsa_pkcs1_sha256,
    SS::rsa_pkcs1_sha384,       SS::rsa_pkcs1_sha512,
    SS::rsa_pkcs1_sha1,         static_cast<SS>(0x0402),
    static_cast<SS>(0x0502),    static_cast<SS>(0x0602),
    static_cast<SS>(0x0202)};

TEST(MsgsRfc8448, SimpleClientHello) {
  auto hello = parse_round_trip<ClientHello>(H(kSimpleClientHello));
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->legacy_version, ProtocolVersion::tls12);
  EXPECT_EQ(base::hex(BytesView(hello->random).first(4)), "cb34ecb1");
  EXPECT_TRUE(hello->legacy_session_id.empty());
  EXPECT_EQ(hello->cipher_suites,
            (std::vector<CipherSuite>{CipherSuite::tls_aes_128_gcm_sha256,
                                      CipherSuite::tls_chacha20_poly1305_sha256,
                                      CipherSuite::tls_aes_256_gcm_sha384}));
  EXPECT_EQ(hello->legacy_compression_methods, Bytes{0});
  EXPECT_FALSE(hello->extensions_absent);
  EXPECT_EQ(types_of(hello->extensions),
            (std::vector<ET>{ET::server_name, ET::renegotiation_info, ET::supported_groups,
                             ET::session_ticket, ET::key_share, ET::supported_versions,
                             ET::signature_algorithms, ET::psk_key_exchange_modes,
                             ET::record_size_limit}));

  auto* sni = hello->get<ServerNameList>(ET::server_name);
  ASSERT_TRUE(sni);
  EXPECT_EQ(sni->host_names, std::vector<std::string>{"server"});
  auto* reneg = hello->get<RenegotiationInfo>(ET::renegotiation_info);
  ASSERT_TRUE(reneg);
  EXPECT_TRUE(reneg->renegotiated_connection.empty());
  auto* groups = hello->get<NamedGroupList>(ET::supported_groups);
  ASSERT_TRUE(groups);
  EXPECT_EQ(groups->groups,
            (std::vector<NamedGroup>{
                NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1,
                NamedGroup::secp521r1, NamedGroup::ffdhe2048, NamedGroup::ffdhe3072,
                NamedGroup::ffdhe4096, NamedGroup::ffdhe6144, NamedGroup::ffdhe8192}));
  auto* ticket = hello->get<SessionTicketExtension>(ET::session_ticket);
  ASSERT_TRUE(ticket);
  EXPECT_TRUE(ticket->ticket.empty());
  auto* shares = hello->get<KeyShareClientHello>(ET::key_share);
  ASSERT_TRUE(shares);
  ASSERT_EQ(shares->shares.size(), 1u);
  EXPECT_EQ(shares->shares[0].group, NamedGroup::x25519);
  // §3: the client's x25519 public key.
  EXPECT_EQ(base::hex(shares->shares[0].key_exchange),
            "99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c");
  auto* versions = hello->get<SupportedVersionsList>(ET::supported_versions);
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->versions, std::vector<ProtocolVersion>{ProtocolVersion::tls13});
  auto* schemes = hello->get<SignatureSchemeList>(ET::signature_algorithms);
  ASSERT_TRUE(schemes);
  EXPECT_EQ(schemes->schemes, kRfc8448ClientSchemes);
  auto* modes = hello->get<PskKeyExchangeModes>(ET::psk_key_exchange_modes);
  ASSERT_TRUE(modes);
  EXPECT_EQ(modes->modes, std::vector<PskKeyExchangeMode>{PskKeyExchangeMode::psk_dhe_ke});
  auto* limit = hello->get<RecordSizeLimit>(ET::record_size_limit);
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->limit, 0x4001);
}

TEST(MsgsRfc8448, SimpleServerHello) {
  auto hello = parse_round_trip<ServerHello>(H(kSimpleServerHello));
  ASSERT_TRUE(hello);
  EXPECT_FALSE(hello->is_hello_retry_request());
  EXPECT_EQ(hello->cipher_suite, CipherSuite::tls_aes_128_gcm_sha256);
  EXPECT_EQ(hello->legacy_compression_method, 0);
  EXPECT_TRUE(hello->legacy_session_id_echo.empty());
  EXPECT_EQ(types_of(hello->extensions), (std::vector<ET>{ET::key_share, ET::supported_versions}));
  auto* share = hello->get<KeyShareServerHello>(ET::key_share);
  ASSERT_TRUE(share);
  EXPECT_EQ(share->share.group, NamedGroup::x25519);
  // §3: the server's x25519 public key.
  EXPECT_EQ(base::hex(share->share.key_exchange),
            "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f");
  auto* version = hello->get<SupportedVersionSelected>(ET::supported_versions);
  ASSERT_TRUE(version);
  EXPECT_EQ(version->version, ProtocolVersion::tls13);
}

TEST(MsgsRfc8448, SimpleEncryptedExtensions) {
  auto ee = parse_round_trip<EncryptedExtensions>(H(kSimpleEncryptedExtensions));
  ASSERT_TRUE(ee);
  EXPECT_EQ(types_of(ee->extensions),
            (std::vector<ET>{ET::supported_groups, ET::record_size_limit, ET::server_name}));
  auto* groups = find_extension_body<NamedGroupList>(ee->extensions, ET::supported_groups);
  ASSERT_TRUE(groups);
  EXPECT_EQ(groups->groups.size(), 9u);
  EXPECT_TRUE(find_extension_body<EmptyExtension>(ee->extensions, ET::server_name));
  auto* limit = find_extension_body<RecordSizeLimit>(ee->extensions, ET::record_size_limit);
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->limit, 0x4001);
}

TEST(MsgsRfc8448, SimpleCertificate) {
  auto cert = parse_round_trip<Certificate13>(H(kSimpleCertificate));
  ASSERT_TRUE(cert);
  EXPECT_TRUE(cert->certificate_request_context.empty());
  ASSERT_EQ(cert->certificate_list.size(), 1u);
  const CertificateEntry& leaf = cert->certificate_list[0];
  EXPECT_EQ(leaf.cert_data.size(), 0x1b0u);
  EXPECT_EQ(base::hex(BytesView(leaf.cert_data).first(4)), "308201ac");  // a DER SEQUENCE
  EXPECT_TRUE(leaf.extensions.empty());
}

TEST(MsgsRfc8448, SimpleCertificateVerify) {
  auto cv = parse_round_trip<CertificateVerify>(H(kSimpleCertificateVerify));
  ASSERT_TRUE(cv);
  EXPECT_EQ(cv->scheme, SS::rsa_pss_rsae_sha256);
  EXPECT_EQ(cv->signature.size(), 128u);
  EXPECT_EQ(base::hex(BytesView(cv->signature).first(4)), "5a747c5d");
}

TEST(MsgsRfc8448, SimpleFinished) {
  auto server = parse_round_trip<Finished>(H(kSimpleServerFinished));
  ASSERT_TRUE(server);
  // §3: the server's "finished" value.
  EXPECT_EQ(base::hex(server->verify_data),
            "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718");
  auto client = parse_round_trip<Finished>(H(kSimpleClientFinished));
  ASSERT_TRUE(client);
  EXPECT_EQ(base::hex(client->verify_data),
            "a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61");
}

TEST(MsgsRfc8448, SimpleNewSessionTicket) {
  auto nst = parse_round_trip<NewSessionTicket13>(H(kSimpleNewSessionTicket));
  ASSERT_TRUE(nst);
  EXPECT_EQ(nst->ticket_lifetime, 30u);
  EXPECT_EQ(nst->ticket_age_add, 0xfad6aac5u);
  EXPECT_EQ(nst->ticket_nonce, (Bytes{0x00, 0x00}));
  EXPECT_EQ(nst->ticket.size(), 0xb2u);
  auto* early = find_extension_body<EarlyDataMax>(nst->extensions, ET::early_data);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->max_early_data_size, 0x400u);
}

TEST(MsgsRfc8448, ResumedClientHelloWithPsk) {
  auto hello = parse_round_trip<ClientHello>(H(kResumedClientHello));
  ASSERT_TRUE(hello);
  ASSERT_FALSE(hello->extensions.empty());
  EXPECT_EQ(hello->extensions.back().type, ET::pre_shared_key);
  EXPECT_TRUE(hello->get<EmptyExtension>(ET::early_data));
  auto* padding = hello->get<Padding>(ET::padding);
  ASSERT_TRUE(padding);
  EXPECT_EQ(padding->data, Bytes(0x57, 0));
  auto* offer = hello->get<PreSharedKeyOffer>(ET::pre_shared_key);
  ASSERT_TRUE(offer);
  ASSERT_EQ(offer->identities.size(), 1u);
  ASSERT_EQ(offer->binders.size(), 1u);
  // §4: the identity is the ticket from §3's NewSessionTicket.
  auto nst = NewSessionTicket13::parse(split_handshake(H(kSimpleNewSessionTicket))->body);
  ASSERT_TRUE(nst.ok());
  EXPECT_EQ(offer->identities[0].identity, nst->ticket);
  EXPECT_EQ(offer->binders[0].size(), 32u);
  // §4 "calculate PSK binder": the ClientHello prefix hashed for the binder.
  Bytes encoded = hello->encode();
  auto prefix = truncated_client_hello(encoded, *hello);
  ASSERT_TRUE(prefix.ok()) << prefix.error();
  EXPECT_EQ(base::hex(*prefix), base::hex(H(kResumedClientHelloPrefix)));
}

TEST(MsgsRfc8448, ResumedServerHelloSelectsPsk) {
  auto hello = parse_round_trip<ServerHello>(H(kResumedServerHello));
  ASSERT_TRUE(hello);
  EXPECT_EQ(types_of(hello->extensions),
            (std::vector<ET>{ET::pre_shared_key, ET::key_share, ET::supported_versions}));
  auto* selected = hello->get<PreSharedKeySelected>(ET::pre_shared_key);
  ASSERT_TRUE(selected);
  EXPECT_EQ(selected->selected_identity, 0);
}

TEST(MsgsRfc8448, ResumedEncryptedExtensionsAndEndOfEarlyData) {
  auto ee = parse_round_trip<EncryptedExtensions>(H(kResumedEncryptedExtensions));
  ASSERT_TRUE(ee);
  EXPECT_TRUE(find_extension_body<EmptyExtension>(ee->extensions, ET::early_data));
  EXPECT_TRUE(parse_round_trip<EndOfEarlyData>(H(kResumedEndOfEarlyData)));
}

TEST(MsgsRfc8448, HelloRetryRequest) {
  auto hrr = parse_round_trip<ServerHello>(H(kHrrHelloRetryRequest));
  ASSERT_TRUE(hrr);
  EXPECT_TRUE(hrr->is_hello_retry_request());
  EXPECT_EQ(hrr->cipher_suite, CipherSuite::tls_aes_128_gcm_sha256);
  EXPECT_EQ(types_of(hrr->extensions),
            (std::vector<ET>{ET::key_share, ET::cookie, ET::supported_versions}));
  auto* share = hrr->get<KeyShareHelloRetryRequest>(ET::key_share);
  ASSERT_TRUE(share);
  EXPECT_EQ(share->selected_group, NamedGroup::secp256r1);
  auto* cookie = hrr->get<Cookie>(ET::cookie);
  ASSERT_TRUE(cookie);
  EXPECT_EQ(cookie->cookie.size(), 0x72u);

  // §5: the first ClientHello offers only x25519; the second echoes the cookie and sends
  // a P-256 share.
  auto first = parse_round_trip<ClientHello>(H(kHrrClientHello1));
  ASSERT_TRUE(first);
  auto* first_shares = first->get<KeyShareClientHello>(ET::key_share);
  ASSERT_TRUE(first_shares);
  ASSERT_EQ(first_shares->shares.size(), 1u);
  EXPECT_EQ(first_shares->shares[0].group, NamedGroup::x25519);
  auto second = parse_round_trip<ClientHello>(H(kHrrClientHello2));
  ASSERT_TRUE(second);
  auto* echoed = second->get<Cookie>(ET::cookie);
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->cookie, cookie->cookie);
  auto* second_shares = second->get<KeyShareClientHello>(ET::key_share);
  ASSERT_TRUE(second_shares);
  ASSERT_EQ(second_shares->shares.size(), 1u);
  EXPECT_EQ(second_shares->shares[0].group, NamedGroup::secp256r1);
  EXPECT_EQ(second_shares->shares[0].key_exchange.size(), 65u);

  auto server = parse_round_trip<ServerHello>(H(kHrrServerHello));
  ASSERT_TRUE(server);
  EXPECT_FALSE(server->is_hello_retry_request());
  auto* server_share = server->get<KeyShareServerHello>(ET::key_share);
  ASSERT_TRUE(server_share);
  EXPECT_EQ(server_share->share.group, NamedGroup::secp256r1);
}

TEST(MsgsRfc8448, ClientAuthMessages) {
  auto request = parse_round_trip<CertificateRequest13>(H(kClientAuthCertificateRequest));
  ASSERT_TRUE(request);
  EXPECT_TRUE(request->certificate_request_context.empty());
  auto* schemes =
      find_extension_body<SignatureSchemeList>(request->extensions, ET::signature_algorithms);
  ASSERT_TRUE(schemes);
  EXPECT_EQ(schemes->schemes, kRfc8448ClientSchemes);
  auto cert = parse_round_trip<Certificate13>(H(kClientAuthCertificate));
  ASSERT_TRUE(cert);
  EXPECT_EQ(cert->certificate_list.size(), 1u);
  auto cv = parse_round_trip<CertificateVerify>(H(kClientAuthCertificateVerify));
  ASSERT_TRUE(cv);
  EXPECT_EQ(cv->scheme, SS::ecdsa_secp256r1_sha256);
}

// ---- truncation: every prefix of every message above is rejected cleanly ----

struct Vector {
  const char* name;
  const char* hex;
};
const Vector kAllVectors[] = {
    {"SimpleClientHello", kSimpleClientHello},
    {"SimpleServerHello", kSimpleServerHello},
    {"SimpleEncryptedExtensions", kSimpleEncryptedExtensions},
    {"SimpleCertificate", kSimpleCertificate},
    {"SimpleCertificateVerify", kSimpleCertificateVerify},
    {"SimpleServerFinished", kSimpleServerFinished},
    {"SimpleClientFinished", kSimpleClientFinished},
    {"SimpleNewSessionTicket", kSimpleNewSessionTicket},
    {"ResumedClientHello", kResumedClientHello},
    {"ResumedServerHello", kResumedServerHello},
    {"ResumedEncryptedExtensions", kResumedEncryptedExtensions},
    {"ResumedEndOfEarlyData", kResumedEndOfEarlyData},
    {"HrrClientHello1", kHrrClientHello1},
    {"HrrHelloRetryRequest", kHrrHelloRetryRequest},
    {"HrrClientHello2", kHrrClientHello2},
    {"HrrServerHello", kHrrServerHello},
    {"ClientAuthCertificateRequest", kClientAuthCertificateRequest},
    {"ClientAuthCertificate", kClientAuthCertificate},
    {"ClientAuthCertificateVerify", kClientAuthCertificateVerify},
};

// Parses `body` as the message its type says (TLS 1.3 forms).
Result<Bytes> parse_and_encode(HandshakeType type, BytesView body) {
  auto run = [](auto parsed) -> Result<Bytes> {
    if (!parsed.ok()) return std::move(parsed).error();
    return parsed->encode();
  };
  switch (type) {
    case HandshakeType::client_hello: return run(ClientHello::parse(body));
    case HandshakeType::server_hello: return run(ServerHello::parse(body));
    case HandshakeType::encrypted_extensions: return run(EncryptedExtensions::parse(body));
    case HandshakeType::certificate: return run(Certificate13::parse(body));
    case HandshakeType::certificate_request: return run(CertificateRequest13::parse(body));
    case HandshakeType::certificate_verify: return run(CertificateVerify::parse(body));
    case HandshakeType::finished: return run(Finished::parse(body));
    case HandshakeType::new_session_ticket: return run(NewSessionTicket13::parse(body));
    case HandshakeType::end_of_early_data: return run(EndOfEarlyData::parse(body));
    default: return Error(Errc::internal, "no parser in this test");
  }
}

TEST(MsgsRfc8448, EveryPrefixIsRejected) {
  for (const Vector& v : kAllVectors) {
    Bytes message = H(v.hex);
    // Framing: no prefix of a message is a whole message.
    for (size_t n = 0; n < message.size(); ++n) {
      auto split = split_handshake(BytesView(message).first(n));
      ASSERT_FALSE(split.ok()) << v.name << " prefix " << n;
      EXPECT_EQ(split.error().alert, Alert::decode_error);
    }
    auto type = static_cast<HandshakeType>(message[0]);
    BytesView body = BytesView(message).subspan(kHandshakeHeaderSize);
    // Finished is all verify_data, so its prefixes are well formed (the state machine
    // checks the length); every other body prefix must fail as decode_error, except where
    // a hello legitimately ends before its (optional, TLS 1.2) extensions block.
    if (type == HandshakeType::finished) continue;
    for (size_t n = 0; n < body.size(); ++n) {
      auto result = parse_and_encode(type, body.first(n));
      if (result.ok()) {
        ASSERT_TRUE(type == HandshakeType::client_hello || type == HandshakeType::server_hello)
            << v.name << " body prefix " << n << " parsed";
        EXPECT_EQ(base::hex(*result), base::hex(frame_handshake(type, body.first(n))));
        continue;
      }
      EXPECT_EQ(result.error().code, Errc::decode) << v.name << " " << n;
      EXPECT_EQ(result.error().alert, Alert::decode_error)
          << v.name << " " << n << ": " << result.error();
    }
  }
}

TEST(MsgsRfc8448, DescribedForTrace) {
  std::string text = describe_handshake(H(kSimpleServerHello));
  EXPECT_EQ(text,
            "ServerHello (90 bytes)\n"
            "  legacy_version: TLSv1.2\n"
            "  random: a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928\n"
            "  legacy_session_id_echo: (empty)\n"
            "  cipher_suite: TLS_AES_128_GCM_SHA256\n"
            "  legacy_compression_method: 0\n"
            "  extensions (2):\n"
            "    key_share: x25519 (32 bytes)\n"
            "    supported_versions: TLSv1.3\n");
  // Every message of the traces describes without a "malformed" marker.
  for (const Vector& v : kAllVectors) {
    std::string described = describe_handshake(H(v.hex));
    EXPECT_EQ(described.find("malformed"), std::string::npos) << v.name << ":\n" << described;
  }
}

TEST(MsgsRfc8448, ErrorsNameTheMessage) {
  Bytes message = H(kSimpleClientHello);
  BytesView body = BytesView(message).subspan(kHandshakeHeaderSize);
  auto result = ClientHello::parse(body.first(body.size() - 1));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().detail.find("ClientHello"), std::string::npos) << result.error();
}

}  // namespace
}  // namespace tern::msgs
