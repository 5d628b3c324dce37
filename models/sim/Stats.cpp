#include "models/sim/Stats.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sv39sim {

void Stats::add_counter(const std::string& name, std::function<uint64_t()> read,
                        const std::string& description) {
  entries_.push_back({name, description, Kind::Counter, std::move(read), {}, {}});
}
void Stats::add_real(const std::string& name, std::function<double()> read, const std::string& description) {
  entries_.push_back({name, description, Kind::Real, {}, std::move(read), {}});
}
void Stats::add_text(const std::string& name, std::function<std::string()> read,
                     const std::string& description) {
  entries_.push_back({name, description, Kind::Text, {}, {}, std::move(read)});
}

namespace {
std::string json_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}
}  // namespace

std::string Stats::value_text(const Entry& e, bool json) const {
  switch (e.kind) {
    case Kind::Counter: return std::to_string(e.counter());
    case Kind::Real: {
      const double v = e.real();
      if (!std::isfinite(v)) return json ? "null" : "nan";
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", v);
      return buf;
    }
    case Kind::Text: return json ? json_quote(e.str()) : e.str();
  }
  return "";
}

std::string Stats::json() const {
  std::ostringstream os;
  os << "{\n";
  for (size_t i = 0; i < entries_.size(); ++i) {
    os << "  " << json_quote(entries_[i].name) << ": " << value_text(entries_[i], true)
       << (i + 1 < entries_.size() ? ",\n" : "\n");
  }
  os << "}\n";
  return os.str();
}

std::string Stats::text() const {
  std::ostringstream os;
  size_t width = 0;
  for (const auto& e : entries_) width = std::max(width, e.name.size());
  for (const auto& e : entries_) {
    const std::string v = value_text(e, false);
    os << e.name << std::string(width + 2 - e.name.size(), ' ') << v
       << std::string(v.size() < 20 ? 20 - v.size() : 1, ' ') << "# " << e.description << "\n";
  }
  return os.str();
}

void Stats::write(const std::string& dir) const {
  const std::pair<const char*, std::string> files[] = {{"stats.json", json()}, {"stats.txt", text()}};
  for (const auto& f : files) {
    const std::string path = dir + "/" + f.first;
    const std::string tmp = path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << f.second;
      out.flush();
      if (!out) throw std::runtime_error(tmp + ": cannot write statistics");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      throw std::runtime_error(path + ": cannot rename into place");
  }
}

}  // namespace sv39sim
