// Sv39 types and rules for the RTL (TLB, page-table walker, MMU top), written from the privileged spec
// ("Sv39", "Virtual Address Translation Process"). The encodings match the SystemC model's event record
// (models/sim/Event.h) so the cross-check compares fields one to one.
package sv39_pkg;

  localparam int unsigned VaW   = 64;
  localparam int unsigned VpnW  = 27;  // VA[38:12]
  localparam int unsigned PpnW  = 44;
  localparam int unsigned PaW   = 56;
  localparam int unsigned AsidW = 16;
  localparam int unsigned Levels = 3;

  // Access type (models/mmu/Sv39.h Access).
  typedef enum logic [1:0] {
    AccFetch = 2'd0,
    AccLoad  = 2'd1,
    AccStore = 2'd2
  } access_e;

  // Privilege (models/arch/Csr.h Priv); M never reaches the MMU with translation on.
  typedef enum logic [1:0] {
    PrivU = 2'd0,
    PrivS = 2'd1,
    PrivM = 2'd3
  } priv_e;

  // Replacement policies the RTL builds (the model's `random` has no RTL counterpart).
  localparam int unsigned ReplLru  = 0;
  localparam int unsigned ReplPlru = 1;
  localparam int unsigned ReplFifo = 2;

  // Where a TLB keeps superpages (models/mmu/Tlb.h SuperpageMode).
  localparam int unsigned SpMain     = 0;  // in the main array, each size at its own set index
  localparam int unsigned SpSeparate = 1;  // in a small fully associative array beside it
  localparam int unsigned SpSplinter = 2;  // split into 4 KiB entries

  // Why entries are dropped (models/sim/Event.h InvalidateReason).
  typedef enum logic [2:0] {
    InvFenceAll   = 3'd0,
    InvFenceAsid  = 3'd1,
    InvFenceVa    = 3'd2,
    InvFenceVaAsid = 3'd3,
    InvSatpWrite  = 3'd4,
    InvDenied     = 3'd5,
    InvRefill     = 3'd6
  } inv_reason_e;

  // PTE bits.
  localparam int unsigned PteV = 0;
  localparam int unsigned PteR = 1;
  localparam int unsigned PteW = 2;
  localparam int unsigned PteX = 3;
  localparam int unsigned PteU = 4;
  localparam int unsigned PteG = 5;
  localparam int unsigned PteA = 6;
  localparam int unsigned PteD = 7;

  // Exception causes.
  localparam logic [4:0] CauseFetchAccess    = 5'd1;
  localparam logic [4:0] CauseLoadAccess     = 5'd5;
  localparam logic [4:0] CauseStoreAccess    = 5'd7;
  localparam logic [4:0] CauseFetchPageFault = 5'd12;
  localparam logic [4:0] CauseLoadPageFault  = 5'd13;
  localparam logic [4:0] CauseStorePageFault = 5'd15;

  // One TLB entry: a page of 4 KiB (level 0), 2 MiB (1) or 1 GiB (2).
  typedef struct packed {
    logic [VpnW-1:0]  vpn;         // VPN of the page's first 4 KiB frame
    logic [PpnW-1:0]  ppn;         // PPN of the same frame
    logic [AsidW-1:0] asid;
    logic [1:0]       level;
    logic [1:0]       page_level;  // the leaf's level (above `level` for a splintered superpage)
    logic [7:0]       pte;         // the leaf's V R W X U G A D bits
    logic             global;
  } tlb_entry_t;

  // An SFENCE.VMA (or the flush of a satp write) as the TLBs and the page-walk cache receive it.
  typedef struct packed {
    logic             has_va;
    logic [VpnW-1:0]  vpn;
    logic             has_asid;
    logic [AsidW-1:0] asid;
    inv_reason_e      reason;  // InvFenceAll .. InvSatpWrite
  } fence_t;

  // What one PTE read means for the walk.
  typedef enum logic [1:0] {
    StepPointer = 2'd0,
    StepLeaf    = 2'd1,
    StepFault   = 2'd2
  } step_e;

  function automatic logic [PpnW-1:0] pte_ppn(logic [63:0] pte);
    return pte[53:10];
  endfunction

  function automatic logic [8:0] va_vpn(logic [VaW-1:0] va, logic [1:0] level);
    unique case (level)
      2'd0: return va[20:12];
      2'd1: return va[29:21];
      2'd2: return va[38:30];
      default: return 9'd0;
    endcase
  endfunction

  // Bits 63:39 all equal bit 38.
  function automatic logic va_canonical(logic [VaW-1:0] va);
    return va[63:38] == {26{va[38]}};
  endfunction

  // Mask of the VPN bits below a page of `level` (the frame within a superpage).
  function automatic logic [VpnW-1:0] level_mask(logic [1:0] level);
    unique case (level)
      2'd0: return '0;
      2'd1: return VpnW'(27'h1ff);
      2'd2: return VpnW'(27'h3ffff);
      default: return '0;
    endcase
  endfunction

  function automatic step_e pte_classify(logic [63:0] pte, logic [1:0] level);
    if (!pte[PteV]) return StepFault;
    if (!pte[PteR] && pte[PteW]) return StepFault;  // W without R is reserved
    if (pte[63:54] != '0) return StepFault;         // Svpbmt/Svnapot bits: reserved here
    if (!pte[PteR] && !pte[PteX]) begin
      // A pointer may not carry D, A or U; a level-0 pointer is a fault.
      if (level == 2'd0 || pte[PteD] || pte[PteA] || pte[PteU]) return StepFault;
      return StepPointer;
    end
    // A superpage leaf must be aligned: its low PPN fields are zero.
    if ((pte_ppn(pte) & PpnW'(level_mask(level))) != '0) return StepFault;
    return StepLeaf;
  endfunction

  // R/W/X with MXR, and the U-bit rules with SUM (A/D are checked by pte_needs_ad).
  function automatic logic pte_permits(logic [7:0] pte, access_e acc, priv_e priv, logic sum,
                                       logic mxr);
    if (pte[PteU]) begin
      if (priv == PrivS && (acc == AccFetch || !sum)) return 1'b0;
    end else if (priv == PrivU) begin
      return 1'b0;
    end
    unique case (acc)
      AccFetch: return pte[PteX];
      AccLoad:  return pte[PteR] || (mxr && pte[PteX]);
      AccStore: return pte[PteW];
      default:  return 1'b0;
    endcase
  endfunction

  // The A/D bits this access needs set that the PTE lacks.
  function automatic logic [7:0] pte_needs_ad(logic [7:0] pte, access_e acc);
    logic [7:0] want;
    want = 8'(1 << PteA) | ((acc == AccStore) ? 8'(1 << PteD) : 8'd0);
    return want & ~pte;
  endfunction

  function automatic logic [4:0] page_fault_cause(access_e acc);
    unique case (acc)
      AccFetch: return CauseFetchPageFault;
      AccLoad:  return CauseLoadPageFault;
      default:  return CauseStorePageFault;
    endcase
  endfunction

  function automatic logic [4:0] access_fault_cause(access_e acc);
    unique case (acc)
      AccFetch: return CauseFetchAccess;
      AccLoad:  return CauseLoadAccess;
      default:  return CauseStoreAccess;
    endcase
  endfunction

  // Whether an entry of page size `level` holding `entry_vpn` covers `vpn`.
  function automatic logic vpn_covers(logic [VpnW-1:0] entry_vpn, logic [VpnW-1:0] vpn,
                                      logic [1:0] level);
    return ((entry_vpn ^ vpn) & ~level_mask(level)) == '0;
  endfunction

endpackage
