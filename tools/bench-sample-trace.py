#!/usr/bin/env python3
"""Where one sample of a benchmark goes, kernel and user level alike.

  tools/bench-sample-trace.py BUILD_DIR NAME FUNCTION [ITER [listed,...]]

Boots the benchmark root task with only=NAME (ITER iterations, default
100) under TCG with -icount and QEMU's per-instruction trace of every
address, and cuts out the samples: what runs between the two rdtsc's of
FUNCTION (the benchmark's measuring loop, e.g. rm_writer for
pf_rm_anon), in whichever thread, task or kernel path. Prints the
sample lengths, then one sample three quarters in (past the warm-up)
as instructions per function, kernel and user, and lists the
instructions of the functions named in `listed`. tools/bench-trace.py
is the kernel's view of the same run (episodes from entry to exit);
this one follows a sample through the servers it reaches.

The trace is read through a FIFO as QEMU writes it: the whole boot is
traced, gigabytes that never reach the disk.
"""
import bisect
import collections
import os
import shutil
import subprocess
import sys
import tempfile

KERNEL_BASE = 0xffffffff80000000


def symbols(elf):
    out = subprocess.run(['nm', '-n', elf], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in 'tTwW':
            syms.append((int(p[0], 16), p[2]))
    return syms


def disassembly(elf):
    out = subprocess.run(['objdump', '-d', '--no-show-raw-insn', elf], capture_output=True, text=True,
                         check=True).stdout
    text, fns, cur = {}, collections.defaultdict(list), None
    for line in out.splitlines():
        if line.endswith('>:'):
            cur = line.split('<', 1)[1][:-2]
            continue
        p = line.split(':', 1)
        if len(p) == 2:
            try:
                a = int(p[0].strip(), 16)
            except ValueError:
                continue
            text[a] = p[1].strip()
            fns[cur].append((a, text[a]))
    return text, fns


def main():
    build, name, measure = sys.argv[1], sys.argv[2], sys.argv[3]
    it = sys.argv[4] if len(sys.argv) > 4 else '100'
    listed = sys.argv[5].split(',') if len(sys.argv) > 5 else []
    kernel, bench = os.path.join(build, 'kernel.elf'), os.path.join(build, 'user', 'bench.elf')
    syms = sorted(symbols(kernel) + symbols(bench))
    addrs = [a for a, _ in syms]

    def fn(a):
        i = bisect.bisect_right(addrs, a) - 1
        return syms[i][1] if i >= 0 else '?'

    text, fns = disassembly(bench)
    # In program order the timestamps pair up, first and second (the
    # compiler may have peeled the loop: more than one pair).
    rdtsc = sorted(a for a, t in fns.get(measure, []) if t.startswith('rdtsc'))
    if not rdtsc or len(rdtsc) % 2:
        sys.exit('%s: expected pairs of rdtsc in %s, found %d' % (sys.argv[0], measure, len(rdtsc)))
    start, end = set(rdtsc[0::2]), set(rdtsc[1::2])
    ktext, _ = disassembly(kernel)
    text.update(ktext)

    tmp = tempfile.mkdtemp()
    fifo = os.path.join(tmp, 'trace')
    os.mkfifo(fifo)
    qemu = subprocess.Popen(
        ['qemu-system-x86_64', '-machine', 'pc', '-m', '512M', '-display', 'none', '-vga', 'none', '-accel',
         'tcg', '-icount', 'shift=0,sleep=off', '-singlestep', '-d', 'exec,nochain', '-D', fifo, '-kernel',
         kernel, '-initrd', '%s/user/sigma0.elf,%s mode=icount iter=%s only=%s' % (build, bench, it, name),
         '-append', 'test', '-serial', 'file:%s' % os.path.join(tmp, 'console'), '-device',
         'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot'])
    samples, cur = [], None
    with open(fifo) as f:
        for line in f:
            p = line.split('/')
            if len(p) < 2:
                continue
            try:
                a = int(p[1], 16)
            except ValueError:
                continue
            if a in start:
                cur = []  # (again, if the timestamp was traced twice)
            elif a in end:
                if cur is not None:
                    samples.append(cur)
                cur = None
            elif cur is not None:
                cur.append(a)
    qemu.wait()
    shutil.rmtree(tmp)
    if not samples:
        sys.exit('%s: no samples of %s (is %s the measuring function of %s?)' % (sys.argv[0], measure, measure,
                                                                                 name))
    lens = collections.Counter(len(s) for s in samples)
    print('%d samples; the most common lengths: %s' % (len(samples), ', '.join('%d x %d' % x
                                                                               for x in lens.most_common(6))))
    s = samples[len(samples) * 3 // 4]
    k = sum(1 for a in s if a >= KERNEL_BASE)
    print('\none sample: %d instructions, %d kernel, %d user' % (len(s), k, len(s) - k))
    per = collections.Counter((fn(a), 'kernel' if a >= KERNEL_BASE else 'user') for a in s)
    for (f, where), n in sorted(per.items(), key=lambda x: -x[1]):
        print('  %5d %-28s %s' % (n, f, where))
    for a in s:
        if fn(a) in listed:
            print('    %-24s %s' % (fn(a), text.get(a, '?')))


if __name__ == '__main__':
    main()
