// Page-walk cache: the RTL twin of the PWC arrays in models/mmu/PageTableWalker.cpp. It caches pointer
// (non-leaf) PTEs of level 2 and 1, tagged with the VPN bits above the level they translate
// (level 2: VPN[2], level 1: VPN[2:1]) and the ASID, in one shared array or in two (level 2, level 1) of
// the same geometry. Each cycle does at most one of:
//   - probe: lowest valid way of the set with the same level and tag and (global or the same ASID);
//     a hit touches the replacement state (SetAssocArray::lookup);
//   - fill: drop the entries of the set with the same level, tag and ASID (reported), then write the
//     lowest invalid way, else the policy's victim (SetAssocArray::insert);
//   - sweep: drop every entry of one set of one array that a fence dooms (PageTableWalker::flush).
// Dropping an entry leaves the replacement state alone, as in the model.
module sv39_pwc import sv39_pkg::*; #(
  parameter bit          PerLevel = 1'b0,
  parameter int unsigned Sets     = 8,
  parameter int unsigned Ways     = 4,
  parameter int unsigned Policy   = ReplLru,
  // Derived; not meant to be overridden.
  parameter int unsigned SetW     = Sets > 1 ? $clog2(Sets) : 1,
  parameter int unsigned WayW     = Ways > 1 ? $clog2(Ways) : 1,
  parameter int unsigned TagW     = 18  // VPN[2:1]; a level-2 tag uses the low 9 bits
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  // Probe for the pointer of probe_level_i (2 or 1) on the path of probe_vpn_i.
  input  logic                        probe_i,
  input  logic [1:0]                  probe_level_i,
  input  logic [VpnW-1:9]             probe_vpn_i,     // VPN[2:1]: VPN[0] is never part of a tag
  input  logic [AsidW-1:0]            probe_asid_i,
  output logic [SetW-1:0]             probe_set_o,
  output logic                        probe_hit_o,
  output logic [WayW-1:0]             probe_way_o,     // 0 on a miss
  output logic [PpnW-1:0]             probe_ppn_o,     // the next table's PPN, on a hit
  output logic                        probe_global_o,
  // Fill with the pointer of fill_level_i (2 or 1) on the path of fill_vpn_i.
  input  logic                        fill_i,
  input  logic [1:0]                  fill_level_i,
  input  logic [VpnW-1:9]             fill_vpn_i,
  input  logic [AsidW-1:0]            fill_asid_i,
  input  logic [PpnW-1:0]             fill_ppn_i,
  input  logic                        fill_global_i,
  output logic [SetW-1:0]             fill_set_o,
  output logic [WayW-1:0]             fill_way_o,
  output logic                        fill_evict_o,
  output logic [TagW-1:0]             fill_victim_tag_o,
  output logic [1:0]                  fill_victim_level_o,
  // Sweep one set of one array (0: the shared or level-2 array, 1: the level-1 array) with a fence.
  input  logic                        sweep_i,
  input  logic                        sweep_array_i,
  input  logic [SetW-1:0]             sweep_set_i,
  input  fence_t                      sweep_fence_i,
  // Entries dropped this cycle (by a fill or a sweep): which ways of which set, and what they held.
  output logic                        inv_o,
  output logic                        inv_array_o,
  output logic [SetW-1:0]             inv_set_o,
  output logic [Ways-1:0]             inv_ways_o,
  output logic [Ways-1:0][TagW-1:0]   inv_tags_o,
  output logic [Ways-1:0][AsidW-1:0]  inv_asids_o,
  output logic [Ways-1:0][1:0]        inv_levels_o
);

  localparam int unsigned Arrays = PerLevel ? 2 : 1;

  typedef struct packed {
    logic [TagW-1:0]  tag;
    logic [PpnW-1:0]  ppn;     // the next-level table
    logic [AsidW-1:0] asid;
    logic [1:0]       level;   // level of the pointer PTE: 2 or 1
    logic             global;  // G on this pointer or on one above it
  } entry_t;

  // The model's pwc_tag: the VPN bits above the level a pointer of `level` translates, from VPN[2:1].
  function automatic logic [TagW-1:0] pwc_tag(logic [TagW-1:0] vpn21, logic [1:0] level);
    return (level == 2'd2) ? TagW'(vpn21[17:9]) : vpn21;
  endfunction

  // With per-level arrays, level-1 pointers live in array 1.
  function automatic logic level_array(logic [1:0] level);
    return PerLevel && level == 2'd1;
  endfunction

  function automatic logic [WayW-1:0] lowest(logic [Ways-1:0] mask);
    for (int unsigned w = 0; w < Ways; w++) begin
      if (mask[w]) return WayW'(w);
    end
    return '0;
  endfunction

  // Storage: entries without reset, validity in reset flops.
  entry_t                             mem_q [Arrays][Sets][Ways];
  logic [Arrays-1:0][Sets-1:0][Ways-1:0] valid_d, valid_q;

  // The one set read this cycle, chosen by the operation.
  logic [TagW-1:0] probe_tag, fill_tag;
  logic            rd_array;
  logic [SetW-1:0] rd_set;
  entry_t          rd_entry [Ways];
  logic [Ways-1:0] rd_valid;

  assign probe_tag = pwc_tag(probe_vpn_i, probe_level_i);
  assign fill_tag  = pwc_tag(fill_vpn_i, fill_level_i);

  // SetAssocArray::set_index: the low bits of the tag (none with one set).
  logic [SetW-1:0] probe_set, fill_set;
  assign probe_set = probe_tag[SetW-1:0] & SetW'(Sets - 1);
  assign fill_set  = fill_tag[SetW-1:0] & SetW'(Sets - 1);

  always_comb begin
    if (fill_i) begin
      rd_array = level_array(fill_level_i);
      rd_set   = fill_set;
    end else if (sweep_i) begin
      rd_array = sweep_array_i;
      rd_set   = sweep_set_i;
    end else begin
      rd_array = level_array(probe_level_i);
      rd_set   = probe_set;
    end
  end

  for (genvar w = 0; w < Ways; w++) begin : gen_read
    assign rd_entry[w] = mem_q[rd_array][rd_set][w];
    assign rd_valid[w] = valid_q[rd_array][rd_set][w];
  end

  // Probe.
  logic [Ways-1:0] probe_match;
  always_comb begin
    for (int unsigned w = 0; w < Ways; w++) begin
      probe_match[w] = rd_valid[w] && rd_entry[w].level == probe_level_i &&
                       rd_entry[w].tag == probe_tag &&
                       (rd_entry[w].global || rd_entry[w].asid == probe_asid_i);
    end
  end
  assign probe_set_o    = rd_set;
  assign probe_hit_o    = |probe_match;
  assign probe_way_o    = lowest(probe_match);
  assign probe_ppn_o    = probe_hit_o ? rd_entry[probe_way_o].ppn : '0;
  assign probe_global_o = probe_hit_o && rd_entry[probe_way_o].global;

  // Fill: duplicates of the same pointer in the same address space go first, so a set never holds two.
  logic [Ways-1:0] fill_dup, fill_free;
  logic [WayW-1:0] victim_way [Arrays];
  entry_t          fill_entry;
  always_comb begin
    for (int unsigned w = 0; w < Ways; w++) begin
      fill_dup[w] = rd_valid[w] && rd_entry[w].level == fill_level_i && rd_entry[w].tag == fill_tag &&
                    rd_entry[w].asid == fill_asid_i;
    end
    fill_free = ~(rd_valid & ~fill_dup);
  end
  assign fill_set_o          = rd_set;
  assign fill_evict_o        = fill_free == '0;
  assign fill_way_o          = fill_evict_o ? victim_way[rd_array] : lowest(fill_free);
  assign fill_victim_tag_o   = fill_evict_o ? rd_entry[fill_way_o].tag : '0;
  assign fill_victim_level_o = fill_evict_o ? rd_entry[fill_way_o].level : 2'd0;

  always_comb begin
    fill_entry.tag   = fill_tag;
    fill_entry.ppn   = fill_ppn_i;
    fill_entry.asid  = fill_asid_i;
    fill_entry.level = fill_level_i;
`ifdef SV39_MUT_PWC_GLOBAL
    // Mutation: cached pointers forget that they are global.
    fill_entry.global = fill_global_i && 1'b0;
`else
    fill_entry.global = fill_global_i;
`endif
  end

  // Sweep: an ASID-scoped fence keeps global pointers and other address spaces; a VA-scoped one drops
  // only the pointers on that VA's path.
  logic [Ways-1:0] sweep_doomed;
  always_comb begin
    for (int unsigned w = 0; w < Ways; w++) begin
      sweep_doomed[w] = rd_valid[w] &&
          !(sweep_fence_i.has_asid && (rd_entry[w].global || rd_entry[w].asid != sweep_fence_i.asid)) &&
          (!sweep_fence_i.has_va || rd_entry[w].tag == pwc_tag(sweep_fence_i.vpn[26:9], rd_entry[w].level));
    end
  end

  always_comb begin
    inv_ways_o = '0;
    if (fill_i) inv_ways_o = fill_dup;
    else if (sweep_i) inv_ways_o = sweep_doomed;
  end
  assign inv_o       = inv_ways_o != '0;
  assign inv_array_o = rd_array;
  assign inv_set_o   = rd_set;
  for (genvar w = 0; w < Ways; w++) begin : gen_inv
    assign inv_tags_o[w]   = rd_entry[w].tag;
    assign inv_asids_o[w]  = rd_entry[w].asid;
    assign inv_levels_o[w] = rd_entry[w].level;
  end

  // Validity: a fill sets its way after its duplicates are cleared; a sweep clears the doomed.
  always_comb begin
    valid_d = valid_q;
    if (fill_i) begin
      valid_d[rd_array][rd_set] = (rd_valid & ~fill_dup) | (Ways'(1) << fill_way_o);
    end else if (sweep_i) begin
      valid_d[rd_array][rd_set] = rd_valid & ~sweep_doomed;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else begin
      valid_q <= valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (fill_i) mem_q[rd_array][rd_set][fill_way_o] <= fill_entry;
  end

  // Replacement, one state per array: a probe hit touches, a fill fills.
  for (genvar a = 0; a < Arrays; a++) begin : gen_repl
    sv39_repl #(
      .Sets  (Sets),
      .Ways  (Ways),
      .Policy(Policy)
    ) u_repl (
      .clk_i,
      .rst_ni,
      .touch_i     (probe_i && probe_hit_o && rd_array == 1'(a)),
      .touch_set_i (rd_set),
      .touch_way_i (probe_way_o),
      .fill_i      (fill_i && rd_array == 1'(a)),
      .fill_set_i  (rd_set),
      .fill_way_i  (fill_way_o),
      .victim_set_i(rd_set),
      .victim_way_o(victim_way[a])
    );
  end

  // The fence's reason matters to TLBs, not here.
  logic unused_fence;
  assign unused_fence = ^sweep_fence_i.reason;

`ifndef SYNTHESIS
  // One operation per cycle (the walker's FSM sequences them).
  assert property (@(posedge clk_i) $onehot0({probe_i, fill_i, sweep_i}));
  // Only pointers of level 2 and 1 are cached.
  assert property (@(posedge clk_i) probe_i |-> probe_level_i inside {2'd1, 2'd2});
  assert property (@(posedge clk_i) fill_i |-> fill_level_i inside {2'd1, 2'd2});
  // With per-level arrays a sweep names an existing array.
  assert property (@(posedge clk_i) sweep_i |-> (PerLevel || !sweep_array_i));
  // The invariant fills keep: no two valid entries of a set hold the same pointer of the same address
  // space (level, tag, ASID), so at most one way can be a fill's duplicate.
  always_comb begin
    if (rst_ni) begin
      for (int unsigned i = 0; i < Ways; i++) begin
        for (int unsigned j = i + 1; j < Ways; j++) begin
          assert (!(rd_valid[i] && rd_valid[j] && rd_entry[i].level == rd_entry[j].level &&
                    rd_entry[i].tag == rd_entry[j].tag && rd_entry[i].asid == rd_entry[j].asid))
            else $error("sv39_pwc: set %0d holds ways %0d and %0d with the same pointer", rd_set, i, j);
        end
      end
      if (fill_i) assert ($onehot0(fill_dup)) else $error("sv39_pwc: more than one duplicate");
    end
  end
`endif

endmodule
