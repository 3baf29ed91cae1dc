import { expect, test } from 'vitest';
import { nodeFlagGiven } from '../src/cli/node-flags.js';

test('a node flag counts whether it is on the command line or in NODE_OPTIONS', () => {
  expect(nodeFlagGiven(/semi[-_]space/, ['--max-semi-space-size=32'], undefined)).toBe(true);
  expect(nodeFlagGiven(/semi[-_]space/, [], '--inspect --max_semi_space_size=32')).toBe(true);
  expect(nodeFlagGiven(/semi[-_]space/, ['--inspect'], '--enable-source-maps')).toBe(false);
});

test('the text of a node -e script is not a flag, whatever it names', () => {
  const script = "import('./src/cli/memory-reducer-hold.ts')";
  expect(nodeFlagGiven(/memory[-_]reducer/, ['--import', 'tsx', '-e', script], undefined)).toBe(false);
});
