import type { BalancerSpec, ConfigSpec } from '../dsl/spec.js';
import { compileBalancer } from './compile-balancer.js';
import { compileRoute, warnShadowed } from './compile-route.js';
import { checkKnownKeys, ConfigError, IssueList } from './issues.js';
import { CONFIG_KEYS } from './keys.js';
import { ValueReader } from './read-values.js';
import type {
  CompiledBalancer,
  CompiledRoute,
  ConfigIssue,
  HeaderOpsCompiled,
  ProxyConfig,
} from './types.js';

export interface CompileOptions {
  /** Default `serverName` (the runtime passes the machine's host name). Default `'localhost'`. */
  readonly hostname?: string;
  /** Config file name, for error messages. */
  readonly file?: string;
}

const DEFAULT_LISTEN = { host: '127.0.0.1', port: 8080 };
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_GRACE_MS = 10_000;

function compileListen(value: unknown, issues: IssueList): ProxyConfig['listen'] {
  if (value === undefined) return [DEFAULT_LISTEN];
  const list = Array.isArray(value) ? value : [value];
  const out: { host: string; port: number }[] = [];
  list.forEach((entry, i) => {
    const port = typeof entry === 'number' ? entry : (entry as { port?: unknown } | null)?.port;
    const host =
      typeof entry === 'object' && entry !== null
        ? ((entry as { host?: unknown }).host ?? DEFAULT_LISTEN.host)
        : DEFAULT_LISTEN.host;
    if (
      typeof port !== 'number' ||
      !Number.isInteger(port) ||
      port < 0 ||
      port > 65_535 ||
      typeof host !== 'string'
    ) {
      issues.error(
        'TSXP_BAD_LISTEN',
        `listen${Array.isArray(value) ? `[${i}]` : ''}`,
        `listen ${JSON.stringify(entry)} is not a port or { host, port }`,
        "write listen: 8080 or listen: { host: '0.0.0.0', port: 8080 }",
        undefined,
      );
      return;
    }
    out.push({ host, port });
  });
  return out;
}

function compileHeaderOps(read: ValueReader, value: unknown): HeaderOpsCompiled {
  const ops = (read.object('headers', value) ?? {}) as { set?: unknown; append?: unknown; unset?: unknown };
  const pairs = (key: 'set' | 'append') => {
    const obj = read.object(key, ops[key]) as Record<string, unknown> | undefined;
    return Object.entries(obj ?? {}).flatMap(([name, v]) => {
      if (typeof v === 'string') return [[name.toLowerCase(), v] as const];
      read.issues.error(
        'TSXP_BAD_VALUE',
        `${read.path}.${key}.${name}`,
        `header '${name}' has a non-string value`,
        `write { '${name}': 'value' }`,
        read.site,
      );
      return [];
    });
  };
  const unset = Array.isArray(ops.unset)
    ? ops.unset.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase())
    : [];
  return { set: pairs('set'), append: pairs('append'), unset };
}

function isCompiled(value: unknown): value is ProxyConfig {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'compiled-config'
  );
}

function sameBalancer(a: BalancerSpec, b: BalancerSpec): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Compiles a `defineConfig` value into the frozen, normalised `ProxyConfig`, collecting every
 * issue. Returns the config (when there are no errors) and all issues.
 */
export function compileWithIssues(
  spec: ConfigSpec | ProxyConfig,
  opts: CompileOptions = {},
): { config: ProxyConfig | undefined; issues: readonly ConfigIssue[] } {
  if (isCompiled(spec)) return { config: spec, issues: spec.warnings };
  const issues = new IssueList();
  if (typeof spec !== 'object' || spec === null || spec.kind !== 'config' || !Array.isArray(spec.routes)) {
    issues.error(
      'TSXP_CONFIG_SHAPE',
      '(default export)',
      'the config is not a defineConfig({ routes: [...] }) value',
      "export default defineConfig({ listen: 8080, routes: [route('/').to('http://127.0.0.1:3000/')] })",
      undefined,
    );
    return { config: undefined, issues: issues.items };
  }
  const { kind: _kind, site, ...input } = spec;
  checkKnownKeys(issues, input, CONFIG_KEYS, 'config', 'config', site);
  const read = new ValueReader(issues, 'config', site);
  const timeoutMs = read.duration('timeout', spec.timeout, 1) ?? DEFAULT_TIMEOUT_MS;
  const preserveHost = read.bool('preserveHost', spec.preserveHost) ?? false;

  const balancerSpecs = new Map<string, BalancerSpec>();
  const balancers = new Map<string, CompiledBalancer>();
  const useBalancer = (b: BalancerSpec, path: string): string => {
    const key = String(b.name).toLowerCase();
    const existing = balancerSpecs.get(key);
    if (existing && !sameBalancer(existing, b)) {
      issues.error(
        'TSXP_DUPLICATE_BALANCER',
        path,
        `two different balancers are named '${b.name}'`,
        'give each balancer its own name (names are case-insensitive), or reuse the same balancer value',
        b.site,
      );
      return existing.name;
    }
    if (!existing) {
      balancerSpecs.set(key, b);
      if (typeof b.name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(b.name)) {
        issues.error(
          'TSXP_BAD_VALUE',
          `balancers.${b.name}`,
          `balancer name ${JSON.stringify(b.name)} is not made of letters, digits, '_', '.' or '-'`,
          "e.g. balancer('images')",
          b.site,
        );
      }
      const compiled = compileBalancer(b, `balancers.${b.name}`, timeoutMs, issues);
      if (compiled.members.length === 0 && b.members.length === 0) {
        issues.error(
          'TSXP_EMPTY_BALANCER',
          `balancers.${b.name}.members`,
          `balancer '${b.name}' is used by ${path.replace(/\.target$/, '')} but has no members`,
          `add members: balancer('${b.name}').member('http://127.0.0.1:3001')`,
          b.site,
        );
      }
      balancers.set(b.name, compiled);
    }
    return existing?.name ?? b.name;
  };

  const routes = spec.routes
    .map((r, i) => compileRoute(r, i, { issues, preserveHost, timeoutMs, useBalancer }))
    .filter((r): r is CompiledRoute => r !== undefined);
  warnShadowed(routes, issues);

  const headers = (read.object('headers', spec.headers) ?? {}) as { request?: unknown; response?: unknown };
  const config: ProxyConfig = {
    kind: 'compiled-config',
    listen: compileListen(spec.listen, issues),
    routes,
    balancers,
    preserveHost,
    timeoutMs,
    serverName: read.string('serverName', spec.serverName) ?? opts.hostname ?? 'localhost',
    via: read.oneOf('via', spec.via, ['off', 'on', 'full', 'block'] as const) ?? 'off',
    addForwardedHeaders: read.bool('addForwardedHeaders', spec.addForwardedHeaders) ?? true,
    headers: {
      request: compileHeaderOps(read.at('config.headers.request'), headers.request),
      response: compileHeaderOps(read.at('config.headers.response'), headers.response),
    },
    accessLog: read.bool('accessLog', spec.accessLog),
    gracePeriodMs: read.duration('gracePeriod', spec.gracePeriod) ?? DEFAULT_GRACE_MS,
    warnings: issues.warnings,
  };
  if (issues.errors.length > 0) return { config: undefined, issues: issues.items };
  return { config: Object.freeze(config), issues: issues.items };
}

/**
 * Compiles a `defineConfig` value; throws a `ConfigError` listing every issue when there is
 * any error. An already compiled config is returned as it is.
 */
export function compile(spec: ConfigSpec | ProxyConfig, opts: CompileOptions = {}): ProxyConfig {
  const { config, issues } = compileWithIssues(spec, opts);
  if (!config) throw new ConfigError(issues, opts.file);
  return config;
}
