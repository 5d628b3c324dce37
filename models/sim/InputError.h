// Bad input from the user (arguments, config, ELF, disk image), reported with exit code 2. Any module that
// reads user-supplied data throws InputError; the command line turns it into the message and exit status.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace sv39sim {

// Where a value, or a problem with it, sits in the input: problems are reported in this order (the config
// file by line and column, then the command-line options in the order given, then what has no place).
struct InputPos {
  enum Source : uint8_t { File, CommandLine, Nowhere };
  Source source = Nowhere;
  unsigned line = 0, column = 0;  // 1-based in a file; for the command line, `line` is the option's index

  static InputPos file(unsigned line, unsigned column) { return {File, line, column}; }
  static InputPos command_line(unsigned index) { return {CommandLine, index, 0}; }
  bool operator<(const InputPos& o) const {
    return source != o.source ? source < o.source : line != o.line ? line < o.line : column < o.column;
  }
};

// Bad input from the user (config, arguments, ELF): reported with exit code 2. The message may list several
// problems, one per line.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what, InputPos pos = {}) : std::runtime_error(what), pos_(pos) {}
  const InputPos& pos() const { return pos_; }

 private:
  InputPos pos_;
};

}  // namespace sv39sim
