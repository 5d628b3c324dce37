// The MMU's translation path as the SystemC model has it (models/mmu/Mmu.cpp translate_full/translate_page):
// an L1 TLB per side (instruction, data), an optional shared L2 TLB and the page-table walker with its
// page-walk cache. One request at a time: L1 lookup; an L1 entry whose cached bits do not allow the access
// is dropped and the access resolved like a miss; then the L2 TLB (same rule), then a walk; a walk's leaf is
// filled into the L2 TLB and the L1 TLB, an L2 hit into the L1 TLB. Fences flush every TLB and the
// page-walk cache.
//
// The port list is the cross-check's interface (docs/rtl-cross-check.md): a user's top with these ports is
// checked the same way. The obs_* outputs report what each block did in a cycle, as the model's events do.
module sv39_mmu
  import sv39_pkg::*;
#(
  parameter int unsigned ItlbSets       = 16,
  parameter int unsigned ItlbWays       = 4,
  parameter int unsigned ItlbPolicy     = ReplLru,
  parameter int unsigned ItlbSuperpages = SpMain,
  parameter int unsigned ItlbSpEntries  = 8,
  parameter int unsigned DtlbSets       = 16,
  parameter int unsigned DtlbWays       = 4,
  parameter int unsigned DtlbPolicy     = ReplLru,
  parameter int unsigned DtlbSuperpages = SpMain,
  parameter int unsigned DtlbSpEntries  = 8,
  parameter bit          L2En           = 1'b1,
  parameter int unsigned L2Sets         = 128,
  parameter int unsigned L2Ways         = 12,
  parameter int unsigned L2Policy       = ReplLru,
  parameter int unsigned L2Superpages   = SpMain,
  parameter int unsigned L2SpEntries    = 8,
  parameter bit          PwcEn          = 1'b1,
  parameter bit          PwcPerLevel    = 1'b0,
  parameter int unsigned PwcSets        = 8,
  parameter int unsigned PwcWays        = 4,
  parameter int unsigned PwcPolicy      = ReplLru,
  parameter bit          PwcFlushOnVaFence = 1'b0,
  parameter int unsigned AsidBits       = AsidW,  // ASIDLEN of the TLBs' tags
  // Widths of the observation ports that list a set's dropped entries.
  localparam int unsigned ItlbMaskW = ItlbWays > ItlbSpEntries ? ItlbWays : ItlbSpEntries,
  localparam int unsigned DtlbMaskW = DtlbWays > DtlbSpEntries ? DtlbWays : DtlbSpEntries,
  localparam int unsigned L2MaskW   = L2Ways > L2SpEntries ? L2Ways : L2SpEntries
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  // Translation request: accepted when req_valid_i && req_ready_o.
  input  logic             req_valid_i,
  output logic             req_ready_o,
  input  logic [63:0]      req_va_i,
  input  access_e          req_access_i,
  input  priv_e            req_priv_i,
  input  logic             req_sum_i,
  input  logic             req_mxr_i,
  input  logic [63:0]      req_satp_i,
  input  logic             req_hw_ad_i,
  // Translation response: a one-cycle pulse. rsp_source_o: 1 L1 TLB, 2 L2 TLB, 3 walk.
  output logic             rsp_valid_o,
  output logic             rsp_fault_o,
  output logic [4:0]       rsp_cause_o,
  output logic [PaW-1:0]   rsp_pa_o,
  output logic [1:0]       rsp_level_o,
  output logic [1:0]       rsp_source_o,
  // SFENCE.VMA or a satp-write flush: accepted when fence_valid_i && req_ready_o; fence_done_o pulses when
  // every TLB and the page-walk cache have dropped what it names.
  input  logic             fence_valid_i,
  input  fence_t           fence_req_i,
  output logic             fence_done_o,
  // Memory port of the walker (PTE reads and A/D compare-and-swap).
  output logic             mem_req_valid_o,
  input  logic             mem_req_ready_i,
  output logic             mem_req_cas_o,
  output logic [PaW-1:0]   mem_req_addr_o,
  output logic [1:0]       mem_req_level_o,
  output logic [63:0]      mem_req_expected_o,
  output logic [63:0]      mem_req_desired_o,
  input  logic             mem_rsp_valid_i,
  input  logic [63:0]      mem_rsp_rdata_i,
  input  logic             mem_rsp_err_i,
  input  logic             mem_rsp_changed_i,
  // Observation: I-TLB.
  output logic             obs_itlb_lookup_o,
  output logic             obs_itlb_found_o,
  output logic             obs_itlb_hit_o,
  output logic [15:0]      obs_itlb_set_o,
  output logic [15:0]      obs_itlb_way_o,
  output tlb_entry_t       obs_itlb_entry_o,
  output logic             obs_itlb_fill_o,
  output logic [15:0]      obs_itlb_fill_set_o,
  output logic [15:0]      obs_itlb_fill_way_o,
  output tlb_entry_t       obs_itlb_fill_entry_o,
  output logic             obs_itlb_fill_evict_o,
  output tlb_entry_t       obs_itlb_fill_victim_o,
  output logic             obs_itlb_inv_o,
  output inv_reason_e      obs_itlb_inv_reason_o,
  output logic [15:0]      obs_itlb_inv_set_o,
  output logic             obs_itlb_inv_super_o,
  output logic [ItlbMaskW-1:0] obs_itlb_inv_ways_o,
  output tlb_entry_t [ItlbMaskW-1:0] obs_itlb_inv_entries_o,
  // Observation: D-TLB.
  output logic             obs_dtlb_lookup_o,
  output logic             obs_dtlb_found_o,
  output logic             obs_dtlb_hit_o,
  output logic [15:0]      obs_dtlb_set_o,
  output logic [15:0]      obs_dtlb_way_o,
  output tlb_entry_t       obs_dtlb_entry_o,
  output logic             obs_dtlb_fill_o,
  output logic [15:0]      obs_dtlb_fill_set_o,
  output logic [15:0]      obs_dtlb_fill_way_o,
  output tlb_entry_t       obs_dtlb_fill_entry_o,
  output logic             obs_dtlb_fill_evict_o,
  output tlb_entry_t       obs_dtlb_fill_victim_o,
  output logic             obs_dtlb_inv_o,
  output inv_reason_e      obs_dtlb_inv_reason_o,
  output logic [15:0]      obs_dtlb_inv_set_o,
  output logic             obs_dtlb_inv_super_o,
  output logic [DtlbMaskW-1:0] obs_dtlb_inv_ways_o,
  output tlb_entry_t [DtlbMaskW-1:0] obs_dtlb_inv_entries_o,
  // Observation: L2 TLB (all zero without one).
  output logic             obs_l2tlb_lookup_o,
  output logic             obs_l2tlb_found_o,
  output logic             obs_l2tlb_hit_o,
  output logic [15:0]      obs_l2tlb_set_o,
  output logic [15:0]      obs_l2tlb_way_o,
  output tlb_entry_t       obs_l2tlb_entry_o,
  output logic             obs_l2tlb_fill_o,
  output logic [15:0]      obs_l2tlb_fill_set_o,
  output logic [15:0]      obs_l2tlb_fill_way_o,
  output tlb_entry_t       obs_l2tlb_fill_entry_o,
  output logic             obs_l2tlb_fill_evict_o,
  output tlb_entry_t       obs_l2tlb_fill_victim_o,
  output logic             obs_l2tlb_inv_o,
  output inv_reason_e      obs_l2tlb_inv_reason_o,
  output logic [15:0]      obs_l2tlb_inv_set_o,
  output logic             obs_l2tlb_inv_super_o,
  output logic [L2MaskW-1:0] obs_l2tlb_inv_ways_o,
  output tlb_entry_t [L2MaskW-1:0] obs_l2tlb_inv_entries_o,
  // Observation: walker and page-walk cache.
  output logic             obs_walk_start_o,
  output logic [1:0]       obs_walk_start_level_o,
  output logic             obs_walk_end_o,
  output logic             obs_walk_ok_o,
  output logic [4:0]       obs_walk_cause_o,
  output logic [1:0]       obs_walk_level_o,
  output logic [PaW-1:0]   obs_walk_pa_o,
  output logic             obs_pwc_probe_o,
  output logic [1:0]       obs_pwc_probe_level_o,
  output logic [15:0]      obs_pwc_probe_set_o,
  output logic [15:0]      obs_pwc_probe_way_o,
  output logic             obs_pwc_probe_hit_o,
  output logic [PaW-1:0]   obs_pwc_probe_table_o,
  output logic             obs_pwc_fill_o,
  output logic [1:0]       obs_pwc_fill_level_o,
  output logic [15:0]      obs_pwc_fill_set_o,
  output logic [15:0]      obs_pwc_fill_way_o,
  output logic [PaW-1:0]   obs_pwc_fill_table_o,
  output logic             obs_pwc_fill_evict_o,
  output logic [17:0]      obs_pwc_fill_victim_tag_o,
  output logic [1:0]       obs_pwc_fill_victim_level_o,
  output logic             obs_pwc_inv_o,
  output logic [15:0]      obs_pwc_inv_set_o,
  output logic [1:0]       obs_pwc_inv_array_level_o,
  output logic [PwcWays-1:0] obs_pwc_inv_ways_o,
  output logic [PwcWays-1:0][17:0] obs_pwc_inv_tags_o,
  output logic [PwcWays-1:0][AsidW-1:0] obs_pwc_inv_asids_o,
  output logic [PwcWays-1:0][1:0] obs_pwc_inv_levels_o
);

  typedef enum logic [3:0] {
    StIdle,
    StL1Lookup,
    StL1Drop,      // the L1 entry found did not allow the access: drop it
    StL2Lookup,
    StL2Drop,
    StWalkReq,
    StWalkWait,
    StL2Fill,
    StL1Fill,
    StRespond,
    StFence
  } state_e;

  state_e state_q, state_d;

  // The request being served.
  logic [63:0] va_q, va_d;
  access_e     acc_q, acc_d;
  priv_e       priv_q, priv_d;
  logic        sum_q, sum_d, mxr_q, mxr_d, hw_ad_q, hw_ad_d;
  logic [63:0] satp_q, satp_d;
  fence_t      fence_q, fence_d;
  // What the response will say, and the entry the L1 TLB is filled with.
  tlb_entry_t  fill_q, fill_d;
  logic        fault_q, fault_d;
  logic [4:0]  cause_q, cause_d;
  logic [PaW-1:0] pa_q, pa_d;
  logic [1:0]  level_q, level_d;
  logic [1:0]  source_q, source_d;
  // A sweep was started last cycle; its busy flag is up from now on.
  logic        started_q, started_d;

  logic [AsidW-1:0] asid;
  assign asid = satp_q[59:44];
  logic is_fetch;
  assign is_fetch = acc_q == AccFetch;

  // ---- L1 TLBs ----------------------------------------------------------------------------------
  logic        l1_lookup, l1_fill, l1_inval, fence_go;
  logic        itlb_found, itlb_hit, dtlb_found, dtlb_hit, itlb_busy, dtlb_busy;
  logic [15:0] itlb_set, itlb_way, dtlb_set, dtlb_way;
  tlb_entry_t  itlb_entry, dtlb_entry;

  sv39_tlb #(
    .Sets(ItlbSets), .Ways(ItlbWays), .Policy(ItlbPolicy), .Superpages(ItlbSuperpages),
    .SpEntries(ItlbSpEntries), .AsidBits(AsidBits)
  ) u_itlb (
    .clk_i, .rst_ni,
    .lookup_i(l1_lookup && is_fetch), .lookup_va_i(va_q), .lookup_asid_i(asid),
    .lookup_access_i(acc_q), .lookup_priv_i(priv_q), .lookup_sum_i(sum_q), .lookup_mxr_i(mxr_q),
    .lookup_found_o(itlb_found), .lookup_hit_o(itlb_hit), .lookup_set_o(itlb_set),
    .lookup_way_o(itlb_way), .lookup_entry_o(itlb_entry),
    .fill_i(l1_fill && is_fetch), .fill_entry_i(fill_q), .fill_va_i(va_q),
    .fill_set_o(obs_itlb_fill_set_o), .fill_way_o(obs_itlb_fill_way_o),
    .fill_stored_o(obs_itlb_fill_entry_o),
    .fill_evict_o(obs_itlb_fill_evict_o), .fill_victim_o(obs_itlb_fill_victim_o),
    .inval_i(l1_inval && is_fetch), .inval_va_i(va_q), .inval_asid_i(asid),
    .fence_i(fence_go), .fence_req_i(fence_q), .busy_o(itlb_busy),
    .inv_o(obs_itlb_inv_o), .inv_reason_o(obs_itlb_inv_reason_o), .inv_set_o(obs_itlb_inv_set_o),
    .inv_super_o(obs_itlb_inv_super_o), .inv_ways_o(obs_itlb_inv_ways_o),
    .inv_entries_o(obs_itlb_inv_entries_o)
  );

  sv39_tlb #(
    .Sets(DtlbSets), .Ways(DtlbWays), .Policy(DtlbPolicy), .Superpages(DtlbSuperpages),
    .SpEntries(DtlbSpEntries), .AsidBits(AsidBits)
  ) u_dtlb (
    .clk_i, .rst_ni,
    .lookup_i(l1_lookup && !is_fetch), .lookup_va_i(va_q), .lookup_asid_i(asid),
    .lookup_access_i(acc_q), .lookup_priv_i(priv_q), .lookup_sum_i(sum_q), .lookup_mxr_i(mxr_q),
    .lookup_found_o(dtlb_found), .lookup_hit_o(dtlb_hit), .lookup_set_o(dtlb_set),
    .lookup_way_o(dtlb_way), .lookup_entry_o(dtlb_entry),
    .fill_i(l1_fill && !is_fetch), .fill_entry_i(fill_q), .fill_va_i(va_q),
    .fill_set_o(obs_dtlb_fill_set_o), .fill_way_o(obs_dtlb_fill_way_o),
    .fill_stored_o(obs_dtlb_fill_entry_o),
    .fill_evict_o(obs_dtlb_fill_evict_o), .fill_victim_o(obs_dtlb_fill_victim_o),
    .inval_i(l1_inval && !is_fetch), .inval_va_i(va_q), .inval_asid_i(asid),
    .fence_i(fence_go), .fence_req_i(fence_q), .busy_o(dtlb_busy),
    .inv_o(obs_dtlb_inv_o), .inv_reason_o(obs_dtlb_inv_reason_o), .inv_set_o(obs_dtlb_inv_set_o),
    .inv_super_o(obs_dtlb_inv_super_o), .inv_ways_o(obs_dtlb_inv_ways_o),
    .inv_entries_o(obs_dtlb_inv_entries_o)
  );

  // An L1 hit answers with the entry's frame and size; the rest of it is for the observation ports.
  logic            l1_found, l1_hit;
  logic [PpnW-1:0] l1_ppn;
  logic [1:0]      l1_level;
  assign l1_found = is_fetch ? itlb_found : dtlb_found;
  assign l1_hit   = is_fetch ? itlb_hit : dtlb_hit;
  assign l1_ppn   = is_fetch ? itlb_entry.ppn : dtlb_entry.ppn;
  assign l1_level = is_fetch ? itlb_entry.level : dtlb_entry.level;

  assign obs_itlb_lookup_o = l1_lookup && is_fetch;
  assign obs_itlb_found_o  = itlb_found;
  assign obs_itlb_hit_o    = itlb_hit;
  assign obs_itlb_set_o    = itlb_set;
  assign obs_itlb_way_o    = itlb_way;
  assign obs_itlb_entry_o  = itlb_entry;
  assign obs_itlb_fill_o   = l1_fill && is_fetch;
  assign obs_dtlb_lookup_o = l1_lookup && !is_fetch;
  assign obs_dtlb_found_o  = dtlb_found;
  assign obs_dtlb_hit_o    = dtlb_hit;
  assign obs_dtlb_set_o    = dtlb_set;
  assign obs_dtlb_way_o    = dtlb_way;
  assign obs_dtlb_entry_o  = dtlb_entry;
  assign obs_dtlb_fill_o   = l1_fill && !is_fetch;

  // ---- L2 TLB ----------------------------------------------------------------------------------
  logic       l2_lookup, l2_fill, l2_inval;
  logic       l2_found, l2_hit, l2_busy;
  tlb_entry_t l2_entry;

  assign obs_l2tlb_lookup_o = l2_lookup;
  assign obs_l2tlb_fill_o   = l2_fill;

  if (L2En) begin : g_l2tlb
    sv39_tlb #(
      .Sets(L2Sets), .Ways(L2Ways), .Policy(L2Policy), .Superpages(L2Superpages),
      .SpEntries(L2SpEntries), .AsidBits(AsidBits)
    ) u_l2tlb (
      .clk_i, .rst_ni,
      .lookup_i(l2_lookup), .lookup_va_i(va_q), .lookup_asid_i(asid),
      .lookup_access_i(acc_q), .lookup_priv_i(priv_q), .lookup_sum_i(sum_q), .lookup_mxr_i(mxr_q),
      .lookup_found_o(l2_found), .lookup_hit_o(l2_hit), .lookup_set_o(obs_l2tlb_set_o),
      .lookup_way_o(obs_l2tlb_way_o), .lookup_entry_o(l2_entry),
      .fill_i(l2_fill), .fill_entry_i(fill_q), .fill_va_i(va_q),
      .fill_set_o(obs_l2tlb_fill_set_o), .fill_way_o(obs_l2tlb_fill_way_o),
      .fill_stored_o(obs_l2tlb_fill_entry_o),
      .fill_evict_o(obs_l2tlb_fill_evict_o), .fill_victim_o(obs_l2tlb_fill_victim_o),
      .inval_i(l2_inval), .inval_va_i(va_q), .inval_asid_i(asid),
      .fence_i(fence_go), .fence_req_i(fence_q), .busy_o(l2_busy),
      .inv_o(obs_l2tlb_inv_o), .inv_reason_o(obs_l2tlb_inv_reason_o), .inv_set_o(obs_l2tlb_inv_set_o),
      .inv_super_o(obs_l2tlb_inv_super_o), .inv_ways_o(obs_l2tlb_inv_ways_o),
      .inv_entries_o(obs_l2tlb_inv_entries_o)
    );
  end else begin : g_no_l2tlb
    assign l2_found = 1'b0;
    assign l2_hit   = 1'b0;
    assign l2_busy  = 1'b0;
    assign l2_entry = '0;
    assign obs_l2tlb_set_o = '0;
    assign obs_l2tlb_way_o = '0;
    assign obs_l2tlb_fill_set_o = '0;
    assign obs_l2tlb_fill_way_o = '0;
    assign obs_l2tlb_fill_entry_o = '0;
    assign obs_l2tlb_fill_evict_o = 1'b0;
    assign obs_l2tlb_fill_victim_o = '0;
    assign obs_l2tlb_inv_o = 1'b0;
    assign obs_l2tlb_inv_reason_o = InvFenceAll;
    assign obs_l2tlb_inv_set_o = '0;
    assign obs_l2tlb_inv_super_o = 1'b0;
    assign obs_l2tlb_inv_ways_o = '0;
    assign obs_l2tlb_inv_entries_o = '0;
    logic unused_l2;
    assign unused_l2 = ^{L2Sets, L2Ways, L2Policy, L2Superpages, L2SpEntries, l2_inval};
  end
  assign obs_l2tlb_found_o = l2_found;
  assign obs_l2tlb_hit_o   = l2_hit;
  assign obs_l2tlb_entry_o = l2_entry;

  // ---- Walker ----------------------------------------------------------------------------------
  logic             walk_req, walk_ready, walk_rsp, walk_ok, walk_global, walker_busy;
  logic [4:0]       walk_cause;
  logic [1:0]       walk_level;
  logic [63:0]      walk_pte;
  logic [PaW-1:0]   walk_pa;

  sv39_ptw #(
    .PwcEn(PwcEn), .PwcPerLevel(PwcPerLevel), .PwcSets(PwcSets), .PwcWays(PwcWays),
    .PwcPolicy(PwcPolicy), .PwcFlushOnVaFence(PwcFlushOnVaFence)
  ) u_ptw (
    .clk_i, .rst_ni,
    .req_valid_i(walk_req), .req_ready_o(walk_ready), .req_va_i(va_q), .req_access_i(acc_q),
    .req_priv_i(priv_q), .req_sum_i(sum_q), .req_mxr_i(mxr_q), .req_satp_i(satp_q),
    .req_hw_ad_i(hw_ad_q),
    .rsp_valid_o(walk_rsp), .rsp_ok_o(walk_ok), .rsp_cause_o(walk_cause), .rsp_level_o(walk_level),
    .rsp_pte_o(walk_pte), .rsp_global_o(walk_global), .rsp_pa_o(walk_pa),
    .mem_req_valid_o, .mem_req_ready_i, .mem_req_cas_o, .mem_req_addr_o, .mem_req_level_o,
    .mem_req_expected_o, .mem_req_desired_o, .mem_rsp_valid_i, .mem_rsp_rdata_i, .mem_rsp_err_i,
    .mem_rsp_changed_i,
    .fence_i(fence_go), .fence_req_i(fence_q), .fence_busy_o(walker_busy),
    .walk_start_o(obs_walk_start_o), .walk_start_level_o(obs_walk_start_level_o),
    .pwc_probe_o(obs_pwc_probe_o), .pwc_probe_level_o(obs_pwc_probe_level_o),
    .pwc_probe_set_o(obs_pwc_probe_set_o), .pwc_probe_way_o(obs_pwc_probe_way_o),
    .pwc_probe_hit_o(obs_pwc_probe_hit_o), .pwc_probe_table_o(obs_pwc_probe_table_o),
    .pwc_fill_o(obs_pwc_fill_o), .pwc_fill_level_o(obs_pwc_fill_level_o),
    .pwc_fill_set_o(obs_pwc_fill_set_o), .pwc_fill_way_o(obs_pwc_fill_way_o),
    .pwc_fill_table_o(obs_pwc_fill_table_o), .pwc_fill_evict_o(obs_pwc_fill_evict_o),
    .pwc_fill_victim_tag_o(obs_pwc_fill_victim_tag_o),
    .pwc_fill_victim_level_o(obs_pwc_fill_victim_level_o),
    .pwc_inv_o(obs_pwc_inv_o), .pwc_inv_set_o(obs_pwc_inv_set_o),
    .pwc_inv_array_level_o(obs_pwc_inv_array_level_o), .pwc_inv_ways_o(obs_pwc_inv_ways_o),
    .pwc_inv_tags_o(obs_pwc_inv_tags_o), .pwc_inv_asids_o(obs_pwc_inv_asids_o),
    .pwc_inv_levels_o(obs_pwc_inv_levels_o)
  );

  assign obs_walk_end_o   = walk_rsp;
  assign obs_walk_ok_o    = walk_ok;
  assign obs_walk_cause_o = walk_cause;
  assign obs_walk_level_o = walk_level;
  assign obs_walk_pa_o    = walk_pa;

  // The entry a walk's leaf makes (Mmu::translate_page): the page's first frame, the leaf's bits.
  function automatic tlb_entry_t leaf_entry(logic [VpnW-1:0] vpn, logic [63:0] pte, logic [1:0] level,
                                            logic global, logic [AsidW-1:0] entry_asid);
    tlb_entry_t e;
    e.vpn        = vpn & ~level_mask(level);
    e.ppn        = pte_ppn(pte) & ~PpnW'(level_mask(level));
    e.asid       = entry_asid;
    e.level      = level;
    e.page_level = level;
    e.pte        = pte[7:0];
    e.global     = global;
    return e;
  endfunction

  // Physical address through an entry: its frame for the page, the VA's offset within it.
  function automatic logic [PaW-1:0] entry_pa(logic [PpnW-1:0] ppn, logic [1:0] level,
                                              logic [PaW-1:0] va);
    logic [PaW-1:0] offset_mask;
    offset_mask = {{(PaW - 12 - VpnW){1'b0}}, level_mask(level), 12'hfff};
    return ({ppn, 12'h000} & ~offset_mask) | (va & offset_mask);
  endfunction

  // ---- Control ---------------------------------------------------------------------------------
  logic sweeps_busy;
  assign sweeps_busy = itlb_busy || dtlb_busy || l2_busy || walker_busy;
  // Outside the FSM's always_comb: the walker's req_ready_o depends on its fence_i.
  assign fence_go = state_q == StFence && !started_q;

  always_comb begin
    state_d   = state_q;
    va_d      = va_q;
    acc_d     = acc_q;
    priv_d    = priv_q;
    sum_d     = sum_q;
    mxr_d     = mxr_q;
    hw_ad_d   = hw_ad_q;
    satp_d    = satp_q;
    fence_d   = fence_q;
    fill_d    = fill_q;
    fault_d   = fault_q;
    cause_d   = cause_q;
    pa_d      = pa_q;
    level_d   = level_q;
    source_d  = source_q;
    started_d = 1'b0;

    req_ready_o  = 1'b0;
    rsp_valid_o  = 1'b0;
    fence_done_o = 1'b0;
    l1_lookup    = 1'b0;
    l1_fill      = 1'b0;
    l1_inval     = 1'b0;
    l2_lookup    = 1'b0;
    l2_fill      = 1'b0;
    l2_inval     = 1'b0;
    walk_req     = 1'b0;

    unique case (state_q)
      StIdle: begin
        req_ready_o = 1'b1;
        if (fence_valid_i) begin
          fence_d = fence_req_i;
          state_d = StFence;
        end else if (req_valid_i) begin
          va_d    = req_va_i;
          acc_d   = req_access_i;
          priv_d  = req_priv_i;
          sum_d   = req_sum_i;
          mxr_d   = req_mxr_i;
          satp_d  = req_satp_i;
          hw_ad_d = req_hw_ad_i;
          state_d = StL1Lookup;
        end
      end
      StL1Lookup: begin
        l1_lookup = 1'b1;
        if (l1_hit) begin
          fault_d  = 1'b0;
          pa_d     = entry_pa(l1_ppn, l1_level, va_q[PaW-1:0]);
          level_d  = l1_level;
          source_d = 2'd1;
          state_d  = StRespond;
        end else if (l1_found) begin
          state_d = StL1Drop;
        end else begin
          state_d = L2En ? StL2Lookup : StWalkReq;
        end
      end
      StL1Drop: begin
        // Start the sweep, then wait for it.
        l1_inval  = !started_q;
        started_d = 1'b1;
        if (started_q && !sweeps_busy) state_d = L2En ? StL2Lookup : StWalkReq;
      end
      StL2Lookup: begin
        l2_lookup = 1'b1;
        if (l2_hit) begin
          fill_d   = l2_entry;
          fault_d  = 1'b0;
          pa_d     = entry_pa(l2_entry.ppn, l2_entry.level, va_q[PaW-1:0]);
          level_d  = l2_entry.level;
          source_d = 2'd2;
          state_d  = StL1Fill;
        end else if (l2_found) begin
          state_d = StL2Drop;
        end else begin
          state_d = StWalkReq;
        end
      end
      StL2Drop: begin
        l2_inval  = !started_q;
        started_d = 1'b1;
        if (started_q && !sweeps_busy) state_d = StWalkReq;
      end
      StWalkReq: begin
        walk_req = 1'b1;
        if (walk_ready) state_d = StWalkWait;
      end
      StWalkWait: begin
        if (walk_rsp) begin
          source_d = 2'd3;
          fault_d  = !walk_ok;
          cause_d  = walk_cause;
          pa_d     = walk_ok ? walk_pa : '0;
          level_d  = walk_ok ? walk_level : 2'd0;
          fill_d   = leaf_entry(va_q[38:12], walk_pte, walk_level, walk_global, satp_q[59:44]);
          state_d  = !walk_ok ? StRespond : (L2En ? StL2Fill : StL1Fill);
        end
      end
      StL2Fill: begin
        l2_fill = 1'b1;
        state_d = StL1Fill;
      end
      StL1Fill: begin
        l1_fill = 1'b1;
        state_d = StRespond;
      end
      StRespond: begin
        rsp_valid_o = 1'b1;
        state_d     = StIdle;
      end
      StFence: begin
        started_d = 1'b1;
        if (started_q && !sweeps_busy) begin
          fence_done_o = 1'b1;
          state_d      = StIdle;
        end
      end
      default: state_d = StIdle;
    endcase
  end

  assign rsp_fault_o  = fault_q;
  assign rsp_cause_o  = fault_q ? cause_q : 5'd0;
  assign rsp_pa_o     = pa_q;
  assign rsp_level_o  = level_q;
  assign rsp_source_o = source_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q   <= StIdle;
      va_q      <= '0;
      acc_q     <= AccLoad;
      priv_q    <= PrivS;
      sum_q     <= 1'b0;
      mxr_q     <= 1'b0;
      hw_ad_q   <= 1'b0;
      satp_q    <= '0;
      fence_q   <= '0;
      fill_q    <= '0;
      fault_q   <= 1'b0;
      cause_q   <= '0;
      pa_q      <= '0;
      level_q   <= '0;
      source_q  <= '0;
      started_q <= 1'b0;
    end else begin
      state_q   <= state_d;
      va_q      <= va_d;
      acc_q     <= acc_d;
      priv_q    <= priv_d;
      sum_q     <= sum_d;
      mxr_q     <= mxr_d;
      hw_ad_q   <= hw_ad_d;
      satp_q    <= satp_d;
      fence_q   <= fence_d;
      fill_q    <= fill_d;
      fault_q   <= fault_d;
      cause_q   <= cause_d;
      pa_q      <= pa_d;
      level_q   <= level_d;
      source_q  <= source_d;
      started_q <= started_d;
    end
  end

`ifndef SYNTHESIS
  // A lookup never reports a hit without an entry; requests are taken only when no sweep runs.
  assert property (@(posedge clk_i) !(l1_lookup && l1_hit && !l1_found));
  assert property (@(posedge clk_i) !(l2_lookup && l2_hit && !l2_found));
  assert property (@(posedge clk_i) !(req_ready_o && sweeps_busy));
`endif

endmodule
