/**
 * Summary of a V8 .cpuprofile (node --cpu-prof): self time per function and per area (a package
 * under node_modules, a folder of src/, a Node built-in, the garbage collector, idle).
 *
 *   tsx bench/lib/cpuprofile.ts <file.cpuprofile> [top] [--inclusive name,name@path,…]
 *
 * `inclusive` adds up the samples whose stack holds a function (by name, or name@part-of-its-path):
 * the time spent in it and everything it called.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Excluding (idle). */
  busyMs: number;
  top: { name: string; where: string; area: string; selfMs: number; share: number }[];
  byArea: { area: string; selfMs: number; share: number }[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The area a script belongs to. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) {
    const rest = url.replace(/^node:(internal\/)?/, '');
    return `node:${rest.split('/')[0]!.replace(/\.js$/, '')}`;
  }
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const rel = path.relative(repoRoot, file);
  if (rel.startsWith('src/')) {
    const parts = rel.split('/');
    return parts.length > 2 ? `src/${parts[1]}` : 'src';
  }
  return rel.startsWith('..') ? file : rel;
}

function whereOf(frame: CallFrame): string {
  if (frame.url === '') return '';
  const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const nm = file.lastIndexOf('node_modules/');
  const short =
    nm >= 0
      ? file.slice(nm + 'node_modules/'.length)
      : file.startsWith(repoRoot)
        ? path.relative(repoRoot, file)
        : file;
  return `${short}:${frame.lineNumber + 1}`;
}

export function summariseProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });

  let totalUs = 0;
  let idleUs = 0;
  const functions = new Map<string, { name: string; where: string; area: string; us: number }>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const name = frame.functionName || '(anonymous)';
    const where = whereOf(frame);
    const key = `${name}\u0000${where}`;
    const entry = functions.get(key) ?? { name, where, area, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const busyUs = totalUs - idleUs;
  const share = (us: number) => (busyUs > 0 ? (100 * us) / busyUs : 0);
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    top: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .map((f) => ({ name: f.name, where: f.where, area: f.area, selfMs: f.us / 1000, share: share(f.us) })),
    byArea: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([area, us]) => ({ area, selfMs: us / 1000, share: share(us) })),
  };
}

/** Inclusive ms per spec (`name` or `name@path-part`), and the busy total. */
export function inclusiveTimes(
  file: string,
  specs: readonly string[],
): { busyMs: number; byName: Record<string, number> } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const matchers = specs.map((spec) => {
    const [name, part] = spec.split('@') as [string, string | undefined];
    return (f: CallFrame) => f.functionName === name && (part === undefined || f.url.includes(part));
  });
  const memo = new Map<number, boolean[]>();
  const matchesOf = (id: number): boolean[] => {
    const cached = memo.get(id);
    if (cached) return cached;
    const up = parent.get(id);
    const inherited = up === undefined ? specs.map(() => false) : matchesOf(up);
    const frame = byId.get(id)!.callFrame;
    const own = matchers.map((m, i) => inherited[i]! || m(frame));
    memo.set(id, own);
    return own;
  };
  const totals = specs.map(() => 0);
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    if (byId.get(id)!.callFrame.functionName === '(idle)') return;
    busyUs += us;
    matchesOf(id).forEach((hit, k) => {
      if (hit) totals[k]! += us;
    });
  });
  return { busyMs: busyUs / 1000, byName: Object.fromEntries(specs.map((spec, k) => [spec, totals[k]! / 1000])) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--inclusive');
  const specs = at >= 0 ? (args.splice(at, 2)[1] ?? '').split(',').filter(Boolean) : [];
  const file = args[0];
  if (!file) {
    console.error('usage: tsx bench/lib/cpuprofile.ts <file.cpuprofile> [top] [--inclusive name,name@path,…]');
    process.exit(2);
  }
  const top = Number(args[1] ?? 25);
  const s = summariseProfile(file);
  console.log(
    `${file}: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(s.busyMs / 1000).toFixed(1)} s busy (shares below are of busy time)`,
  );
  for (const a of s.byArea.slice(0, 15))
    console.log(`${a.share.toFixed(1).padStart(5)}%  ${a.selfMs.toFixed(0).padStart(7)} ms  ${a.area}`);
  console.log('');
  for (const t of s.top.slice(0, top))
    console.log(`${t.share.toFixed(1).padStart(5)}%  ${t.selfMs.toFixed(0).padStart(7)} ms  ${t.name}  ${t.where}`);
  if (specs.length) {
    const inc = inclusiveTimes(file, specs);
    console.log('\ninclusive (the function and everything it called):');
    for (const [name, ms] of Object.entries(inc.byName))
      console.log(`${((100 * ms) / inc.busyMs).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
  }
}
