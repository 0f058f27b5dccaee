/**
 * No import cycle anywhere in src/, type-only imports and re-exports included (docs/architecture.md):
 * a cycle makes the order of module evaluation matter and hides which layer a module belongs to.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../src', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The modules a file imports or re-exports from, by relative path, resolved to files. */
function relativeImports(file: string, source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gm)) {
    const base = resolve(dirname(file), m[1]!).replace(/\.js$/, '');
    const found = ['.ts', '.tsx', '/index.ts'].map((ext) => base + ext).find((p) => statSync(p, { throwIfNoEntry: false })?.isFile());
    if (found !== undefined) out.push(found);
  }
  return out;
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) !== order.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component);
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  return found;
}

describe('imports', () => {
  it('form no cycle in src/', () => {
    const files = sourceFiles(ROOT);
    const graph = new Map(files.map((f) => [f, relativeImports(f, readFileSync(f, 'utf8'))]));
    expect(cycles(graph).map((c) => c.map((f) => relative(ROOT, f)).sort())).toEqual([]);
  });

  it('the scan finds a cycle, type-only imports included', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph).map((c) => c.sort())).toEqual([['a', 'b', 'c']]);
    const file = join(ROOT, 'core/verifier/urn.ts');
    expect(relativeImports(file, "import type { UrnReading } from './urn-types.js';\nexport { idAt } from './urn.js';\n").map((f) => relative(ROOT, f))).toEqual([
      'core/verifier/urn-types.ts',
      'core/verifier/urn.ts',
    ]);
  });
});
