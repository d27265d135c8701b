#!/usr/bin/env python3
"""Where a benchmark's kernel instructions go.

  tools/bench-trace.py BUILD_DIR NAME [ITER [LENGTH,...]]

(a LENGTH written =N also lists that episode's instructions; the
environment's CPUS=N boots N CPUs, default 1)

Boots the benchmark root task with only=NAME under TCG with -icount and
QEMU's per-instruction trace limited to the kernel's addresses, cuts the
trace into episodes (kernel entry to sysretq/iretq, each CPU's apart:
with several CPUs an episode that idles in the kernel, as the cross-CPU
round trip's, holds its idle loop's turns too), and prints the most
common episode lengths with the instructions per kernel function of one
episode of each (of the three most common, or of those LENGTHs). Episodes are what the kernel executes per entry; the
benchmark's numbers add the user-level instructions of its loop.
"""
import bisect
import collections
import os
import subprocess
import sys


def symbols(elf):
    out = subprocess.run(['nm', '-n', elf], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in 'tTwW':
            syms.append((int(p[0], 16), p[2]))
    return syms


def exits(elf):
    """Addresses of the kernel's sysretq and iretq to user mode (the
    general exits and the fast paths' arch_return_to_caller and
    arch_return_by_sysret)."""
    out = subprocess.run(['objdump', '-d', '--no-show-raw-insn', elf], capture_output=True, text=True,
                         check=True).stdout
    addrs, inside = [], False
    for line in out.splitlines():
        if line.endswith(('<arch_return_to_user_asm>:', '<arch_return_to_caller>:', '<arch_return_by_sysret>:',
                           '<arch_return_to_current>:')):
            inside = True
        elif line.endswith('>:'):
            inside = False
        elif inside and ('sysretq' in line or 'iretq' in line):
            addrs.append(int(line.split(':')[0], 16))
    return set(addrs)


def disassembly(elf):
    out = subprocess.run(['objdump', '-d', '--no-show-raw-insn', elf], capture_output=True, text=True,
                         check=True).stdout
    text = {}
    for line in out.splitlines():
        p = line.split(':', 1)
        if len(p) == 2 and p[0].strip().startswith('ffffffff'):
            try:
                text[int(p[0], 16)] = p[1].strip()
            except ValueError:
                pass
    return text


def main():
    build, name = sys.argv[1], sys.argv[2]
    it = sys.argv[3] if len(sys.argv) > 3 else '200'
    detail = [int(x.lstrip('=')) for x in sys.argv[4].split(',')] if len(sys.argv) > 4 else []
    listing = [int(x[1:]) for x in sys.argv[4].split(',') if x.startswith('=')] if len(sys.argv) > 4 else []
    elf = os.path.join(build, 'kernel.elf')
    log = os.path.join(build, 'bench', 'trace.log')
    os.makedirs(os.path.dirname(log), exist_ok=True)
    cpus = os.environ.get('CPUS', '1') or '1'
    subprocess.run(['qemu-system-x86_64', '-machine', 'pc', '-smp', cpus, '-m', '512M', '-display', 'none', '-vga', 'none',
                    '-accel', 'tcg', '-icount', 'shift=0,sleep=off', '-singlestep', '-d', 'exec,nochain',
                    '-dfilter', '0xffffffff80000000..0xffffffffffffffff', '-D', log, '-kernel', elf,
                    '-initrd', '%s/user/sigma0.elf,%s/user/bench.elf mode=icount iter=%s only=%s,%s/user/exit0.elf' %
                    (build, build, it, name, build), '-append', 'test', '-serial', 'file:%s.console' % log,
                    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot'],
                   timeout=600, check=False)
    syms = symbols(elf)
    addrs = [a for a, _ in syms]
    # The entry with more than one CPU online is syscall_entry_smp.
    entry = {a for a, n in syms if n in ('syscall_entry', 'syscall_entry_smp')}
    vectors = [a for a, n in syms if n == 'vector_table'][0]
    ends = exits(elf)

    def fn(a):
        return syms[bisect.bisect_right(addrs, a) - 1][1]

    # Each CPU's episode under way ("Trace CPU: host [cs/pc/...]").
    episodes, cur = [], {}
    with open(log) as f:
        for line in f:
            p = line.split('/')
            if len(p) < 2 or not line.startswith('Trace '):
                continue
            a = int(p[1], 16)
            c = line[6:line.index(':')]
            if a in entry or vectors <= a < vectors + 4096:
                if cur.get(c) is None or a in entry:
                    cur[c] = []
            if cur.get(c) is not None:
                cur[c].append(a)
                if a in ends:
                    episodes.append(tuple(cur[c]))
                    cur[c] = None
    lens = collections.Counter(len(e) for e in episodes)
    print('%d episodes; the most common lengths: %s' %
          (len(episodes), ', '.join('%d x %d' % x for x in lens.most_common(8))))
    shown = 0
    for n, c in lens.most_common(8):
        ep = next(e for e in episodes if len(e) == n)
        kind = 'syscall' if ep[0] in entry else 'vector %d' % ((ep[0] - vectors) // 16)
        if shown == 3 or (detail and n not in detail):
            continue
        shown += 1
        print('\n%d instructions x %d (%s)' % (n, c, kind))
        per = collections.Counter(fn(a) for a in ep)
        for f, k in sorted(per.items(), key=lambda x: -x[1]):
            print('  %5d %s' % (k, f))
        if n in listing:
            text = disassembly(elf)
            for a in ep:
                print('    %-24s %s' % (fn(a), text.get(a, '?')))


if __name__ == '__main__':
    main()
