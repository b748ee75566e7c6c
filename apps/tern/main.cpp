// tern: the command-line tool. Subcommands live in cmd_*.cpp; this file only dispatches.
#include <iostream>

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::cerr << "tern: no subcommands yet\n";
  return 2;
}
