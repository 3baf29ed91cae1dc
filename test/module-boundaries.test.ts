import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

const PURE = ['dsl', 'router', 'balancer'];

describe('module boundaries', () => {
  test.each(PURE)(
    'src/%s is pure: no node:*, undici, esbuild or chokidar, nothing from the I/O parts',
    (dir) => {
      const offenders = files(join(SRC, dir)).flatMap((f) =>
        imports(f)
          .filter(
            (spec) =>
              /^(node:|undici|esbuild|chokidar)/.test(spec) ||
              /\/(proxy|runtime|cli|health|manager)\//.test(spec),
          )
          .map((spec) => `${relative(SRC, f)} imports ${spec}`),
      );
      expect(offenders).toEqual([]);
    },
  );

  test('the config compiler is pure too (only load and watch touch I/O)', () => {
    const offenders = files(join(SRC, 'config'))
      .filter((f) => !/\/(load|watch)[^/]*\.ts$/.test(f))
      .flatMap((f) =>
        imports(f)
          .filter((s) => /^(node:|undici|esbuild|chokidar)/.test(s))
          .map((s) => `${relative(SRC, f)} imports ${s}`),
      );
    expect(offenders).toEqual([]);
  });

  test('only src/proxy imports undici', () => {
    const offenders = files(SRC)
      .filter((f) => !relative(SRC, f).startsWith('proxy/') && !relative(SRC, f).startsWith('health/'))
      .flatMap((f) =>
        imports(f)
          .filter((s) => s.startsWith('undici'))
          .map((s) => `${relative(SRC, f)} imports ${s}`),
      );
    expect(offenders).toEqual([]);
  });
});
