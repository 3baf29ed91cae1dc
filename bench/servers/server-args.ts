import { parseArgs } from 'node:util';

/** Exits cleanly on SIGTERM/SIGINT, so that `node --cpu-prof` writes its profile. */
export function exitOnSignal(): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
}

/** The command line every bench Node proxy takes: `--port <p> --upstream <origin>... [--websocket]`. */
export function serverArgs(): { port: number; upstreams: string[]; websocket: boolean } {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      upstream: { type: 'string', multiple: true, default: [] },
      websocket: { type: 'boolean', default: false },
    },
  });
  if (values.upstream.length === 0) throw new Error('at least one --upstream is required');
  return { port: Number(values.port), upstreams: values.upstream, websocket: values.websocket };
}
