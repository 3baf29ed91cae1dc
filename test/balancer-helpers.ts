/** Shared setup for the balancer tests: one balancer behind `route('/')`, short member names. */
import { type Balancer, defineConfig, route } from 'tsx-proxy';
import type { ConfigSpec } from '../src/dsl/spec.js';

/** A config routing everything to `b`, so `simulate(config(b), b.name, ...)` can find it. */
export function config(b: Balancer): ConfigSpec {
  return defineConfig({ routes: [route('/').to(b)] });
}

/** Member URL of a short name: `url('a')` is `http://a.test`. */
export function url(name: string): string {
  return `http://${name}.test`;
}

/** Short names of picked member URLs (`'-'` stays `'-'`), for readable sequences. */
export function names(picks: readonly string[]): string {
  return picks.map((p) => (p === '-' ? '-' : new URL(p).hostname.replace(/\.test$/, ''))).join(' ');
}
