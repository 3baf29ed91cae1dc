/**
 * Whether the user gave node a flag matching `pattern`, on its command line or in NODE_OPTIONS.
 * Only flags count: the text of a `node -e` script is in execArgv too, and may name anything.
 */
export function nodeFlagGiven(
  pattern: RegExp,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): boolean {
  const args = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  return args.some((arg) => arg.startsWith('--') && pattern.test(arg));
}
