// Runs one registered TLB geometry (tlb_check.h): tlb_check --variant NAME [--ops N] [--seed S] [--list].
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "testbench/rtl/unit_tlb/tlb_check.h"

namespace sv39rtl {

std::vector<Variant>& variants() {
  static std::vector<Variant> v;
  return v;
}

std::string describe(const Drop& d) {
  std::ostringstream s;
  s << "set " << d.set << " way " << d.way << " reason " << d.reason << " va 0x" << std::hex << d.va
    << std::dec << " asid " << d.asid << " level " << d.level;
  return s.str();
}

std::string describe(const sv39sim::TlbEntry& e) {
  std::ostringstream s;
  s << "{vpn 0x" << std::hex << e.vpn << " ppn 0x" << e.ppn << std::dec << " asid " << e.asid << " level "
    << unsigned{e.level} << " page_level " << unsigned{e.page_level} << " pte 0x" << std::hex
    << unsigned{e.pte} << std::dec << " g " << e.global << "}";
  return s.str();
}

std::string describe(const RtlEntry& e) {
  std::ostringstream s;
  s << "{vpn27 0x" << std::hex << e.vpn << " ppn 0x" << e.ppn << std::dec << " asid " << e.asid << " level "
    << e.level << " page_level " << e.page_level << " pte 0x" << std::hex << e.pte << std::dec << " g "
    << e.global << "}";
  return s.str();
}

}  // namespace sv39rtl

int main(int argc, char** argv) {
  const char* name = nullptr;
  sv39rtl::Options opt;
  bool seed_given = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--variant") && i + 1 < argc) {
      name = argv[++i];
    } else if (!std::strcmp(argv[i], "--ops") && i + 1 < argc) {
      opt.ops = std::strtoull(argv[++i], nullptr, 0);
    } else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) {
      opt.seed = std::strtoull(argv[++i], nullptr, 0);
      seed_given = true;
    } else if (!std::strcmp(argv[i], "--list")) {
      for (const auto& v : sv39rtl::variants()) std::printf("%s\n", v.geometry.name);
      return 0;
    } else {
      std::fprintf(stderr, "usage: %s --variant NAME [--ops N] [--seed S] | --list\n", argv[0]);
      return 2;
    }
  }
  int rc = 0;
  bool found = false;
  for (const auto& v : sv39rtl::variants()) {
    if (name && std::strcmp(name, v.geometry.name) != 0) continue;
    found = true;
    sv39rtl::Options o = opt;
    if (!seed_given) {  // a fixed seed per variant: the same sequence every run
      o.seed = 1;
      for (const char* c = v.geometry.name; *c; ++c) o.seed = o.seed * 131 + static_cast<unsigned char>(*c);
    }
    rc |= v.run(v.geometry, o);
  }
  if (!found) {
    std::fprintf(stderr, "no variant %s (--list)\n", name ? name : "");
    return 2;
  }
  return rc;
}
