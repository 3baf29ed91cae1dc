import type { Site } from './spec.js';

/**
 * The `file:line:column` of the user's builder call, read from the stack (mapped back to the
 * TypeScript source when source maps are on, as the loader arranges). Frame 0 is this function,
 * frame 1 the builder method, frame 2 its caller.
 */
export function callSite(): Site {
  const stack = new Error().stack;
  if (!stack) return undefined;
  const frame = stack.split('\n')[3];
  const m = frame && /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(frame);
  if (!m) return undefined;
  const file = m[1]!.startsWith('file://') ? decodeURIComponent(m[1]!.slice(7)) : m[1]!;
  return `${file}:${m[2]}:${m[3]}`;
}
