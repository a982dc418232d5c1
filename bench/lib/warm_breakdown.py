#!/usr/bin/env python3
"""Where a warm build after `cargo clean` spends its time (issue 16 §2), from one traced build.

Reads an strace log (-f -ttt -e trace=execve,exit_group, written with --seccomp-bpf so untraced
calls cost nothing) of `cargo build` through kache, and the kache server's CPU during that build,
and prints one table: cargo before its first compile, the wrapper calls (rustc queries passed
through, and cache hits) with their wall time, build-script runs, and the server's CPU per hit.
Usage: warm_breakdown.py STRACE_LOG SERVER_CPU_MS BUILD_MS
"""
import re, statistics, sys

log, server_cpu_ms, build_ms = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
started, spans, t0 = {}, [], None
for line in open(log):
    m = re.match(r'(\d+)\s+([\d.]+)\s+(execve|exit_group)\((.*)', line)
    if not m:
        continue
    pid, t, call, rest = int(m.group(1)), float(m.group(2)), m.group(3), m.group(4)
    t0 = t if t0 is None else t0
    if call == 'execve' and pid not in started:
        args = re.findall(r'"((?:[^"\\]|\\.)*)"', rest)
        if args:
            started[pid] = (t, args)
    elif call == 'exit_group' and pid in started:
        s, args = started.pop(pid)
        spans.append((s - t0, t - s, args))
spans.sort()

def kind(args):
    prog = args[0].rsplit('/', 1)[-1]
    if prog == 'cargo':
        return 'cargo'
    if prog.startswith('build-script-'):
        return 'build script run'
    if prog in ('kache', 'kache-client'):
        argv = args[1:]
        return 'wrapper: compile (hit)' if '--crate-name' in argv and '___' not in argv else 'wrapper: rustc query (passed through)'
    return 'other: ' + prog

rows = {}
for s, d, args in spans:
    rows.setdefault(kind(args), []).append((s, d))
first_compile = min((s for s, _ in rows.get('wrapper: compile (hit)', [(0, 0)])), default=0)
hits = [d for _, d in rows.get('wrapper: compile (hit)', [])]
print(f"{'stage':44s} {'count':>5s} {'wall, summed':>13s} {'each (median)':>14s}")
print(f"{'cargo start to its first compile':44s} {'':>5s} {first_compile * 1000:10.0f} ms")
for k in sorted(rows):
    if k == 'cargo':
        continue
    ds = [d for _, d in rows[k]]
    print(f"{k:44s} {len(ds):5d} {sum(ds) * 1000:10.0f} ms {statistics.median(ds) * 1000:11.1f} ms")
if hits:
    print(f"{'kache server CPU during the build':44s} {'':>5s} {server_cpu_ms:10.0f} ms {server_cpu_ms / len(hits):11.1f} ms per hit")
print(f"{'the whole build (cargo build, wall)':44s} {'':>5s} {build_ms:10.0f} ms")
