/**
 * Peak memory of a process tree, for benchmarks: every `everyMs`, the resident set sizes of the
 * processes whose command line matches `root` and of all their descendants, summed (`ps`, Linux).
 * Chromium runs the page, its workers and WASM in child processes, so the sum over the tree is
 * what a load costs the machine.
 */
import { execFileSync } from 'node:child_process';

export interface RssSampler {
  /** The largest sum seen so far, in bytes. */
  peak(): number;
  stop(): number;
}

export function sampleTreeRss(root: RegExp, everyMs = 100): RssSampler {
  let peak = 0;
  const sample = () => {
    const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' });
    const procs = out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [pid, ppid, rss, ...args] = line.trim().split(/\s+/);
        return { pid: Number(pid), ppid: Number(ppid), rss: Number(rss) * 1024, args: args.join(' ') };
      });
    const inTree = new Set(procs.filter((p) => root.test(p.args)).map((p) => p.pid));
    // Parents come before children in pid order only mostly: repeat until nothing is added.
    for (let grew = true; grew;) {
      grew = false;
      for (const p of procs)
        if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
          inTree.add(p.pid);
          grew = true;
        }
    }
    const total = procs.filter((p) => inTree.has(p.pid)).reduce((n, p) => n + p.rss, 0);
    peak = Math.max(peak, total);
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return {
    peak: () => peak,
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
