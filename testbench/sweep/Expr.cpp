#include "testbench/sweep/Expr.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace sv39sim::sweep {

// Recursive descent: expr = term {(+|-) term}; term = unary {(*|/) unary}; unary = -unary | primary;
// primary = number | name | ( expr ).
class ExprParser {
 public:
  ExprParser(const std::string& text, Expr& out) : s_(text), out_(out) {}

  bool parse(std::string* error) {
    if (!expr()) return fail_out(error);
    skip_space();
    if (at_ < s_.size()) {
      fail("unexpected '" + std::string(1, s_[at_]) + "'");
      return fail_out(error);
    }
    return true;
  }

 private:
  bool fail_out(std::string* error) {
    if (error) *error = error_ + " at character " + std::to_string(error_at_ + 1);
    return false;
  }
  bool fail(const std::string& why) {
    if (error_.empty()) {
      error_ = why;
      error_at_ = at_;
    }
    return false;
  }
  void skip_space() {
    while (at_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[at_]))) ++at_;
  }
  void emit(Expr::Op::Kind k) { out_.code_.push_back({k, 0, {}}); }

  bool expr() {
    if (!term()) return false;
    for (;;) {
      skip_space();
      if (at_ >= s_.size() || (s_[at_] != '+' && s_[at_] != '-')) return true;
      const char op = s_[at_++];
      if (!term()) return false;
      emit(op == '+' ? Expr::Op::Add : Expr::Op::Sub);
    }
  }
  bool term() {
    if (!unary()) return false;
    for (;;) {
      skip_space();
      if (at_ >= s_.size() || (s_[at_] != '*' && s_[at_] != '/')) return true;
      const char op = s_[at_++];
      if (!unary()) return false;
      emit(op == '*' ? Expr::Op::Mul : Expr::Op::Div);
    }
  }
  bool unary() {
    skip_space();
    if (at_ < s_.size() && s_[at_] == '-') {
      ++at_;
      if (!unary()) return false;
      emit(Expr::Op::Neg);
      return true;
    }
    return primary();
  }
  bool primary() {
    skip_space();
    if (at_ >= s_.size()) return fail("expected a number, a stat name or '('");
    const char c = s_[at_];
    if (c == '(') {
      ++at_;
      if (!expr()) return false;
      skip_space();
      if (at_ >= s_.size() || s_[at_] != ')') return fail("expected ')'");
      ++at_;
      return true;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      const char* begin = s_.c_str() + at_;
      char* end = nullptr;
      const double v = std::strtod(begin, &end);
      if (end == begin) return fail("malformed number");
      at_ += static_cast<size_t>(end - begin);
      out_.code_.push_back({Expr::Op::Number, v, {}});
      return true;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      // Stat names: dotted words whose parts may start with a digit (mmu.dtlb.misses.load.4k).
      const size_t begin = at_;
      while (at_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[at_])) || s_[at_] == '_' || s_[at_] == '.'))
        ++at_;
      const std::string name = s_.substr(begin, at_ - begin);
      out_.code_.push_back({Expr::Op::Name, 0, name});
      if (std::find(out_.names_.begin(), out_.names_.end(), name) == out_.names_.end())
        out_.names_.push_back(name);
      return true;
    }
    return fail("unexpected '" + std::string(1, c) + "'");
  }

  const std::string& s_;
  Expr& out_;
  size_t at_ = 0;
  std::string error_;
  size_t error_at_ = 0;
};

std::optional<Expr> Expr::parse(const std::string& text, std::string* error) {
  Expr e;
  ExprParser p(text, e);
  if (!p.parse(error)) return std::nullopt;
  return e;
}

std::optional<double> Expr::eval(
    const std::function<std::optional<double>(const std::string&)>& value_of) const {
  std::vector<double> stack;
  for (const Op& op : code_) {
    if (op.kind == Op::Number) {
      stack.push_back(op.number);
    } else if (op.kind == Op::Name) {
      const std::optional<double> v = value_of(op.name);
      if (!v) return std::nullopt;
      stack.push_back(*v);
    } else if (op.kind == Op::Neg) {
      stack.back() = -stack.back();
    } else {
      const double b = stack.back();
      stack.pop_back();
      double& a = stack.back();
      switch (op.kind) {
        case Op::Add: a += b; break;
        case Op::Sub: a -= b; break;
        case Op::Mul: a *= b; break;
        default: a /= b; break;
      }
    }
  }
  if (stack.size() != 1 || !std::isfinite(stack.back())) return std::nullopt;
  return stack.back();
}

}  // namespace sv39sim::sweep
