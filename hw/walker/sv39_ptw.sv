// Sv39 page-table walker with an optional page-walk cache: the RTL twin of
// models/mmu/PageTableWalker.cpp and sv39::walk (models/mmu/Sv39.h), step for step.
//
// One walk at a time:
//   1. Probe the PWC (canonical VAs only), deepest pointer first: level 1, then level 2 on a miss. A hit
//      at level L starts the walk at L-1 from the cached table with the entry's G; else at the root.
//      walk_start_o names the start level once known (a non-canonical VA starts, and faults, at level 2).
//   2. Read PTEs over the memory port and apply the spec's rules (classify, permissions, A/D). Missing
//      A/D bits are set by compare-and-swap (req_hw_ad_i) or give a page fault. A CAS that finds the PTE
//      changed re-reads the same PTE; after 16 such retries the walk gives up with a page fault.
//   3. Fill the PWC with every pointer read (level 2, then level 1), also when the walk faulted after it.
//   4. Answer with a one-cycle rsp_valid_o.
// A fence (fence_i, only while idle) sweeps the PWC arrays set by set.
module sv39_ptw import sv39_pkg::*; #(
  parameter bit          PwcEn             = 1'b1,
  parameter bit          PwcPerLevel       = 1'b0,  // separate arrays for level-2 and level-1 pointers
  parameter int unsigned PwcSets           = 8,
  parameter int unsigned PwcWays           = 4,
  parameter int unsigned PwcPolicy         = ReplLru,
  parameter bit          PwcFlushOnVaFence = 1'b0   // a VA-scoped fence also drops that VA's pointers
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,
  // Walk request.
  input  logic                           req_valid_i,
  output logic                           req_ready_o,
  input  logic [63:0]                    req_va_i,
  input  access_e                        req_access_i,
  input  priv_e                          req_priv_i,
  input  logic                           req_sum_i,
  input  logic                           req_mxr_i,
  input  logic [63:0]                    req_satp_i,   // root PPN and ASID
  input  logic                           req_hw_ad_i,  // 1: set A/D by CAS; 0: page fault instead
  // Result, a one-cycle pulse.
  output logic                           rsp_valid_o,
  output logic                           rsp_ok_o,
  output logic [4:0]                     rsp_cause_o,
  output logic [1:0]                     rsp_level_o,
  output logic [63:0]                    rsp_pte_o,
  output logic                           rsp_global_o,
  output logic [PaW-1:0]                 rsp_pa_o,
  // Memory port for PTE reads and A/D compare-and-swap; one outstanding request.
  output logic                           mem_req_valid_o,
  input  logic                           mem_req_ready_i,
  output logic                           mem_req_cas_o,
  output logic [PaW-1:0]                 mem_req_addr_o,
  output logic [1:0]                     mem_req_level_o,
  output logic [63:0]                    mem_req_expected_o,
  output logic [63:0]                    mem_req_desired_o,
  input  logic                           mem_rsp_valid_i,
  input  logic [63:0]                    mem_rsp_rdata_i,
  input  logic                           mem_rsp_err_i,
  input  logic                           mem_rsp_changed_i,
  // Fence of the page-walk cache.
  input  logic                           fence_i,
  input  fence_t                         fence_req_i,
  output logic                           fence_busy_o,
  // Observation.
  output logic                           walk_start_o,
  output logic [1:0]                     walk_start_level_o,
  output logic                           pwc_probe_o,
  output logic [1:0]                     pwc_probe_level_o,
  output logic [15:0]                    pwc_probe_set_o,
  output logic [15:0]                    pwc_probe_way_o,
  output logic                           pwc_probe_hit_o,
  output logic [PaW-1:0]                 pwc_probe_table_o,
  output logic                           pwc_fill_o,
  output logic [1:0]                     pwc_fill_level_o,
  output logic [15:0]                    pwc_fill_set_o,
  output logic [15:0]                    pwc_fill_way_o,
  output logic [PaW-1:0]                 pwc_fill_table_o,
  output logic                           pwc_fill_evict_o,
  output logic [17:0]                    pwc_fill_victim_tag_o,
  output logic [1:0]                     pwc_fill_victim_level_o,
  output logic                           pwc_inv_o,
  output logic [15:0]                    pwc_inv_set_o,
  output logic [1:0]                     pwc_inv_array_level_o,
  output logic [PwcWays-1:0]             pwc_inv_ways_o,
  output logic [PwcWays-1:0][17:0]       pwc_inv_tags_o,
  output logic [PwcWays-1:0][AsidW-1:0]  pwc_inv_asids_o,
  output logic [PwcWays-1:0][1:0]        pwc_inv_levels_o
);

  localparam int unsigned SetW       = PwcSets > 1 ? $clog2(PwcSets) : 1;
  localparam int unsigned WayW       = PwcWays > 1 ? $clog2(PwcWays) : 1;
  localparam int unsigned MaxRetries = 16;  // sv39::walk: the 17th changed CAS is a page fault

  typedef enum logic [3:0] {
    StIdle,      // waiting for a walk or a fence
    StProbe,     // one PWC probe at level_q (1, then 2)
    StBegin,     // no probe: the walk starts at the root (or faults on a non-canonical VA)
    StRead,      // PTE read request at level_q
    StReadWait,
    StCas,       // A/D compare-and-swap request on the PTE just read
    StCasWait,
    StFill,      // one PWC fill per cycle, level fill_level_q
    StDone,      // result pulse
    StFence      // sweeping the PWC, one set per cycle
  } state_e;

  state_e state_d, state_q;

  // The request.
  logic [63:0]      va_d, va_q;
  access_e          access_d, access_q;
  priv_e            priv_d, priv_q;
  logic             sum_d, sum_q, mxr_d, mxr_q, hw_ad_d, hw_ad_q;
  logic [AsidW-1:0] asid_d, asid_q;
  // The walk.
  logic [1:0]       level_d, level_q;         // level of the PTE being read (or probed)
  logic [PpnW-1:0]  table_d, table_q;         // the table that PTE sits in
  logic             global_d, global_q;       // G of the start and of every pointer read
  logic             start_global_d, start_global_q;
  logic [63:0]      pte_d, pte_q;             // the PTE last read (the leaf, A/D set, at the end)
  logic [4:0]       retries_d, retries_q;
  logic             ok_d, ok_q;
  logic [4:0]       cause_d, cause_q;
  // The pointer each level's last read found, for the fills; index level[1] (1: level 2, 0: level 1).
  logic [1:0]       ptr_d, ptr_q;
  logic [1:0][PpnW-1:0] ptr_ppn_d, ptr_ppn_q;
  logic [1:0]       ptr_g_d, ptr_g_q;
  logic [1:0]       fill_level_d, fill_level_q;
  logic             fill_global_d, fill_global_q;
  // The fence being swept.
  fence_t           fence_d, fence_q;
  logic             sweep_array_d, sweep_array_q;
  logic [SetW-1:0]  sweep_set_d, sweep_set_q;

  // --- The PTE read this cycle and what it means (sv39::walk's loop body) ---
  logic [63:0] rd_pte;
  logic        rd_err;
  step_e       rd_step;
  logic        rd_permits;
  logic [7:0]  rd_ad;

  assign rd_pte = mem_rsp_rdata_i;
`ifdef SV39_MUT_PMP_IGNORED
  // Mutation: a PTE read the PMP denied (or nothing answered) is used as if it had succeeded.
  assign rd_err = 1'b0;
`else
  assign rd_err = mem_rsp_err_i;
`endif

  always_comb begin
    rd_step = pte_classify(rd_pte, level_q);
`ifdef SV39_MUT_MISALIGNED_SUPERPAGE
    // Mutation: a leaf that fails only the superpage alignment check is taken as a leaf.
    if (rd_step == StepFault && pte_classify(rd_pte, 2'd0) == StepLeaf) rd_step = StepLeaf;
`endif
  end

  assign rd_permits = pte_permits(rd_pte[7:0], access_q, priv_q, sum_q, mxr_q);
  assign rd_ad      = pte_needs_ad(rd_pte[7:0], access_q);

  // The CAS: the PTE as read, and with the A/D bits the access needs.
  logic [7:0]  cas_ad;
  logic [63:0] cas_desired;
`ifdef SV39_MUT_A_NOT_SET
  // Mutation: the update sets D but forgets A.
  assign cas_ad = pte_needs_ad(pte_q[7:0], access_q) & ~8'(1 << PteA);
`else
  assign cas_ad = pte_needs_ad(pte_q[7:0], access_q);
`endif
  assign cas_desired = pte_q | 64'(cas_ad);

  // --- Page-walk cache ---
  logic             pwc_probe, pwc_fill, pwc_sweep;
  logic [SetW-1:0]  probe_set, fill_set, inv_set;
  logic [WayW-1:0]  probe_way, fill_way;
  logic             probe_hit, probe_global, fill_evict, inv_array;
  logic [PpnW-1:0]  probe_ppn;
  logic [17:0]      fill_victim_tag;
  logic [1:0]       fill_victim_level;
  logic             fill_global;

  assign pwc_probe   = state_q == StProbe;
  assign pwc_fill    = state_q == StFill && ptr_q[fill_level_q[1]];
  assign pwc_sweep   = state_q == StFence;
  assign fill_global = fill_global_q || ptr_g_q[fill_level_q[1]];

  if (PwcEn) begin : gen_pwc
    sv39_pwc #(
      .PerLevel(PwcPerLevel),
      .Sets    (PwcSets),
      .Ways    (PwcWays),
      .Policy  (PwcPolicy)
    ) u_pwc (
      .clk_i,
      .rst_ni,
      .probe_i            (pwc_probe),
      .probe_level_i      (level_q),
      .probe_vpn_i        (va_q[38:21]),
      .probe_asid_i       (asid_q),
      .probe_set_o        (probe_set),
      .probe_hit_o        (probe_hit),
      .probe_way_o        (probe_way),
      .probe_ppn_o        (probe_ppn),
      .probe_global_o     (probe_global),
      .fill_i             (pwc_fill),
      .fill_level_i       (fill_level_q),
      .fill_vpn_i         (va_q[38:21]),
      .fill_asid_i        (asid_q),
      .fill_ppn_i         (ptr_ppn_q[fill_level_q[1]]),
      .fill_global_i      (fill_global),
      .fill_set_o         (fill_set),
      .fill_way_o         (fill_way),
      .fill_evict_o       (fill_evict),
      .fill_victim_tag_o  (fill_victim_tag),
      .fill_victim_level_o(fill_victim_level),
      .sweep_i            (pwc_sweep),
      .sweep_array_i      (sweep_array_q),
      .sweep_set_i        (sweep_set_q),
      .sweep_fence_i      (fence_q),
      .inv_o              (pwc_inv_o),
      .inv_array_o        (inv_array),
      .inv_set_o          (inv_set),
      .inv_ways_o         (pwc_inv_ways_o),
      .inv_tags_o         (pwc_inv_tags_o),
      .inv_asids_o        (pwc_inv_asids_o),
      .inv_levels_o       (pwc_inv_levels_o)
    );
  end else begin : gen_no_pwc
    // Never probed, filled or swept (the FSM skips those states): every answer is a miss.
    assign probe_set         = '0;
    assign probe_hit         = 1'b0;
    assign probe_way         = '0;
    assign probe_ppn         = '0;
    assign probe_global      = 1'b0;
    assign fill_set          = '0;
    assign fill_way          = '0;
    assign fill_evict        = 1'b0;
    assign fill_victim_tag   = '0;
    assign fill_victim_level = '0;
    assign pwc_inv_o         = 1'b0;
    assign inv_array         = 1'b0;
    assign inv_set           = '0;
    assign pwc_inv_ways_o    = '0;
    assign pwc_inv_tags_o    = '0;
    assign pwc_inv_asids_o   = '0;
    assign pwc_inv_levels_o  = '0;
    logic unused_pwc;
    assign unused_pwc = ^{pwc_probe, pwc_fill, pwc_sweep, fill_global, fence_q, sweep_array_q,
                          sweep_set_q, ptr_ppn_q, start_global_q};
  end

  // --- FSM ---
  // Where a walk goes once its outcome is known: the fills, then the result.
  localparam state_e StFinish = PwcEn ? StFill : StDone;

  always_comb begin
    state_d        = state_q;
    va_d           = va_q;
    access_d       = access_q;
    priv_d         = priv_q;
    sum_d          = sum_q;
    mxr_d          = mxr_q;
    hw_ad_d        = hw_ad_q;
    asid_d         = asid_q;
    level_d        = level_q;
    table_d        = table_q;
    global_d       = global_q;
    start_global_d = start_global_q;
    pte_d          = pte_q;
    retries_d      = retries_q;
    ok_d           = ok_q;
    cause_d        = cause_q;
    ptr_d          = ptr_q;
    ptr_ppn_d      = ptr_ppn_q;
    ptr_g_d        = ptr_g_q;
    fill_level_d   = fill_level_q;
    fill_global_d  = fill_global_q;
    fence_d        = fence_q;
    sweep_array_d  = sweep_array_q;
    sweep_set_d    = sweep_set_q;

    walk_start_o       = 1'b0;
    walk_start_level_o = 2'd2;

    unique case (state_q)
      StIdle: begin
        if (fence_i) begin
          // PageTableWalker::flush: nothing to do without a PWC, or for a VA-scoped fence unless
          // configured to drop that VA's pointers too.
          if (PwcEn && (!fence_req_i.has_va || PwcFlushOnVaFence)) begin
            fence_d       = fence_req_i;
            sweep_array_d = 1'b0;
            sweep_set_d   = '0;
            state_d       = StFence;
          end
        end else if (req_valid_i) begin
          va_d           = req_va_i;
          access_d       = req_access_i;
          priv_d         = req_priv_i;
          sum_d          = req_sum_i;
          mxr_d          = req_mxr_i;
          hw_ad_d        = req_hw_ad_i;
          asid_d         = req_satp_i[59:44];
          table_d        = req_satp_i[43:0];
          global_d       = 1'b0;
          start_global_d = 1'b0;
          retries_d      = '0;
          ok_d           = 1'b0;
          cause_d        = '0;
          ptr_d          = '0;
          // Only a canonical VA probes the PWC: the deepest pointer first.
          if (PwcEn && va_canonical(req_va_i)) begin
            level_d = 2'd1;
            state_d = StProbe;
          end else begin
            level_d = 2'd2;
            state_d = StBegin;
          end
        end
      end

      StProbe: begin
        if (probe_hit) begin
          walk_start_o       = 1'b1;
          walk_start_level_o = level_q - 2'd1;
          level_d            = level_q - 2'd1;
          table_d            = probe_ppn;
          global_d           = probe_global;
          start_global_d     = probe_global;
          state_d            = StRead;
        end else if (level_q == 2'd1) begin
          level_d = 2'd2;
        end else begin
          walk_start_o = 1'b1;
          state_d      = StRead;
        end
      end

      StBegin: begin
        walk_start_o = 1'b1;
        if (va_canonical(va_q)) begin
          state_d = StRead;
        end else begin
          cause_d = page_fault_cause(access_q);
          state_d = StDone;  // no PTE was read: nothing to fill
        end
      end

      StRead: begin
        if (mem_req_ready_i) state_d = StReadWait;
      end

      StReadWait: begin
        if (mem_rsp_valid_i) begin
          pte_d = rd_pte;
          // The last read of each level decides what the PWC is filled with.
          if (level_q != 2'd0) begin
            ptr_d[level_q[1]]     = !rd_err && rd_step == StepPointer;
            ptr_ppn_d[level_q[1]] = pte_ppn(rd_pte);
            ptr_g_d[level_q[1]]   = rd_pte[PteG];
          end
          if (rd_err) begin
            cause_d = access_fault_cause(access_q);
            state_d = StFinish;
          end else begin
            unique case (rd_step)
              StepPointer: begin
                global_d = global_q || rd_pte[PteG];
                table_d  = pte_ppn(rd_pte);
                level_d  = level_q - 2'd1;
                state_d  = StRead;
              end
              StepLeaf: begin
                if (!rd_permits || (rd_ad != '0 && !hw_ad_q)) begin
                  cause_d = page_fault_cause(access_q);
                  state_d = StFinish;
                end else if (rd_ad != '0) begin
                  state_d = StCas;
                end else begin
                  ok_d    = 1'b1;
                  state_d = StFinish;
                end
              end
              default: begin  // StepFault
                cause_d = page_fault_cause(access_q);
                state_d = StFinish;
              end
            endcase
          end
        end
      end

      StCas: begin
        if (mem_req_ready_i) state_d = StCasWait;
      end

      StCasWait: begin
        if (mem_rsp_valid_i) begin
          if (mem_rsp_err_i) begin
            cause_d = access_fault_cause(access_q);
            state_d = StFinish;
          end else if (mem_rsp_changed_i) begin
            // Someone else changed the PTE: read it again (step 2 of the spec's process).
            if (retries_q == 5'(MaxRetries)) begin
              cause_d = page_fault_cause(access_q);
              state_d = StFinish;
            end else begin
              retries_d = retries_q + 5'd1;
              state_d   = StRead;
            end
          end else begin
            pte_d   = cas_desired;
            ok_d    = 1'b1;
            state_d = StFinish;
          end
        end
      end

      StFill: begin
        // Pointers in read order: level 2, then level 1; G accumulates downwards.
        if (ptr_q[fill_level_q[1]]) fill_global_d = fill_global;
        if (fill_level_q == 2'd1) begin
          state_d = StDone;
        end else begin
          fill_level_d = 2'd1;
        end
      end

      StDone: begin
        state_d = StIdle;
      end

      StFence: begin
        if (sweep_set_q == SetW'(PwcSets - 1)) begin
          sweep_set_d = '0;
          if (!PwcPerLevel || sweep_array_q) state_d = StIdle;
          else sweep_array_d = 1'b1;
        end else begin
          sweep_set_d = sweep_set_q + 1'b1;
        end
      end

      default: state_d = StIdle;
    endcase

    // Entering the fills: start from the level-2 pointer with the start's G.
    if (state_d == StFill && state_q != StFill) begin
      fill_level_d  = 2'd2;
      fill_global_d = start_global_q;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q        <= StIdle;
      va_q           <= '0;
      access_q       <= AccLoad;
      priv_q         <= PrivS;
      sum_q          <= 1'b0;
      mxr_q          <= 1'b0;
      hw_ad_q        <= 1'b0;
      asid_q         <= '0;
      level_q        <= 2'd2;
      table_q        <= '0;
      global_q       <= 1'b0;
      start_global_q <= 1'b0;
      pte_q          <= '0;
      retries_q      <= '0;
      ok_q           <= 1'b0;
      cause_q        <= '0;
      ptr_q          <= '0;
      ptr_ppn_q      <= '0;
      ptr_g_q        <= '0;
      fill_level_q   <= 2'd2;
      fill_global_q  <= 1'b0;
      fence_q        <= '0;
      sweep_array_q  <= 1'b0;
      sweep_set_q    <= '0;
    end else begin
      state_q        <= state_d;
      va_q           <= va_d;
      access_q       <= access_d;
      priv_q         <= priv_d;
      sum_q          <= sum_d;
      mxr_q          <= mxr_d;
      hw_ad_q        <= hw_ad_d;
      asid_q         <= asid_d;
      level_q        <= level_d;
      table_q        <= table_d;
      global_q       <= global_d;
      start_global_q <= start_global_d;
      pte_q          <= pte_d;
      retries_q      <= retries_d;
      ok_q           <= ok_d;
      cause_q        <= cause_d;
      ptr_q          <= ptr_d;
      ptr_ppn_q      <= ptr_ppn_d;
      ptr_g_q        <= ptr_g_d;
      fill_level_q   <= fill_level_d;
      fill_global_q  <= fill_global_d;
      fence_q        <= fence_d;
      sweep_array_q  <= sweep_array_d;
      sweep_set_q    <= sweep_set_d;
    end
  end

  // --- Outputs ---
  assign req_ready_o  = state_q == StIdle && !fence_i;
  assign fence_busy_o = state_q == StFence;

  // The PTE address: the table plus VPN[level] * 8.
  assign mem_req_valid_o    = state_q inside {StRead, StCas};
  assign mem_req_cas_o      = state_q == StCas;
  assign mem_req_addr_o     = {table_q, va_vpn(va_q, level_q), 3'b000};
  assign mem_req_level_o    = level_q;
  assign mem_req_expected_o = pte_q;
  assign mem_req_desired_o  = cas_desired;

  // The result; a fault reports zeros, as the model's WalkResult does.
  logic [PpnW-1:0] leaf_ppn;
  assign leaf_ppn     = pte_ppn(pte_q);
  assign rsp_valid_o  = state_q == StDone;
  assign rsp_ok_o     = ok_q;
  assign rsp_cause_o  = ok_q ? 5'd0 : cause_q;
  assign rsp_level_o  = ok_q ? level_q : 2'd0;
  assign rsp_pte_o    = ok_q ? pte_q : 64'd0;
  assign rsp_global_o = ok_q && (global_q || pte_q[PteG]);
  // A superpage takes its low VPN fields from the VA.
  assign rsp_pa_o = !ok_q ? '0 : {leaf_ppn[43:18],
                                  level_q == 2'd2 ? va_q[29:21] : leaf_ppn[17:9],
                                  level_q != 2'd0 ? va_q[20:12] : leaf_ppn[8:0],
                                  va_q[11:0]};

  assign pwc_probe_level_o       = level_q;
  assign pwc_probe_set_o         = 16'(probe_set);
  assign pwc_probe_way_o         = 16'(probe_way);
  assign pwc_probe_hit_o         = probe_hit;
  assign pwc_probe_table_o       = probe_hit ? {probe_ppn, 12'h000} : '0;
  assign pwc_probe_o             = pwc_probe;
  assign pwc_fill_o              = pwc_fill;
  assign pwc_fill_level_o        = fill_level_q;
  assign pwc_fill_set_o          = 16'(fill_set);
  assign pwc_fill_way_o          = 16'(fill_way);
  assign pwc_fill_table_o        = {ptr_ppn_q[fill_level_q[1]], 12'h000};
  assign pwc_fill_evict_o        = fill_evict;
  assign pwc_fill_victim_tag_o   = fill_victim_tag;
  assign pwc_fill_victim_level_o = fill_victim_level;
  assign pwc_inv_set_o           = 16'(inv_set);
  assign pwc_inv_array_level_o   = !PwcPerLevel ? 2'd0 : (inv_array ? 2'd1 : 2'd2);

  // Bits the walker does not look at: satp's MODE (the MMU walks only in Sv39), the reason of a fence.
  logic unused_inputs;
  assign unused_inputs = ^{req_satp_i[63:60], fence_req_i.reason, fence_q.reason};

`ifndef SYNTHESIS
  // The memory answers only the request in flight.
  assert property (@(posedge clk_i)
                   mem_rsp_valid_i |-> state_q inside {StReadWait, StCasWait});
  // Fences come only while no walk is in flight.
  assert property (@(posedge clk_i) fence_i |-> state_q == StIdle);
  // A walk reads at most three levels; a pointer at level 0 is a fault, never a step below it.
  assert property (@(posedge clk_i)
                   state_q == StReadWait && mem_rsp_valid_i && !rd_err && rd_step == StepPointer
                   |-> level_q != 2'd0);
  // Probes only at levels 1 and 2; fills only of pointers actually read.
  assert property (@(posedge clk_i) pwc_probe |-> level_q inside {2'd1, 2'd2});
  assert property (@(posedge clk_i) pwc_fill |-> fill_level_q inside {2'd1, 2'd2});
  // A CAS is issued only for a leaf missing A/D bits.
  assert property (@(posedge clk_i)
                   state_q == StCas |-> pte_needs_ad(pte_q[7:0], access_q) != '0);
`endif

endmodule
