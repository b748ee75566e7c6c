// SPDX-License-Identifier: Apache-2.0
// Command-line mistakes said in the user's terms, for every subcommand: the flag that is
// wrong and the nearest one that exists, an unknown subcommand and the list of commands, and
// an option that took the URL (or other positional) as its value.
#pragma once

#include <string>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace tern::cli {

// A message for `error` from parsing argv, or "" when CLI11's own says it well enough.
std::string explain_parse_error(CLI::App& app, const CLI::ParseError& error, int argc,
                                char** argv);

// Levenshtein distance, for "did you mean".
size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace tern::cli
