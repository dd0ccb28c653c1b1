import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The core entry must run unchanged in a browser bundle: nothing reachable from
// src/index.ts may import a Node built-in. Walk its static import graph.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const source = readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]!);
    seen.set(file, specifiers);
    for (const s of specifiers) if (s.startsWith('.')) stack.push(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  }
  return seen;
}

describe('the core entry is browser-safe', () => {
  it('no module reachable from src/index.ts imports a Node built-in', () => {
    const graph = reachable(resolve(root, 'index.ts'));
    expect(graph.size).toBeGreaterThan(30);
    const offenders = [...graph].flatMap(([file, specs]) => specs.filter((s) => builtins.has(s)).map((s) => `${file} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('and the check would notice one (src/node.ts reaches node:fs)', () => {
    const graph = reachable(resolve(root, 'node.ts'));
    expect([...graph.values()].flat().some((s) => builtins.has(s))).toBe(true);
  });
});
