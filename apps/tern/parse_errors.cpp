// SPDX-License-Identifier: Apache-2.0
#include "parse_errors.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <vector>

namespace tern::cli {
namespace {

struct Known {
  std::vector<std::string> names;  // "-o", "--output", ...
  std::vector<const CLI::Option*> options;
};

Known known_options(const CLI::App& cmd) {
  Known known;
  const CLI::App* app = &cmd;
  // A subcommand also takes its parent's options (--help lives on both).
  for (; app; app = app->get_parent())
    for (const CLI::Option* opt : app->get_options()) {
      for (const std::string& s : opt->get_snames()) known.names.push_back("-" + s);
      for (const std::string& l : opt->get_lnames()) known.names.push_back("--" + l);
      known.options.push_back(opt);
    }
  return known;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  // -Z for -z, --Output for --output: the case is the likeliest slip.
  for (const std::string& c : candidates)
    if (lower(c) == lower(word)) return c;
  // Every short option is one edit from every other: a guess there would be noise.
  if (word.size() == 2) return "";
  std::string best;
  size_t best_distance = std::string::npos;
  for (const std::string& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_distance) best_distance = d, best = c;
  }
  // A suggestion further than half the word away is noise.
  return best_distance <= std::max<size_t>(2, word.size() / 2) ? best : "";
}

bool is_known(const std::string& token, const Known& known) {
  std::string name = token.substr(0, token.find('='));
  if (std::find(known.names.begin(), known.names.end(), name) != known.names.end()) return true;
  // "-sS", "-kv": a cluster of short flags, or "-ofile": a short option and its value.
  if (!token.starts_with("--") && token.size() > 2) {
    std::string first = token.substr(0, 2);
    return std::find(known.names.begin(), known.names.end(), first) != known.names.end();
  }
  return false;
}

// The option among `known` that `token` names, or null.
const CLI::Option* option_named(const std::string& token, const Known& known) {
  for (const CLI::Option* opt : known.options)
    if (opt->check_name(token)) return opt;
  return nullptr;
}

}  // namespace

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string explain_parse_error(CLI::App& app, const CLI::ParseError& error, int argc,
                                char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // The subcommand: the first word that is not an option.
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  std::string list;
  for (const std::string& c : commands) list += (list.empty() ? "" : ", ") + c;
  size_t at = 0;
  while (at < args.size() && args[at].starts_with("-")) ++at;
  if (at == args.size()) return "";  // no subcommand: CLI11 says one is required
  CLI::App* cmd = nullptr;
  for (CLI::App* sub : app.get_subcommands({}))
    if (sub->get_name() == args[at]) cmd = sub;
  if (!cmd) {
    std::string guess = nearest(args[at], commands);
    return "unknown command '" + args[at] + "'" +
           (guess.empty() ? "" : "; did you mean '" + guess + "'?") + "\nThe commands are: " +
           list + ". Run 'tern COMMAND --help' for each one's options.";
  }
  Known known = known_options(*cmd);
  std::string prefix = "tern " + cmd->get_name() + ": ";
  for (size_t i = at + 1; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token == "--") break;
    if (token.size() < 2 || token[0] != '-' || is_known(token, known)) {
      // Skip the value of an option that takes one.
      if (const CLI::Option* opt = option_named(token.substr(0, token.find('=')), known);
          opt && opt->get_expected_min() > 0 && token.find('=') == std::string::npos)
        ++i;
      continue;
    }
    std::string name = token.substr(0, token.find('='));
    std::string guess = nearest(name, known.names);
    return prefix + "unknown option " + name + (guess.empty() ? "" : "; did you mean " + guess + "?") +
           " (see tern " + cmd->get_name() + " --help)";
  }
  // A required positional is missing: did an option take it as its value?
  if (dynamic_cast<const CLI::RequiredError*>(&error)) {
    for (size_t i = at + 1; i + 1 < args.size(); ++i) {
      const CLI::Option* opt = option_named(args[i], known);
      const std::string& value = args[i + 1];
      if (opt && opt->get_expected_min() > 0 && value.find("://") != std::string::npos &&
          i + 2 == args.size())
        return prefix + args[i] + " took '" + value + "' as its " +
               (opt->get_type_name().empty() ? "value" : opt->get_type_name()) +
               "; give the URL too";
    }
  }
  (void)error;
  return "";
}

}  // namespace tern::cli
