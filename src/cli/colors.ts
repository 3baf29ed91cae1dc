import pc from 'picocolors';

/** picocolors' formatters (identity functions when colour is off). */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours for one output stream: on when it is a terminal, unless `NO_COLOR` is set;
 * `FORCE_COLOR` turns them on anyway (as picocolors and most CLIs read them).
 */
export function colorsFor(stream: NodeJS.WritableStream & { isTTY?: boolean }): Colors {
  const env = process.env;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  return pc.createColors(forced || (stream.isTTY === true && !('NO_COLOR' in env)));
}
