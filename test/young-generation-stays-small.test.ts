import { expect, test } from 'vitest';
import { runChildScript } from './child-script.js';

const MiB = 1024 * 1024;

/** A child that (maybe) calls keepYoungGenerationSmall, then allocates like a busy proxy: mostly garbage, some survivors. */
function child(call: string): string {
  return `
import { getHeapSpaceStatistics } from 'node:v8';
const { keepYoungGenerationSmall } = await import('./src/cli/young-generation.ts');
const applied = ${call};
const ring = new Array(2000);
for (let i = 0; i < 2_000_000; i++) ring[i % 2000] = { i, text: 'request ' + i, headers: [i, i] };
const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
console.log(JSON.stringify({ applied, newSpace }));
`;
}

async function run(call: string): Promise<{ applied: boolean; newSpace: number }> {
  const { code, stdout, stderr } = await runChildScript(child(call), 60_000);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

test('the young generation stays at its starting size under allocation load', async () => {
  const { applied, newSpace } = await run('keepYoungGenerationSmall([], undefined)');
  expect(applied).toBe(true);
  expect(newSpace).toBeLessThanOrEqual(4 * MiB);
});

test('a user who sizes the young generation keeps V8 growing it (the same load grows it past 16 MiB)', async () => {
  const byFlag = await run("keepYoungGenerationSmall(['--max-semi-space-size=64'], undefined)");
  expect(byFlag.applied).toBe(false);
  expect(byFlag.newSpace).toBeGreaterThanOrEqual(16 * MiB);
  const byEnv = await run("keepYoungGenerationSmall([], '--max-old-space-size=512 --min-semi-space-size=2')");
  expect(byEnv.applied).toBe(false);
});
