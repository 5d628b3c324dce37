// Replacement state of one set-associative array (TLB, page-walk cache): the RTL twin of
// models/mem/Replacement.{h,cpp}, which documents the policies and the tree-PLRU encoding used here.
//
// The array fills invalid ways first and asks for a victim only when every way of the set is valid, so
// this block knows nothing about validity: it sees hits (touch), writes (fill) and answers victim_way_o
// for victim_set_i combinationally.
//
//  - ReplLru, ReplFifo: a rank per way, 0 = oldest .. Ways-1 = newest. An update moves the way to the
//    top and every way above it down one. The model stamps ways with a counter and evicts the smallest
//    stamp; since a way is valid only after a fill stamped it, a full set has distinct stamps whose order
//    is exactly this rank order. LRU updates on touch and fill, FIFO on fill only.
//  - ReplPlru: Ways-1 bits per set in heap order; bit = 0 sends the victim left. A touch or fill points
//    every node on the way's path away from it. Ways == 1: no bits, the victim is way 0.
module sv39_repl import sv39_pkg::*; #(
  parameter int unsigned Sets   = 16,
  parameter int unsigned Ways   = 4,
  parameter int unsigned Policy = ReplLru,
  // Derived; not meant to be overridden.
  parameter int unsigned SetW   = Sets > 1 ? $clog2(Sets) : 1,
  parameter int unsigned WayW   = Ways > 1 ? $clog2(Ways) : 1
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            touch_i,       // a hit on (touch_set_i, touch_way_i)
  input  logic [SetW-1:0] touch_set_i,
  input  logic [WayW-1:0] touch_way_i,
  input  logic            fill_i,        // a new entry written into (fill_set_i, fill_way_i)
  input  logic [SetW-1:0] fill_set_i,
  input  logic [WayW-1:0] fill_way_i,
  input  logic [SetW-1:0] victim_set_i,
  output logic [WayW-1:0] victim_way_o
);

  // Parameters the model would reject too (check_set_assoc_geometry).
  if (Sets == 0 || (Sets & (Sets - 1)) != 0) begin : gen_bad_sets
    $error("sv39_repl: Sets must be a power of two");
  end
  if (Ways == 0) begin : gen_bad_ways
    $error("sv39_repl: Ways must be at least 1");
  end
  if (Policy > ReplFifo) begin : gen_bad_policy
    $error("sv39_repl: Policy must be ReplLru, ReplPlru or ReplFifo");
  end
  if (Policy == ReplPlru && (Ways & (Ways - 1)) != 0) begin : gen_bad_plru
    $error("sv39_repl: ReplPlru needs a power-of-two number of ways");
  end

  // Ranks at reset (ReplLru, ReplFifo): way w has rank w.
  function automatic logic [Sets-1:0][Ways-1:0][WayW-1:0] rank_reset();
    for (int unsigned s = 0; s < Sets; s++) begin
      for (int unsigned w = 0; w < Ways; w++) rank_reset[s][w] = WayW'(w);
    end
  endfunction

  // The one update of this cycle: FIFO ignores hits.
  logic            upd;
  logic [SetW-1:0] upd_set;
  logic [WayW-1:0] upd_way;

  assign upd     = fill_i || (touch_i && Policy != ReplFifo);
  assign upd_set = fill_i ? fill_set_i : touch_set_i;
  assign upd_way = fill_i ? fill_way_i : touch_way_i;

  if (Ways == 1) begin : gen_single
    // One way: nothing to remember.
    assign victim_way_o = '0;
    logic unused_upd;
    assign unused_upd = ^{rst_ni, upd, upd_set, upd_way, victim_set_i};  // no flops: no reset

  end else if (Policy == ReplPlru) begin : gen_plru
    localparam int unsigned Depth = $clog2(Ways);

    logic [Sets-1:0][Ways-2:0] bits_d, bits_q;

    always_comb begin
      logic [WayW-1:0] node;
      node   = '0;
      bits_d = bits_q;
      if (upd) begin
        for (int unsigned d = 0; d < Depth; d++) begin
          // The node at depth d on the path to upd_way: 2^d - 1 + (upd_way >> (Depth - d)).
          node = WayW'((1 << d) - 1) + WayW'(upd_way >> (Depth - d));
`ifdef SV39_MUT_PLRU_UPDATE
          // Mutation: the root points towards the way just used instead of away from it.
          bits_d[upd_set][node] = (d == 0) ? upd_way[Depth-1-d] : !upd_way[Depth-1-d];
`else
          bits_d[upd_set][node] = !upd_way[Depth-1-d];
`endif
        end
      end
    end

    always_comb begin
      logic [WayW:0] n;  // heap node, up to 2 * Ways - 2
      n = '0;
      for (int unsigned d = 0; d < Depth; d++) begin
        n = 2 * n + 1 + (WayW+1)'(bits_q[victim_set_i][n[WayW-1:0]]);
      end
      victim_way_o = WayW'(n - (WayW+1)'(Ways - 1));
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        bits_q <= '0;
      end else begin
        bits_q <= bits_d;
      end
    end

  end else begin : gen_rank
    logic [Sets-1:0][Ways-1:0][WayW-1:0] rank_d, rank_q;

    always_comb begin
      logic [WayW-1:0] old;
      old    = '0;
      rank_d = rank_q;
      if (upd) begin
        old = rank_q[upd_set][upd_way];
        for (int unsigned w = 0; w < Ways; w++) begin
          if (rank_q[upd_set][w] > old) rank_d[upd_set][w] = rank_q[upd_set][w] - 1'b1;
        end
        rank_d[upd_set][upd_way] = WayW'(Ways - 1);
      end
    end

    // The oldest way has rank 0 (exactly one way does).
    always_comb begin
      victim_way_o = '0;
      for (int unsigned w = 0; w < Ways; w++) begin
        if (rank_q[victim_set_i][w] == '0) victim_way_o = WayW'(w);
      end
    end

    // Any permutation would do at reset: every way is filled (and so ranked) before a victim is asked.
    localparam logic [Sets-1:0][Ways-1:0][WayW-1:0] RankReset = rank_reset();

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        rank_q <= RankReset;
      end else begin
        rank_q <= rank_d;
      end
    end

`ifndef SYNTHESIS
    // The ranks of a set stay a permutation.
    logic [Ways-1:0] ranks_seen;
    always_comb begin
      ranks_seen = '0;
      for (int unsigned w = 0; w < Ways; w++) begin
        if (32'(rank_q[victim_set_i][w]) < Ways) ranks_seen[rank_q[victim_set_i][w]] = 1'b1;
      end
    end
    assert property (@(posedge clk_i) &ranks_seen)
    else $error("sv39_repl: ranks of set %0d are not a permutation", victim_set_i);
`endif
  end

`ifndef SYNTHESIS
  // Sampled at the clock edge; no `disable iff (!rst_ni)` (it would use the asynchronous reset
  // synchronously): nothing is touched or filled in reset.
  // A way is either hit or written in a cycle, never both (the model's calls are sequential).
  assert property (@(posedge clk_i) !(touch_i && fill_i))
  else $error("sv39_repl: touch_i and fill_i together");
  assert property (@(posedge clk_i) !fill_i || 32'(fill_way_i) < Ways)
  else $error("sv39_repl: fill of way %0d", fill_way_i);
  assert property (@(posedge clk_i) !touch_i || 32'(touch_way_i) < Ways)
  else $error("sv39_repl: touch of way %0d", touch_way_i);
`endif

endmodule
