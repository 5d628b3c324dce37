// A set-associative TLB: the RTL twin of models/mmu/Tlb.{h,cpp} on models/mem/SetAssocArray.h, event for
// event (the cross-check compares every lookup, fill and dropped entry with the model's).
//
// Entries are tagged with ASID and G; pages are 4 KiB, 2 MiB or 1 GiB. Superpages (Superpages):
//  - SpMain: in the main array, each size probed at its own set index (the VPN shifted by 9 * level);
//  - SpSeparate: in a fully associative array of SpEntries ways beside it, whose ways are numbered after
//    the main array's (Ways + i) in every output;
//  - SpSplinter: cut to the 4 KiB frame that was accessed (the entry keeps the leaf's size in page_level,
//    so an SFENCE.VMA naming any address of the leaf drops every piece).
//
// The model's array rules: a lookup takes the lowest valid matching way, probing levels 0, 1, 2 in turn;
// a fill writes the lowest invalid way, else the policy's victim; invalidation leaves replacement alone.
// The model keeps 52-bit VPNs (va >> 12, sign bits included) so a non-canonical VA never matches; here VPNs
// are 27 bits and lookups and invalidations require a canonical VA instead.
module sv39_tlb import sv39_pkg::*; #(
  parameter int unsigned Sets       = 16,
  parameter int unsigned Ways       = 4,
  parameter int unsigned Policy     = ReplLru,
  parameter int unsigned Superpages = SpMain,
  parameter int unsigned SpEntries  = 8,     // ways of the separate array (SpSeparate)
  // ASIDLEN: the ASID bits entries are tagged and matched with (0: no ASIDs, every entry matches).
  parameter int unsigned AsidBits   = AsidW,
  // Derived; not meant to be overridden.
  parameter int unsigned MaskW      = Ways > SpEntries ? Ways : SpEntries
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // Lookup: answered combinationally; the entry found is touched at the clock edge, allowed or not.
  input  logic                   lookup_i,
  input  logic [63:0]            lookup_va_i,
  input  logic [AsidW-1:0]       lookup_asid_i,
  input  access_e                lookup_access_i,
  input  priv_e                  lookup_priv_i,
  input  logic                   lookup_sum_i,
  input  logic                   lookup_mxr_i,
  output logic                   lookup_found_o,  // an entry covers the page
  output logic                   lookup_hit_o,    // ... and its cached bits allow the access
  output logic [15:0]            lookup_set_o,
  output logic [15:0]            lookup_way_o,    // Ways + i in the separate array
  output tlb_entry_t             lookup_entry_o,
  // Fill, one cycle.
  input  logic                   fill_i,
  input  tlb_entry_t             fill_entry_i,
  input  logic [63:0]            fill_va_i,       // the access that caused it (picks the splinter)
  output logic [15:0]            fill_set_o,
  output logic [15:0]            fill_way_o,
  output tlb_entry_t             fill_stored_o,   // the entry as written (splintered if need be)
  output logic                   fill_evict_o,    // a valid victim was replaced
  output tlb_entry_t             fill_victim_o,
  // Invalidation sweeps, one set of one array per cycle while busy_o.
  input  logic                   inval_i,         // a denied hit: drop (vpn of inval_va_i, inval_asid_i)
  input  logic [63:0]            inval_va_i,
  input  logic [AsidW-1:0]       inval_asid_i,
  input  logic                   fence_i,         // SFENCE.VMA or the flush of a satp write
  input  fence_t                 fence_req_i,
  output logic                   busy_o,
  // The entries dropped this cycle (by a sweep step, or by a fill's stale-copy check).
  output logic                   inv_o,
  output inv_reason_e            inv_reason_o,
  output logic [15:0]            inv_set_o,
  output logic                   inv_super_o,
  output logic [MaskW-1:0]       inv_ways_o,
  output tlb_entry_t [MaskW-1:0] inv_entries_o
);

  localparam bit          Separate = Superpages == SpSeparate;
  localparam bit          Splinter = Superpages == SpSplinter;
  localparam int unsigned SetW     = Sets > 1 ? $clog2(Sets) : 1;
  localparam int unsigned WayW     = Ways > 1 ? $clog2(Ways) : 1;
  localparam int unsigned SupN     = Separate ? SpEntries : 1;  // one dummy way when there is no array
  localparam int unsigned SupW     = SupN > 1 ? $clog2(SupN) : 1;
  localparam int unsigned StepW    = $clog2(Sets + 2);          // main sets, the separate array, or levels
  localparam int unsigned MaskIdxW = MaskW > 1 ? $clog2(MaskW) : 1;
`ifdef SV39_MUT_SET_INDEX
  localparam int unsigned SetShift = 1;  // mutation: the set index taken one VPN bit too high
`else
  localparam int unsigned SetShift = 0;
`endif

  // Parameters the model would reject (Config validation, check_set_assoc_geometry).
  if (Sets == 0 || (Sets & (Sets - 1)) != 0) begin : gen_bad_sets
    $error("sv39_tlb: Sets must be a power of two");
  end
  if (Ways == 0) begin : gen_bad_ways
    $error("sv39_tlb: Ways must be at least 1");
  end
  if (Superpages > SpSplinter) begin : gen_bad_superpages
    $error("sv39_tlb: Superpages must be SpMain, SpSeparate or SpSplinter");
  end
  if (Separate && SpEntries == 0) begin : gen_bad_sp_entries
    $error("sv39_tlb: SpSeparate needs SpEntries > 0");
  end
  if (Policy == ReplPlru && ((Ways & (Ways - 1)) != 0 || (Separate && (SpEntries & (SpEntries - 1)) != 0)))
  begin : gen_bad_plru
    $error("sv39_tlb: ReplPlru needs power-of-two Ways (and SpEntries with SpSeparate)");
  end
  if (Sets > 65536 || Ways + SpEntries > 65536) begin : gen_bad_size
    $error("sv39_tlb: set and way numbers must fit the 16-bit outputs");
  end

  // ---------------------------------------------------------------------------------------------------
  // Rules of the model's TlbEntry and Tlb.

  // The model's set index: the low bits of the sign-extended VPN (va >> 12) shifted by 9 * level.
  function automatic logic [SetW-1:0] set_of(logic [VpnW-1:0] vpn, logic [1:0] level);
    logic [SetW-1:0] set;
    int unsigned     bit_pos;
    for (int unsigned i = 0; i < SetW; i++) begin
      bit_pos = 9 * 32'(level) + SetShift + i;
      set[i]  = bit_pos < VpnW ? vpn[bit_pos] : vpn[VpnW-1];  // above VA[38]: its sign copies
    end
    return set & SetW'(Sets - 1);  // Sets == 1: no index bits
  endfunction

  localparam logic [AsidW-1:0] AsidMask = AsidBits >= AsidW ? '1 : AsidW'((1 << AsidBits) - 1);
  function automatic logic asid_eq(logic [AsidW-1:0] a, logic [AsidW-1:0] b);
    return ((a ^ b) & AsidMask) == '0;
  endfunction

  // TlbEntry::matches: the entry's page covers vpn, in its ASID or global. (Fields passed one by one so
  // that lint sees which ones are read.)
  function automatic logic entry_matches(logic [VpnW-1:0] e_vpn, logic [1:0] e_level, logic e_global,
                                         logic [AsidW-1:0] e_asid, logic [VpnW-1:0] vpn,
                                         logic [AsidW-1:0] asid);
`ifdef SV39_MUT_ASID_IGNORED
    // Mutation: a non-global entry matches any ASID.
    return vpn_covers(e_vpn, vpn, e_level) && (e_global || asid_eq(e_asid, asid) || !e_global);
`else
    return vpn_covers(e_vpn, vpn, e_level) && (e_global || asid_eq(e_asid, asid));
`endif
  endfunction

  // Tlb::flush's `doomed`: globals survive ASID-scoped fences; a VA-scoped fence drops every piece of the
  // leaf that covers the VA (leaf_covers: the larger of level and page_level).
  function automatic logic fence_dooms(logic [VpnW-1:0] e_vpn, logic [1:0] e_level,
                                       logic [1:0] e_page_level, logic e_global, logic [AsidW-1:0] e_asid,
                                       logic has_va, logic [VpnW-1:0] vpn, logic has_asid,
                                       logic [AsidW-1:0] asid);
    logic [1:0] leaf_level;
`ifdef SV39_MUT_GLOBAL_ASID_FENCE
    // Mutation: globals die in ASID-scoped fences.
    if (has_asid && !asid_eq(e_asid, asid) && (e_global || !e_global)) return 1'b0;
`else
    if (has_asid && (e_global || !asid_eq(e_asid, asid))) return 1'b0;
`endif
    leaf_level = e_level > e_page_level ? e_level : e_page_level;
    return !has_va || vpn_covers(e_vpn, vpn, leaf_level);
  endfunction

  // Which levels the TLB holds, and where (Tlb::holds, Tlb::array_for).
  function automatic logic level_held(int unsigned level);
    return level == 0 || !Splinter;
  endfunction
  function automatic logic level_in_super(int unsigned level);
    return Separate && level != 0;
  endfunction

  // ---------------------------------------------------------------------------------------------------
  // Storage: entries without reset (prim_ram style), validity in reset flops.

  tlb_entry_t             main_q [Sets][Ways];
  tlb_entry_t             sup_q  [SupN];
  logic [Sets-1:0][Ways-1:0] main_valid_d, main_valid_q;
  logic [SupN-1:0]        sup_valid_d, sup_valid_q;

  // Views: one set of one array, read combinationally, ways in MaskW-wide vectors.
  localparam int unsigned ViewLk0   = 0;  // lookup: one view per level, ViewLk0 + level
  localparam int unsigned ViewFill  = 3;  // the fill's target set
  localparam int unsigned ViewSweep = 4;  // the sweep step's set
  localparam int unsigned Views     = 5;

  logic       [Views-1:0]                  view_super;
  logic       [Views-1:0][SetW-1:0]        view_set;
  logic       [Views-1:0][MaskW-1:0]       view_valid;
  tlb_entry_t [Views-1:0][MaskW-1:0]       view_entry;

  always_comb begin
    view_valid = '0;
    view_entry = '0;
    for (int unsigned k = 0; k < Views; k++) begin
      if (view_super[k]) begin
        for (int unsigned w = 0; w < SupN; w++) begin
          view_valid[k][w] = sup_valid_q[w];
          view_entry[k][w] = sup_q[w];
        end
      end else begin
        for (int unsigned w = 0; w < Ways; w++) begin
          view_valid[k][w] = main_valid_q[view_set[k]][w];
          view_entry[k][w] = main_q[view_set[k]][w];
        end
      end
    end
  end

  // Lowest set bit of a way mask.
  function automatic logic [15:0] lowest_way(logic [MaskW-1:0] mask);
    for (int unsigned w = 0; w < MaskW; w++) begin
      if (mask[w]) return 16'(w);
    end
    return '0;
  endfunction

  // ---------------------------------------------------------------------------------------------------
  // Sweep state.

  typedef enum logic [1:0] {
    SweepIdle   = 2'd0,
    SweepDenied = 2'd1,  // one step per held level: 0, 1, 2
    SweepFence  = 2'd2   // one step per main set, then the separate array
  } sweep_e;

  sweep_e           sweep_d, sweep_q;
  logic [StepW-1:0] step_d, step_q;
  logic [VpnW-1:0]  sw_vpn_d, sw_vpn_q;
  logic             sw_canonical_d, sw_canonical_q;
  logic [AsidW-1:0] sw_asid_d, sw_asid_q;
  fence_t           sw_fence_d, sw_fence_q;

  // ---------------------------------------------------------------------------------------------------
  // Lookup.

  logic [VpnW-1:0]  lk_vpn;
  logic             lk_canonical;
  logic [2:0][MaskW-1:0] lk_match;  // per level
  logic             lk_probe_found;
  logic             lk_probe_super;
  logic [SetW-1:0]  lk_probe_set;
  logic [15:0]      lk_probe_way;
  tlb_entry_t       lk_probe_entry;


  logic             lk_found, lk_super;
  logic [SetW-1:0]  lk_set;
  logic [15:0]      lk_way;  // within its array
  tlb_entry_t       lk_entry;

  assign lk_vpn       = lookup_va_i[38:12];
  assign lk_canonical = va_canonical(lookup_va_i);

  // Levels 0, 1, 2 in turn, the lowest matching way of the first level that has one.
  always_comb begin
    lk_match       = '0;
    lk_probe_found = 1'b0;
    lk_probe_super = 1'b0;
    lk_probe_set   = '0;
    lk_probe_way   = '0;
    lk_probe_entry = '0;
    for (int unsigned l = 0; l < Levels; l++) begin
      for (int unsigned w = 0; w < MaskW; w++) begin
        lk_match[l][w] = level_held(l) && lk_canonical && view_valid[ViewLk0 + l][w] &&
                         view_entry[ViewLk0 + l][w].level == 2'(l) &&
                         entry_matches(view_entry[ViewLk0 + l][w].vpn, 2'(l),
                                       view_entry[ViewLk0 + l][w].global,
                                       view_entry[ViewLk0 + l][w].asid, lk_vpn, lookup_asid_i);
      end
    end
    for (int unsigned l = 0; l < Levels; l++) begin
      if (!lk_probe_found && lk_match[l] != '0) begin
        lk_probe_found = 1'b1;
        lk_probe_super = view_super[ViewLk0 + l];
        lk_probe_set   = view_set[ViewLk0 + l];
        lk_probe_way   = lowest_way(lk_match[l]);
        lk_probe_entry = view_entry[ViewLk0 + l][MaskIdxW'(lk_probe_way)];
      end
    end
  end


  assign lk_found = lk_probe_found;
  assign lk_super = lk_probe_super;
  assign lk_set   = lk_probe_set;
  assign lk_way   = lk_probe_way;
  assign lk_entry = lk_probe_entry;

  assign lookup_found_o = lk_found;
  assign lookup_hit_o   = lk_found &&
                          pte_permits(lk_entry.pte, lookup_access_i, lookup_priv_i, lookup_sum_i,
                                      lookup_mxr_i) &&
                          pte_needs_ad(lk_entry.pte, lookup_access_i) == '0;
  assign lookup_set_o   = lk_found ? 16'(lk_set) : '0;
  assign lookup_way_o   = !lk_found ? '0 : lk_super ? lk_way + 16'(Ways) : lk_way;
  assign lookup_entry_o = lk_found ? lk_entry : '0;

  // ---------------------------------------------------------------------------------------------------
  // Fill (Tlb::fill, SetAssocArray::insert).

  tlb_entry_t       fl_entry;   // as stored: splintered if this TLB does not hold its size
  logic             fl_super;
  logic [SetW-1:0]  fl_set;
  logic [MaskW-1:0] fl_stale;   // copies of the same page (level, vpn, asid) dropped first
  logic [MaskW-1:0] fl_free;    // invalid ways once the stale copies are gone
  logic [WayW-1:0]  main_victim;
  logic [SupW-1:0]  sup_victim;
  logic             fl_evict;
  logic [15:0]      fl_way;     // within its array

  // Only the VPN bits of the access pick the frame (the model masks va >> 12 to the superpage's frame).
  logic [VpnW-1:0] fl_va_vpn;
  logic            unused_fill_va;
  assign fl_va_vpn      = fill_va_i[38:12];
  assign unused_fill_va = ^{fill_va_i[63:39], fill_va_i[11:0]};

  always_comb begin
    logic [VpnW-1:0] frame_mask;
    logic [VpnW-1:0] frame;
    fl_entry   = fill_entry_i;
    frame_mask = level_mask(fill_entry_i.level);
    frame      = fl_va_vpn & frame_mask;
    if (Splinter && fill_entry_i.level != 2'd0) begin
      // Keep just the 4 KiB frame of the superpage that this access touched.
      fl_entry.vpn   = (fill_entry_i.vpn & ~frame_mask) | frame;
      fl_entry.ppn   = (fill_entry_i.ppn & ~PpnW'(frame_mask)) | PpnW'(frame);
      if (fill_entry_i.level > fill_entry_i.page_level) fl_entry.page_level = fill_entry_i.level;
      fl_entry.level = 2'd0;
    end
`ifdef SV39_MUT_SUPERPAGE_LEVEL
    // Mutation: a 1 GiB leaf is stored as a 2 MiB one.
    if (fl_entry.level == 2'd2) fl_entry.level = 2'd1;
    if (fl_entry.page_level == 2'd2) fl_entry.page_level = 2'd1;
`endif
  end

  assign fl_super = Separate && fl_entry.level != 2'd0;
  assign fl_set   = fl_super ? '0 : set_of(fl_entry.vpn, fl_entry.level);

  always_comb begin
    for (int unsigned w = 0; w < MaskW; w++) begin
      fl_stale[w] = view_valid[ViewFill][w] && view_entry[ViewFill][w].level == fl_entry.level &&
                    view_entry[ViewFill][w].vpn == fl_entry.vpn &&
                    asid_eq(view_entry[ViewFill][w].asid, fl_entry.asid);
      fl_free[w]  = w < (fl_super ? SupN : Ways) && !(view_valid[ViewFill][w] && !fl_stale[w]);
    end
  end

  assign fl_evict = fl_free == '0;
  assign fl_way   = !fl_evict ? lowest_way(fl_free) : fl_super ? 16'(sup_victim) : 16'(main_victim);

  assign fill_set_o    = 16'(fl_set);
  assign fill_way_o    = fl_super ? fl_way + 16'(Ways) : fl_way;
  assign fill_stored_o = fl_entry;
  assign fill_evict_o  = fill_i && fl_evict;
  assign fill_victim_o = fill_evict_o ? view_entry[ViewFill][MaskIdxW'(fl_way)] : '0;

  // Entry storage: written by fills only.
  always_ff @(posedge clk_i) begin
    if (fill_i && !fl_super) main_q[fl_set][WayW'(fl_way)] <= fl_entry;
  end
  if (Separate) begin : gen_sup_storage
    always_ff @(posedge clk_i) begin
      if (fill_i && fl_super) sup_q[SupW'(fl_way)] <= fl_entry;
    end
  end else begin : gen_no_sup_storage
    assign sup_q[0] = '0;
  end

  // ---------------------------------------------------------------------------------------------------
  // Sweeps (Tlb::invalidate, Tlb::flush).

  logic             sw_super;
  logic [SetW-1:0]  sw_set;
  logic [1:0]       sw_level;     // SweepDenied: the level of this step
  logic             sw_last_step;
  logic [MaskW-1:0] sw_drop;

  assign busy_o = sweep_q != SweepIdle;

  always_comb begin
    sw_level     = step_q[1:0];
    sw_super     = 1'b0;
    sw_set       = '0;
    sw_last_step = 1'b1;
    unique case (sweep_q)
      SweepDenied: begin
        sw_super     = level_in_super(32'(sw_level));
        sw_set       = sw_super ? '0 : set_of(sw_vpn_q, sw_level);
        sw_last_step = sw_level == 2'd2 || !level_held(32'(sw_level) + 1);
      end
      SweepFence: begin
        sw_super     = 32'(step_q) == Sets;
        sw_set       = sw_super ? '0 : SetW'(step_q);
        sw_last_step = sw_super || (32'(step_q) == Sets - 1 && !Separate);
      end
      default: ;
    endcase
  end


  always_comb begin
    sw_drop = '0;
    for (int unsigned w = 0; w < MaskW; w++) begin
      unique case (sweep_q)
        SweepDenied:
          sw_drop[w] = view_valid[ViewSweep][w] && sw_canonical_q &&
                       view_entry[ViewSweep][w].level == sw_level &&
                       entry_matches(view_entry[ViewSweep][w].vpn, sw_level,
                                     view_entry[ViewSweep][w].global, view_entry[ViewSweep][w].asid,
                                     sw_vpn_q, sw_asid_q);
        SweepFence:
          sw_drop[w] = view_valid[ViewSweep][w] &&
                       fence_dooms(view_entry[ViewSweep][w].vpn, view_entry[ViewSweep][w].level,
                                   view_entry[ViewSweep][w].page_level, view_entry[ViewSweep][w].global,
                                   view_entry[ViewSweep][w].asid, sw_fence_q.has_va, sw_fence_q.vpn,
                                   sw_fence_q.has_asid, sw_fence_q.asid);
        default: ;
      endcase
    end
  end

  always_comb begin
    sweep_d        = sweep_q;
    step_d         = step_q;
    sw_vpn_d       = sw_vpn_q;
    sw_canonical_d = sw_canonical_q;
    sw_asid_d      = sw_asid_q;
    sw_fence_d     = sw_fence_q;
    unique case (sweep_q)
      SweepIdle: begin
        step_d = '0;
        if (inval_i) begin
          sweep_d        = SweepDenied;
          sw_vpn_d       = inval_va_i[38:12];
          sw_canonical_d = va_canonical(inval_va_i);
          sw_asid_d      = inval_asid_i;
        end else if (fence_i) begin
          sweep_d    = SweepFence;
          sw_fence_d = fence_req_i;
        end
      end
      SweepDenied, SweepFence: begin
        step_d = step_q + 1'b1;
        if (sw_last_step) sweep_d = SweepIdle;
      end
      default: sweep_d = SweepIdle;
    endcase
  end

  // Which set each view reads: the lookup's three probes, the fill's target, the sweep step's.
  always_comb begin
    for (int unsigned l = 0; l < Levels; l++) begin
      view_super[ViewLk0 + l] = level_in_super(l);
      view_set[ViewLk0 + l]   = level_in_super(l) ? '0 : set_of(lk_vpn, 2'(l));
    end
    view_super[ViewFill]  = fl_super;
    view_set[ViewFill]    = fl_set;
    view_super[ViewSweep] = sw_super;
    view_set[ViewSweep]   = sw_set;
  end

  // The entries dropped this cycle: a sweep step's, or a fill's stale copies.
  always_comb begin
    inv_reason_o  = InvRefill;
    inv_set_o     = '0;
    inv_super_o   = 1'b0;
    inv_ways_o    = '0;
    inv_entries_o = '0;
    if (sweep_q == SweepDenied || sweep_q == SweepFence) begin
      inv_reason_o = sweep_q == SweepDenied ? InvDenied : sw_fence_q.reason;
      inv_set_o    = 16'(sw_set);
      inv_super_o  = sw_super;
      inv_ways_o   = sw_drop;
      for (int unsigned w = 0; w < MaskW; w++) begin
        if (sw_drop[w]) inv_entries_o[w] = view_entry[ViewSweep][w];
      end
    end else if (fill_i) begin
      inv_set_o   = 16'(fl_set);
      inv_super_o = fl_super;
      inv_ways_o  = fl_stale;
      for (int unsigned w = 0; w < MaskW; w++) begin
        if (fl_stale[w]) inv_entries_o[w] = view_entry[ViewFill][w];
      end
    end
  end
  assign inv_o = inv_ways_o != '0;

  // ---------------------------------------------------------------------------------------------------
  // Validity and replacement.

  always_comb begin
    main_valid_d = main_valid_q;
    sup_valid_d  = sup_valid_q;
    if (inv_o) begin
      for (int unsigned w = 0; w < MaskW; w++) begin
        if (inv_ways_o[w]) begin
          if (inv_super_o) sup_valid_d[SupW'(w)] = 1'b0;
          else main_valid_d[SetW'(inv_set_o)][WayW'(w)] = 1'b0;
        end
      end
    end
    if (fill_i) begin
      if (fl_super) sup_valid_d[SupW'(fl_way)] = 1'b1;
      else main_valid_d[fl_set][WayW'(fl_way)] = 1'b1;
    end
  end


  sv39_repl #(
    .Sets  (Sets),
    .Ways  (Ways),
    .Policy(Policy)
  ) u_main_repl (
    .clk_i,
    .rst_ni,
    .touch_i     (lookup_i && lk_found && !lk_super),
    .touch_set_i (lk_set),
    .touch_way_i (WayW'(lk_way)),
    .fill_i      (fill_i && !fl_super),
    .fill_set_i  (fl_set),
    .fill_way_i  (WayW'(fl_way)),
    .victim_set_i(fl_set),
    .victim_way_o(main_victim)
  );

  if (Separate) begin : gen_sup_repl
    sv39_repl #(
      .Sets  (1),
      .Ways  (SpEntries),
      .Policy(Policy)
    ) u_sup_repl (
      .clk_i,
      .rst_ni,
      .touch_i     (lookup_i && lk_found && lk_super),
      .touch_set_i (1'b0),
      .touch_way_i (SupW'(lk_way)),
      .fill_i      (fill_i && fl_super),
      .fill_set_i  (1'b0),
      .fill_way_i  (SupW'(fl_way)),
      .victim_set_i(1'b0),
      .victim_way_o(sup_victim)
    );
  end else begin : gen_no_sup_repl
    assign sup_victim = '0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      main_valid_q   <= '0;
      sup_valid_q    <= '0;
      sweep_q        <= SweepIdle;
      step_q         <= '0;
      sw_vpn_q       <= '0;
      sw_canonical_q <= 1'b0;
      sw_asid_q      <= '0;
      sw_fence_q     <= '0;
    end else begin
      main_valid_q   <= main_valid_d;
      sup_valid_q    <= sup_valid_d;
      sweep_q        <= sweep_d;
      step_q         <= step_d;
      sw_vpn_q       <= sw_vpn_d;
      sw_canonical_q <= sw_canonical_d;
      sw_asid_q      <= sw_asid_d;
      sw_fence_q     <= sw_fence_d;
    end
  end

  // ---------------------------------------------------------------------------------------------------
  // Invariants.

`ifndef SYNTHESIS
  // Sampled at the clock edge. No `disable iff (!rst_ni)`: that would use the asynchronous reset
  // synchronously (Verilator SYNCASYNCNET); the reset values satisfy every property and requests stay low
  // in reset.
  // One request a cycle, and none while a sweep runs.
  assert property (@(posedge clk_i) $onehot0({lookup_i, fill_i, inval_i, fence_i}))
  else $error("sv39_tlb: more than one of lookup_i, fill_i, inval_i, fence_i");
  assert property (@(posedge clk_i) !(busy_o && (lookup_i || fill_i || inval_i || fence_i)))
  else $error("sv39_tlb: request while busy_o");
  assert property (@(posedge clk_i) !fill_i || fill_entry_i.level <= 2'd2)
  else $error("sv39_tlb: fill of level 3");
  assert property (@(posedge clk_i) !fence_i || fence_req_i.reason inside {InvFenceAll, InvFenceAsid,
                                                                           InvFenceVa, InvFenceVaAsid,
                                                                           InvSatpWrite})
  else $error("sv39_tlb: fence reason %0d", fence_req_i.reason);
  // A fill drops every older copy of its page, so a set holds at most one.
  assert property (@(posedge clk_i) !fill_i || $countones(fl_stale) <= 1)
  else $error("sv39_tlb: two copies of one page in a set");
`endif

endmodule
