/**
 * One route of the table, with everything the hot path needs computed once: the merged
 * prefix (text and UTF-8 bytes), the raw prefix for `nocanon`, the target path encoded as
 * Apache encodes it, the regex template, the host and method filters, and the fixed decision
 * of a deny or manager route.
 */
import type { CompiledProxyRoute, CompiledRoute } from '../config/types.js';
import { encodePathText, toUtf8Bytes } from './encode-path.js';
import { compileHostFilter, compileMethods, type HostFilter } from './host-match.js';
import { mergeSlashes } from './prefix-match.js';
import { compileTemplate, type TargetTemplate } from './regex-target.js';
import type { DenyDecision, ManagerDecision } from './types.js';

export class RouteEntry {
  readonly route: CompiledRoute;
  /** The route when it proxies. */
  readonly proxy: CompiledProxyRoute | undefined;
  readonly methods: ReadonlySet<string> | undefined;
  readonly hosts: HostFilter | undefined;
  /** Prefix with slash runs merged, or undefined for a regex route. */
  readonly prefix: string | undefined;
  /** The same as UTF-8 bytes, for matching a decoded (byte string) path. */
  readonly prefixBytes: string;
  /** Prefix as written: Apache's `alias_match` on the raw target for `nocanon`. */
  readonly rawPrefix: string;
  readonly prefixEndsWithSlash: boolean;
  readonly regex: RegExp | undefined;
  /** The answer of a deny or manager route. */
  readonly fixed: DenyDecision | ManagerDecision | undefined;
  /** Target (or balancer) path as written. */
  readonly targetPath: string;
  /** Target path as `enc_path` encodes it: Apache canonicalises target and remainder together. */
  readonly encodedTargetPath: string;
  readonly template: TargetTemplate | undefined;
  readonly nocanon: boolean;

  constructor(route: CompiledRoute) {
    this.route = route;
    this.proxy = route.kind === 'proxy' ? route : undefined;
    this.methods = route.methods ? compileMethods(route.methods) : undefined;
    this.hosts = route.hosts ? compileHostFilter(route.hosts) : undefined;
    const m = route.match;
    this.prefix = m.type === 'prefix' ? mergeSlashes(m.prefix) : undefined;
    this.prefixBytes = toUtf8Bytes(this.prefix ?? '');
    this.rawPrefix = m.type === 'prefix' ? m.prefix : '';
    this.prefixEndsWithSlash = this.prefix?.endsWith('/') ?? false;
    this.regex = m.type === 'regex' ? m.regex : undefined;
    this.fixed =
      route.kind === 'deny'
        ? Object.freeze({ kind: 'deny', route })
        : route.kind === 'manager'
          ? Object.freeze({ kind: 'manager', route })
          : undefined;
    const target = this.proxy?.target;
    this.targetPath = target === undefined ? '' : target.type === 'url' ? target.url.path : target.path;
    this.encodedTargetPath = encodePathText(this.targetPath);
    this.template = this.regex ? compileTemplate(this.targetPath) : undefined;
    this.nocanon = this.proxy?.nocanon ?? false;
  }
}
