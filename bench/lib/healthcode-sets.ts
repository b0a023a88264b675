import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoPlan, perfPlan, styledPlan } from '../../fixtures/healthcode/plans.js';
import { type ManifestEntry, type PlanItem, type Variant, writeSet } from '../../fixtures/healthcode/render.js';
import {
  DEV_FACES,
  DEV_LAYOUTS,
  DEV_SEED,
  HELD_OUT_FACES,
  HELD_OUT_LAYOUTS,
  HELD_OUT_SEED,
  SYSTEM_FACES,
} from '../../fixtures/healthcode/split.js';

/**
 * The health-code benchmark's screenshot sets, rendered once into bench/results/healthcode/
 * (a directory per set, seed and generator version) and reused.
 *   held-out – held-out layouts; faces held-out or development, half each; the held-out seed
 *   system   – the held-out set's pages (layouts, seed, content, screens, themes) in a phone's system face
 *   dev      – development layouts and faces, development seed (for engine work)
 *   demo     – the API doc's example page (its values must come back exactly)
 *   perf     – 1080×2340 clean screenshots of development layouts (latency, CPU, RSS)
 */
export interface LoadedSet {
  name: string;
  dir: string;
  entries: ManifestEntry[];
}

export const OUT = join(import.meta.dirname, '..', 'results', 'healthcode');
const GENERATOR = join(import.meta.dirname, '..', '..', 'fixtures', 'healthcode');

/** A short hash of the generator's sources: a changed generator renders a new directory. */
function generatorVersion(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(GENERATOR)
    .filter((x) => x.endsWith('.ts'))
    .sort())
    h.update(f).update(readFileSync(join(GENERATOR, f)));
  return h.digest('hex').slice(0, 8);
}

export interface SetOptions {
  heldOutSeed?: number;
  devSeed?: number;
  per: number;
  perfN: number;
  variants: readonly Variant[];
  regen: boolean;
}

export function planOf(name: string, o: SetOptions): { key: string; plan: PlanItem[] } {
  switch (name) {
    case 'held-out': {
      const seed = o.heldOutSeed ?? HELD_OUT_SEED;
      return {
        key: `s${seed}-p${o.per}`,
        plan: styledPlan(Object.keys(HELD_OUT_LAYOUTS), seed, o.per, o.variants, HELD_OUT_FACES, DEV_FACES),
      };
    }
    case 'system': {
      const seed = o.heldOutSeed ?? HELD_OUT_SEED;
      return {
        key: `s${seed}-p${o.per}`,
        // the face pool given twice: the style's draws (screen, theme, bar) stay the held-out set's
        plan: styledPlan(Object.keys(HELD_OUT_LAYOUTS), seed, o.per, o.variants, SYSTEM_FACES, SYSTEM_FACES),
      };
    }
    case 'dev': {
      const seed = o.devSeed ?? DEV_SEED;
      return {
        key: `s${seed}-p${o.per}`,
        plan: styledPlan(Object.keys(DEV_LAYOUTS), seed, o.per, o.variants, DEV_FACES),
      };
    }
    case 'demo':
      return { key: 'doc', plan: demoPlan(o.variants) };
    case 'perf':
      return { key: `n${o.perfN}`, plan: perfPlan(Object.keys(DEV_LAYOUTS), 424242, o.perfN) };
    default:
      throw new Error(`unknown set ${name} (held-out, system, dev, demo)`);
  }
}

export async function loadSet(name: string, o: SetOptions): Promise<LoadedSet> {
  const { key, plan } = planOf(name, o);
  const dir = join(OUT, `${name}-${key}-v${o.variants.join('+')}-g${generatorVersion()}`);
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest) && !o.regen) return { name, dir, entries: JSON.parse(readFileSync(manifest, 'utf8')) };
  process.stdout.write(
    `rendering ${name} set (${plan.length} screenshots × ${plan[0]?.variants.length ?? 0} variants) … `,
  );
  const t = performance.now();
  const entries = await writeSet(dir, plan);
  console.log(`${entries.length} images in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return { name, dir, entries };
}
