#!/usr/bin/env python3
"""GTKWave transaction filter: the pager kernel's trace markers as text.

GTKWave sends the combined trace {sv39sim.pager.marker, code, arg0, arg1, arg2} as a small VCD (one block per
trace it converts, ending with `$comment data_end`) and draws what comes back. Two traces come back:
  markers  each marker as "name arg=value ...", from its time until the next one;
  faults   the page faults in flight: from fault_begin to the fault_end of the same pid (faults of
           different processes overlap while one sleeps on the disk; all open ones are shown).
Names, argument names and value names come from firmware/kernel/abi.h, the list the kernel and sv39sim
use, so a new marker needs no change here.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
ABI = os.path.join(HERE, "..", "..", "firmware", "kernel", "abi.h")

# Background colours (X11 names GTKWave knows) by marker name; others are drawn plainly.
COLOURS = {
    "fault_begin": "light salmon",
    "fault_end": "pale green",
    "context_switch": "light sky blue",
    "victim": "khaki",
    "swap_submit": "plum",
    "swap_complete": "plum",
    "process_kill": "orange red",
}


def read_abi(path):
    """Markers: code -> (name, [(argument, {value: name} or None)])."""
    text = open(path).read()
    fault_kinds = {int(v): k.lower() for k, v in re.findall(r"#define MARK_FAULT_([A-Z]+) (\d+)", text)}
    markers = {}
    for name, code, args in re.findall(r'X\((\w+),\s*(\d+),\s*"([^"]*)"\)', text):
        parsed = []
        for arg in args.split(","):
            m = re.match(r"\s*(\w+)\s*(?:\((.*)\))?", arg)
            names = None
            if m.group(2) and "MARK_FAULT_" in m.group(2):
                names = fault_kinds
            elif m.group(2):  # "(0 fetch / 1 load / 2 store)"
                names = {int(v): n for v, n in re.findall(r"(\d+)\s+(\w+)", m.group(2))}
            parsed.append((m.group(1), names))
        markers[int(code)] = (name, parsed)
    return markers


def show(arg, names, value):
    if names is not None:
        return names.get(value, str(value))
    if arg in ("va", "pa", "addr"):
        return hex(value)
    return str(value)


def describe(markers, code, args):
    """The marker's name and its arguments {name: value as shown}, in order."""
    name, arg_list = markers.get(code, ("marker_%d" % code, []))
    return name, {a: show(a, n, v) for (a, n), v in zip(arg_list, args)}


def value(token):
    bits = token[1:] if token[0] in "bB" else token
    return int(bits, 2) if set(bits) <= {"0", "1"} else 0


def convert(lines, markers):
    """One block of GTKWave's VCD -> the two traces, as GTKWave reads them back."""
    field = {}  # VCD id -> marker / code / arg0 / arg1 / arg2
    now, state, events = 0, {}, []

    def flush():
        if state.pop("rose", False):
            events.append((now, state.get("code", 0), [state.get("arg%d" % i, 0) for i in range(3)]))

    for line in lines:
        w = line.split()
        if not w:
            continue
        if w[0] == "$var":
            field[w[3]] = re.sub(r"\[.*", "", w[4])
        elif w[0].startswith("#"):
            flush()
            now = int(w[0][1:])
        elif w[0][0] in "bB" and len(w) == 2 and w[1] in field:
            state[field[w[1]]] = value(w[0])
        elif w[0][0] in "01xzXZ" and w[0][1:] in field:
            name = field[w[0][1:]]
            v = value(w[0][0])
            if name == "marker" and v and not state.get("marker"):
                state["rose"] = True
            state[name] = v
    flush()

    out = ["$name markers", "#0"]
    open_faults = {}  # pid -> text, in begin order
    faults = ["$name faults", "#0"]
    for t, code, args in events:
        name, shown = describe(markers, code, args)
        text = " ".join([name] + ["%s=%s" % a for a in shown.items()])
        colour = COLOURS.get(name)
        out.append("#%d %s%s" % (t, "?%s?" % colour if colour else "", text))
        if name in ("fault_begin", "fault_end"):
            pid = shown.get("pid")
            if name == "fault_begin":
                open_faults[pid] = "pid %s %s %s" % (pid, shown.get("va"), shown.get("access", ""))
            else:
                open_faults.pop(pid, None)
            now_open = " | ".join(open_faults.values())
            faults.append("#%d ?light salmon?%s" % (t, now_open) if now_open else "#%d" % t)
    return out + ["$next"] + faults + ["$finish"]


def main():
    markers = read_abi(ABI)
    block = []
    for line in sys.stdin:
        if not line.startswith("$comment data_end"):
            block.append(line)
            continue
        sys.stdout.write("\n".join(convert(block, markers)) + "\n")
        sys.stdout.flush()
        block = []


if __name__ == "__main__":
    main()
