import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ISSUE_CODES } from '../src/config/issues.js';
import { MANAGER_ERROR_CODES } from '../src/manager/errors.js';
import { PROXY_ERROR_CODES } from '../src/proxy/errors.js';
import { REJECT_CODES } from '../src/router/types.js';
import {
  BALANCER_KEYS,
  CONFIG_KEYS,
  HEALTH_KEYS,
  MANAGER_KEYS,
  MEMBER_KEYS,
  ROUTE_COOKIE_KEYS,
  ROUTE_OPTION_KEYS,
  TARGET_KEYS,
} from '../src/config/keys.js';

const reference = readFileSync(new URL('../docs/config-reference.md', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The option names in the first column of the table under a heading. */
function tableKeys(heading: string): string[] {
  const start = reference.indexOf(heading);
  expect(start, `heading ${heading}`).toBeGreaterThan(-1);
  const rest = reference.slice(start + heading.length);
  const end = rest.search(/\n#{2,3} /);
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]!);
}

describe('the config reference documents exactly the options the types have', () => {
  test.each([
    ['## `defineConfig({...})`', CONFIG_KEYS],
    ['## `route(match, options?)`', ROUTE_OPTION_KEYS],
    [
      '### `.to(target, params?)`',
      TARGET_KEYS.filter((k) => !(MEMBER_KEYS as readonly string[]).includes(k)),
    ],
    ['### `.manager(options?)`', MANAGER_KEYS],
    ['### Balancer parameters', BALANCER_KEYS],
    ['### Member parameters', MEMBER_KEYS],
    ['### Health checks', HEALTH_KEYS],
  ] as const)('%s', (heading, keys) => {
    expect(tableKeys(heading).sort()).toEqual([...keys].sort());
  });

  test('routeCookie fields are named', () => {
    for (const k of ROUTE_COOKIE_KEYS) expect(reference).toContain(k);
  });

  test.each([
    ['config issue', ISSUE_CODES],
    ['request refusal', REJECT_CODES],
    ['proxy error', PROXY_ERROR_CODES],
    ['balancer manager', MANAGER_ERROR_CODES],
  ] as const)('every TSXP_* %s code is documented in the README', (_, codes) => {
    for (const code of Object.keys(codes)) expect(readme, code).toContain(`| \`${code}\` |`);
  });
});
