/** Whether the user gave node a flag matching `pattern`, on its command line or in NODE_OPTIONS. */
export function nodeFlagGiven(
  pattern: RegExp,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): boolean {
  return execArgv.some((arg) => pattern.test(arg)) || pattern.test(nodeOptions ?? '');
}
