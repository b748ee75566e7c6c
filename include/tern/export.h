// SPDX-License-Identifier: Apache-2.0
/// @file
/// TERN_API marks the public API: the only symbols libtern.so exports. The library is built
/// with -fvisibility=hidden, so everything else (the layers under src/) stays internal and
/// can change without breaking programs linked against libtern.so.0.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define TERN_API __attribute__((visibility("default")))
#else
#define TERN_API
#endif
