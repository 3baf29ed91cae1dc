/**
 * Keeps V8's young generation at its starting size in the serving process (`start` and `dev`).
 *
 * Why: a proxy's garbage dies with its request, but under sustained load V8 grows the young
 * generation from 1 MiB to 16 MiB semi-spaces (32 MiB committed), and young ArrayBuffers (socket
 * reads, body chunks) then wait for rarer scavenges. Measured with `npm run bench` on this
 * project's machines: peak RSS under 64 KiB POST and 1 MiB GET load fell from about 130-145 MiB
 * to about 105 MiB, for about a tenth of small-GET throughput.
 *
 * `--max-semi-space-size` is read once, when V8 starts, so a running process cannot lower it;
 * V8 reads `--semi-space-growth-factor` each time it would grow the young generation, so
 * setting it to 1 here takes effect. Whoever sizes the young generation themselves (node flags
 * or NODE_OPTIONS naming a semi-space option) keeps their choice.
 */
import { setFlagsFromString } from 'node:v8';

const SIZED_BY_USER = /semi[-_]space/;

/** Stops the young generation from growing, unless the user sized it; returns whether it did. */
export function keepYoungGenerationSmall(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): boolean {
  if (execArgv.some((arg) => SIZED_BY_USER.test(arg)) || SIZED_BY_USER.test(nodeOptions ?? '')) return false;
  setFlagsFromString('--semi-space-growth-factor=1');
  return true;
}
