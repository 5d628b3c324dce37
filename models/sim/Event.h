// One event record for everything the memory system, the hart's traps and the pager do. Every module
// publishes its events on the one EventBus (EventBus.h) from the place they happen; statistics, waveforms
// and the RTL cross-check all consume this one stream, so they cannot disagree.
//
// The record is flat: the common header (seq, time, instret, kind, unit) and a few generic fields whose
// meaning each kind documents below. Keeping one plain struct makes the stream cheap to buffer, sort and
// write to a file, and lets a consumer switch on `kind` alone.
#pragma once

#include <cstdint>

namespace sv39sim {

// Which block an event belongs to (one waveform scope each).
enum class Unit : uint8_t { Hart, Itlb, Dtlb, L2tlb, Walker, Pwc, L1i, L1d, L2, MemCtl, Dram, Disk, Pager };
constexpr unsigned kUnits = static_cast<unsigned>(Unit::Pager) + 1;
const char* unit_name(Unit u);

enum class EventKind : uint8_t {
  // TLBs (unit Itlb / Dtlb / L2tlb). access: Access; va; asid.
  TlbLookup,      // outcome: LookupOutcome; on Hit/Denied: level (page level of the entry), set, way.
                  // A separate superpage array's entries (tlb.superpages = separate) are numbered after
                  // the main array's ways: set 0, way = ways + i.
  TlbFill,        // level, set, way, pa (frame of the page), data (leaf PTE bits); aux: bit 0 global,
                  // bits 9:8 the leaf's page level (above `level` for a splintered superpage);
                  // outcome: FillReason; on Replaced: victim_va (page), victim_asid
  TlbInvalidate,  // one entry dropped: va (page), asid, level, set, way; outcome: InvalidateReason
  // Page-walk cache (unit Pwc). va; asid.
  PwcLookup,      // one per level probed (1, then 2): level, set; outcome: Hit/Miss; on a hit way, pa (table)
  PwcFill,        // level (2 or 1), set, way, pa (next table); outcome: FillReason; victim_va on Replaced
                  // (the lowest VA the victim pointer covered). With per-level arrays, level says which.
  PwcInvalidate,  // one pointer dropped (by a fence, or a refill of the same pointer): va (lowest it
                  // covered), asid, level, set, way
  // Walker (unit Walker). va; access.
  WalkStart,  // data: satp; level: the level the walk starts at (2 without a PWC hit); time_ps: when the
              // request came; aux: how long it waited for an earlier walk (ps)
  PteRead,    // pa: PTE address; data: value; level; outcome: ServedBy; latency_ps; aux: 1 = access fault
  PteWrite,   // pa: PTE address; data: new value; aux: old value; latency_ps (A/D update)
  WalkEnd,    // outcome: 0 ok / 1 fault; aux: cause on fault; level: leaf level; pa: physical address;
              // latency_ps: start to end, queueing included
  // Hart (unit Hart).
  Fault,       // aux: cause; va: tval; access (for memory faults)
  Sfence,      // va (when aux bit 0); asid (when aux bit 1); aux bit 2: not an SFENCE.VMA but the flush
               // of everything a satp write makes on hardware without ASIDs (mmu.flush_on_satp_write)
  SatpWrite,   // data: new satp; aux: old satp
  TrapEnter,   // aux: cause (interrupts with bit 63); va: tval; pa: pc; priv: from; priv_to: to
  TrapReturn,  // pa: pc returned to; priv: from; priv_to: to; outcome: 0 mret / 1 sret
  // Caches (unit L1i / L1d / L2).
  CacheMiss,  // pa: line address; access: Requester; aux: 1 = write; latency_ps: until the data is there
  // Memory (unit Dram).
  DramAccess,  // pa: address; aux: 1 = write; outcome: RowKind (hit / empty / conflict); set: bank
               // (flat index); way: row; latency_ps: issue to data
  // Disk (unit Disk).
  DiskRequest,   // aux: sector; data: bytes; outcome: 0 read / 1 write / 2 other
  DiskComplete,  // same fields; latency_ps: request to completion
  // The pager kernel's own markers (unit Pager, firmware/kernel/abi.h): outcome: PagerMarker code;
  // data, aux, va: the marker's arguments.
  PagerMarker,
  // The MMU's answer to one Sv39 translation request of the hart (unit Hart; a Bare-mode access maps to
  // itself and is not published): va; access; priv: the effective privilege; asid; outcome:
  // TranslationSource; on success pa and level (page level); data: 1 when it faulted, with aux: cause (a
  // page fault, or an access fault of the walk; PMP on the final address comes after and is the hart's
  // Fault); set: the rights it was checked with, bit 0 mstatus.SUM, bit 1 mstatus.MXR. Published after
  // the TLB and walker events that produced it.
  Translation,
};
constexpr unsigned kEventKinds = static_cast<unsigned>(EventKind::Translation) + 1;
// The kinds about one translation: TLB, page-walk-cache and walker events, and the Translation answer.
constexpr bool is_translation_kind(EventKind k) {
  return k <= EventKind::WalkEnd || k == EventKind::Translation;
}
const char* event_kind_name(EventKind k);

enum class LookupOutcome : uint8_t { Hit, Miss, Denied };  // Denied: entry found, cached bits do not allow
enum class FillReason : uint8_t { Invalid, Replaced };     // into an invalid way, or replacing a victim
enum class InvalidateReason : uint8_t {
  FenceAll,
  FenceAsid,
  FenceVa,
  FenceVaAsid,
  SatpWrite,
  Denied,
  Refill
};
enum class ServedBy : uint8_t { L1d, L2, Memory, Pwc };               // where a PTE read's data came from
enum class TranslationSource : uint8_t { Bare, L1Tlb, L2Tlb, Walk };  // Bare: never published

struct Event {
  uint64_t seq = 0;      // order of the stream: by time, then by publication
  uint64_t time_ps = 0;  // simulated time the event happened (start of anything with a latency)
  uint64_t instret = 0;  // instructions retired when it happened
  EventKind kind = EventKind::TlbLookup;
  Unit unit = Unit::Hart;
  uint8_t access = 0;
  uint8_t level = 0;
  uint8_t outcome = 0;
  uint8_t priv = 0, priv_to = 0;
  uint16_t asid = 0, victim_asid = 0;
  uint32_t set = 0, way = 0;
  uint64_t va = 0, pa = 0, data = 0, aux = 0;
  uint64_t victim_va = 0;
  uint64_t latency_ps = 0;
};

}  // namespace sv39sim
