#!/usr/bin/env python3
"""Times process spawns side by side: interleaved rounds, medians (issue 16 §2, bench/hit.sh).

Reads a call recorded as cargo made it (cwd, NUL-separated args and env) and runs, in every round,
each variant once in turn:
  floor      /bin/true with the call's arguments, environment and directory: what any wrapper pays
             for being a process cargo starts;
  present    the wrapper on the call, its outputs already in place (a repeated call);
  restored   the wrapper on the call after its outputs were deleted, as after `cargo clean`.
Usage: spawn_rounds.py RECORD_DIR WRAPPER ROUNDS [WARMUP=50]
"""
import os, statistics, sys, time

rec, wrapper, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 50
cwd = open(os.path.join(rec, "cwd")).read().strip()
args = open(os.path.join(rec, "args"), "rb").read().split(b"\0")[:-1]
env = {}
for kv in open(os.path.join(rec, "env"), "rb").read().split(b"\0")[:-1]:
    k, _, v = kv.partition(b"=")
    env[k] = v
os.chdir(cwd)
argv = [a.decode() for a in args]
crate = argv[argv.index("--crate-name") + 1]
out_dir = argv[argv.index("--out-dir") + 1]
extra = next(a.split("=", 1)[1] for a in argv if a.startswith("extra-filename="))
outputs = [os.path.join(out_dir, n) for n in
           (f"lib{crate}{extra}.rlib", f"lib{crate}{extra}.rmeta", f"{crate}{extra}.d")]
devnull = os.open(os.devnull, os.O_WRONLY)

def spawn(program, clean=False):
    if clean:
        for o in outputs:
            try:
                os.unlink(o)
            except FileNotFoundError:
                pass
    start = time.perf_counter_ns()
    pid = os.posix_spawn(program, [program] + argv, env,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status = os.waitpid(pid, 0)
    took = (time.perf_counter_ns() - start) / 1e6
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{program} failed on the recorded call")
    if program == wrapper and not all(os.path.exists(o) for o in outputs):
        sys.exit("the wrapper did not restore the call's outputs: not a hit")
    return took

for _ in range(warmup):  # the server's JIT, the page cache, the launcher
    spawn(wrapper, clean=True)
times = {"floor": [], "present": [], "restored": []}
for _ in range(rounds):
    times["floor"].append(spawn("/bin/true"))
    times["present"].append(spawn(wrapper))
    times["restored"].append(spawn(wrapper, clean=True))
med = {k: statistics.median(v) for k, v in times.items()}
print(f"process spawn floor   {med['floor']:6.2f} ms  (/bin/true with the call's arguments and environment)")
print(f"hit, outputs present  {med['present']:6.2f} ms  -> own cost {med['present'] - med['floor']:5.2f} ms")
print(f"hit after cargo clean {med['restored']:6.2f} ms  -> own cost {med['restored'] - med['floor']:5.2f} ms"
      f"  (goal <= 5 ms; medians of {rounds} interleaved rounds)")
