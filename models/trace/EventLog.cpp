#include "models/trace/EventLog.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "models/sim/InputError.h"

namespace sv39sim {

namespace {

constexpr char kMagic[] = "sv39sim-events 1\n";
constexpr unsigned kRecordBytes = 92;

template <typename T>
uint8_t* put(uint8_t* p, T v) {
  for (unsigned i = 0; i < sizeof(T); ++i) *p++ = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i));
  return p;
}
template <typename T>
const uint8_t* get(const uint8_t* p, T* v) {
  uint64_t x = 0;
  for (unsigned i = 0; i < sizeof(T); ++i) x |= uint64_t{p[i]} << (8 * i);
  *v = static_cast<T>(x);
  return p + sizeof(T);
}

void encode(const Event& e, uint8_t* p) {
  p = put(p, e.seq);
  p = put(p, e.time_ps);
  p = put(p, e.instret);
  p = put(p, static_cast<uint8_t>(e.kind));
  p = put(p, static_cast<uint8_t>(e.unit));
  for (uint8_t b : {e.access, e.level, e.outcome, e.priv, e.priv_to, uint8_t{0}}) p = put(p, b);
  p = put(p, e.asid);
  p = put(p, e.victim_asid);
  p = put(p, e.set);
  p = put(p, e.way);
  for (uint64_t q : {e.va, e.pa, e.data, e.aux, e.victim_va, e.latency_ps}) p = put(p, q);
}

// False if the record's kind or unit is out of range.
bool decode(const uint8_t* p, Event* e) {
  uint8_t kind, unit, pad;
  p = get(p, &e->seq);
  p = get(p, &e->time_ps);
  p = get(p, &e->instret);
  p = get(p, &kind);
  p = get(p, &unit);
  for (uint8_t* b : {&e->access, &e->level, &e->outcome, &e->priv, &e->priv_to, &pad}) p = get(p, b);
  p = get(p, &e->asid);
  p = get(p, &e->victim_asid);
  p = get(p, &e->set);
  p = get(p, &e->way);
  for (uint64_t* q : {&e->va, &e->pa, &e->data, &e->aux, &e->victim_va, &e->latency_ps}) p = get(p, q);
  e->kind = static_cast<EventKind>(kind);
  e->unit = static_cast<Unit>(unit);
  return kind < kEventKinds && unit < kUnits;
}

}  // namespace

bool event_log_keeps(EventKind k) {
  return is_translation_kind(k) || k == EventKind::Sfence || k == EventKind::SatpWrite;
}

EventLogWriter::EventLogWriter(const std::string& path, const std::string& config_text) : path_(path) {
  const std::string tmp = path + ".tmp";
  // Level 1: the stream is large and repetitive; speed matters more than the last few percent.
  out_ = gzopen(tmp.c_str(), "wb1");
  if (!out_) throw InputError(tmp + ": cannot write the event log: " + std::strerror(errno));
  const std::string header = std::string(kMagic) + "config " + std::to_string(config_text.size()) + "\n";
  write(header.data(), static_cast<unsigned>(header.size()));
  write(config_text.data(), static_cast<unsigned>(config_text.size()));
}

EventLogWriter::~EventLogWriter() {
  if (out_) {
    gzclose(out_);  // unfinished: the .tmp stays, never a file that passes for a whole log
  }
}

void EventLogWriter::write(const void* data, unsigned len) {
  if (len && gzwrite(out_, data, len) != static_cast<int>(len))
    throw std::runtime_error(path_ + ".tmp: writing the event log failed");
}

void EventLogWriter::on_event(const Event& e) {
  if (!out_ || !event_log_keeps(e.kind)) return;
  uint8_t rec[kRecordBytes];
  encode(e, rec);
  write(rec, kRecordBytes);
  ++written_;
}

void EventLogWriter::on_end(uint64_t) {
  if (!out_) return;
  const int rc = gzclose(out_);
  out_ = nullptr;
  if (rc != Z_OK || std::rename((path_ + ".tmp").c_str(), path_.c_str()) != 0)
    throw std::runtime_error(path_ + ": finishing the event log failed");
}

void read_event_log(const std::string& path, const std::function<void(const std::string&)>& config,
                    const std::function<bool(const Event&)>& event) {
  gzFile in = gzopen(path.c_str(), "rb");
  if (!in) throw InputError(path + ": cannot open event log: " + std::strerror(errno));
  struct Closer {
    gzFile f;
    ~Closer() { gzclose(f); }
  } closer{in};
  auto not_a_log = [&](const std::string& why) {
    return InputError(path + ": not an sv39sim event log (trace.events.enabled writes one): " + why);
  };
  char line[64];
  if (!gzgets(in, line, sizeof line) || std::strcmp(line, kMagic) != 0) throw not_a_log("bad header");
  unsigned long long bytes = 0;
  if (!gzgets(in, line, sizeof line) || std::sscanf(line, "config %llu", &bytes) != 1 || bytes > (1u << 20))
    throw not_a_log("bad config line");
  std::string text(bytes, '\0');
  if (bytes && gzread(in, text.data(), static_cast<unsigned>(bytes)) != static_cast<int>(bytes))
    throw not_a_log("the config is cut short");
  config(text);
  uint8_t rec[kRecordBytes];
  for (uint64_t n = 0;; ++n) {
    const int got = gzread(in, rec, kRecordBytes);
    if (got == 0) break;
    if (got != static_cast<int>(kRecordBytes)) {
      int err = 0;
      const char* msg = gzerror(in, &err);
      throw InputError(path + ": event " + std::to_string(n) + " is cut short" +
                       (err != Z_OK && err != Z_BUF_ERROR ? std::string(" (") + msg + ")" : ""));
    }
    Event e;
    if (!decode(rec, &e))
      throw InputError(path + ": event " + std::to_string(n) + " has an unknown kind or unit");
    if (!event(e)) break;
  }
}

}  // namespace sv39sim
