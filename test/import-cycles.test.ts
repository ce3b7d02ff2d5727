/**
 * The folders under src/ import downward only, and no two modules import each other at run time,
 * directly or around a loop. Type-only imports (`import type`, or every name marked `type`) are left
 * out: they vanish when the code runs. Dynamic `import()` is left out too: it loads lazily, after
 * both modules have finished evaluating, which is why the app uses it to reach the workers.
 * A module-level file name (`src/main.ts`) counts as a folder of its own.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Static import and re-export statements, with what they name (null for a side-effect import). */
const STATEMENT = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*'([^']+)'|^\s*import\s+'([^']+)'/gms;

/** The modules `file` needs at run time, as absolute paths inside src/. */
export function runtimeImports(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(STATEMENT)) {
    const target = m[4] ?? m[5];
    if (!target?.startsWith('.')) continue;
    if (m[2]) continue; // import type / export type
    const names = m[3] ?? '';
    const braced = /^\{([^}]*)\}$/s.exec(names.trim());
    if (braced) {
      const specifiers = braced[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (specifiers.length > 0 && specifiers.every((s) => s.startsWith('type '))) continue;
    }
    found.push(resolve(dirname(file), target));
  }
  return found;
}

/** Every cycle's modules, one list per strongly connected component of more than one module. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    order.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  return cycles;
}

describe('imports among src/ files', () => {
  it('finds a cycle when there is one, and only the type-free imports count', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "import { type C, type D } from './c.ts';",
      "export { e } from './e.ts';",
      "import { type F, f } from './f.ts';",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    const deps = runtimeImports('/x/m.ts', text).map((p) => relative('/x', p));
    expect(deps).toEqual(['a.ts', 'e.ts', 'f.ts']);
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('has no run-time import cycle', () => {
    const graph = new Map<string, string[]>();
    for (const file of sourceFiles(SRC)) graph.set(file, runtimeImports(file, readFileSync(file, 'utf8')));
    const cycles = importCycles(graph).map((c) => c.map((f) => relative(SRC, f)));
    expect(cycles).toEqual([]);
  });

  it('has no cycle among its folders: each folder imports only folders below it', () => {
    const folder = (file: string): string => relative(SRC, file).split('/')[0]!;
    const graph = new Map<string, string[]>();
    for (const file of sourceFiles(SRC)) {
      const from = folder(file);
      const deps = runtimeImports(file, readFileSync(file, 'utf8')).map(folder);
      graph.set(from, [...new Set([...(graph.get(from) ?? []), ...deps.filter((d) => d !== from)])]);
    }
    expect(importCycles(graph)).toEqual([]);
  });
});
