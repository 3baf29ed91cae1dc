#!/usr/bin/env node
// The CLI runs from dist/ (compiled by `npm run build`, which `prepare` runs on install): it starts
// fast, needs no TypeScript loader, and works on Node 20, which cannot run .ts files itself.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(entry)) {
  const cli = await import(entry.href);
  await cli.main(process.argv);
} else {
  process.stderr.write('tsx-proxy is not built: run `npm run build` in its folder (npm install does it).\n');
  process.exitCode = 1;
}
