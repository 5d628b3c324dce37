// Reads a waves.fst that WaveRecorder wrote back into the event stream (models/sim/Event.h), so tests and
// tools can check a run's waveform against its statistics without a waveform viewer.
//
// What comes back is what the recorder keeps: every event's header (seq, time_ps, instret, unit, kind) and
// the fields the recorder writes for its kind (WaveRecorder::record); fields it does not write stay 0.
// TrapEnter/TrapReturn get `priv` (from) as the hart's privilege before the event.
//
// The recorder writes a field only when its value changes, and FST keeps the order of changes within
// one signal but not across signals in one picosecond. The `event` string (written for every event) gives
// the events of a picosecond in order; each field signal's changes in that picosecond go to the events
// that write it, in order. That is exact when the recorder, once a field changed in a picosecond, writes
// it at every later write in that picosecond even when equal (it says so with kWavesRepeatVersion as the
// file's version): the unchanged writers are then the first ones. From a recorder that does not, when
// two events of a picosecond write one field and fewer changes than writes were recorded, the changes go
// to the earliest writers and the rest repeat the last value, which is a guess: it is wrong when an
// event repeats the field's earlier value and a later one in the picosecond changes it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/sim/Event.h"

namespace sv39sim {

// The FST version string of a recorder that repeats a field's value within a picosecond once it changed.
constexpr const char* kWavesRepeatVersion = "sv39sim waves 2";

struct WaveFile {
  std::vector<Event> events;              // in stream order
  uint64_t end_ps = 0;                    // where the waves end
  std::vector<std::string> marker_names;  // pager marker code -> name, from the file's enum table
};

// Throws InputError naming `path` when it is missing, not an FST file, or not one sv39sim wrote.
WaveFile read_waves(const std::string& path);
// The same, handing each event to `on_event` as it is decoded instead of keeping it: a long run's waves
// hold more events than fit in memory. The result's `events` stays empty.
WaveFile read_waves(const std::string& path, const std::function<void(const Event&)>& on_event);

}  // namespace sv39sim
