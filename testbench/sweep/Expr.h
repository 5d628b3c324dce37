// Derived values of a sweep (`{name: walk_refs_pki, expr: "1000 * mmu.walker.memory_reads /
// sim.instructions"}`): arithmetic (+ - * /, unary minus, parentheses, decimal numbers) over stat names,
// evaluated per point.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sv39sim::sweep {

class Expr {
 public:
  // Parses `text`; on a syntax error returns nullopt and sets *error (what is wrong, with the character
  // position in the text, 1-based).
  static std::optional<Expr> parse(const std::string& text, std::string* error);

  // The stat names the expression reads, in order of appearance, each once.
  const std::vector<std::string>& names() const { return names_; }

  // The value, given each name's value; nullopt if a name has none (a failed point, a text stat) or the
  // result is not finite (division by zero).
  std::optional<double> eval(const std::function<std::optional<double>(const std::string&)>& value_of) const;

 private:
  // Postfix code: numbers and names push, operators pop their operands.
  struct Op {
    enum Kind { Number, Name, Add, Sub, Mul, Div, Neg } kind;
    double number = 0;
    std::string name;
  };
  std::vector<Op> code_;
  std::vector<std::string> names_;
  friend class ExprParser;
};

}  // namespace sv39sim::sweep
