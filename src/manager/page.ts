/**
 * The balancer-manager page: server-rendered HTML laid out as Apache's (a parameter table and a
 * member table per balancer, `?b=` and `?b=&w=` edit forms), readable without JavaScript.
 */
import { FLAG_NAMES, type ManagerFlag } from './fields.js';
import { agoText, bytesText, factorText, secondsText } from './format.js';
import { Html, html } from './html.js';
import { balancerForm, memberForm, quickToggle } from './page-forms.js';
import { PAGE_CSS } from './page-style.js';
import type { BalancerView, MemberView, OverrideView } from './views.js';

export interface Banner {
  readonly kind: 'ok' | 'error';
  readonly text: string;
  readonly details: readonly string[];
}

export interface PageModel {
  readonly serverName: string;
  readonly version: string | undefined;
  /** Where the page is served (form actions and links). */
  readonly pageUrl: string;
  readonly apiUrl: string;
  readonly persistFile: string | undefined;
  readonly balancers: readonly BalancerView[];
  /** The edit form to show: a balancer's, or one of its members'. */
  readonly edit: { readonly balancer: string; readonly member: number | undefined } | undefined;
  readonly banner: Banner | undefined;
  /** Auto-refresh period in seconds, 0 for none. */
  readonly refresh: number;
  readonly now: number;
}

const REFRESH_CHOICES = [0, 5, 30];

function overrideText(key: string, value: unknown): string {
  if (key === 'loadfactor') return (value as number).toFixed(2);
  if (key === 'timeout') return `${value} s`;
  if (key.startsWith('status.')) return value ? 'set' : 'clear';
  if (typeof value === 'boolean') return value ? 'On' : 'Off';
  return value === '' ? '(none)' : String(value);
}

/** A mark beside a value changed at runtime, saying what the config file has. */
function changed(overrides: Readonly<Record<string, OverrideView>>, key: string): Html | '' {
  const o = overrides[key];
  if (!o) return '';
  const title = `Changed at runtime (${o.at}); the config file has ${overrideText(key, o.config)}`;
  return html`<abbr class="changed" title="${title}">●</abbr>`;
}

function statusClass(m: MemberView): string {
  if (!m.usable) return m.flags.replace(/[DINHR]/g, '') === '' ? 'st-off' : 'st-err';
  return m.flags.includes('N') ? 'st-warn' : 'st-ok';
}

function statusCell(m: MemberView): Html {
  const letters = [...m.flags].map((f) => `${f}: ${FLAG_NAMES[f as ManagerFlag] ?? 'in error'}`).join(', ');
  const flagChanges = Object.keys(m.overrides).filter((k) => k.startsWith('status.'));
  return html`<span class="status ${statusClass(m)}">${m.status}</span>${
    m.flags ? html`<code class="letters" title="${letters}">${m.flags}</code>` : ''
  }${flagChanges.map((k) => changed(m.overrides, k))}`;
}

function healthCell(m: MemberView, now: number): Html {
  const h = m.health;
  if (!h) return html`<span class="none">—</span>`;
  const label =
    h.state === 'failing'
      ? html`<span class="h-fail">✗ failing</span>`
      : h.state === 'passing'
        ? html`<span class="h-pass">✓ passing</span>`
        : html`<span class="none">not checked yet</span>`;
  const last = h.lastCheck ? agoText(Date.parse(h.lastCheck), now) : `${h.method} ${h.uri}`;
  const title = `${h.check}${h.lastError ? `\nLast failure: ${h.lastError}` : ''}\nPasses ${h.passes} (${h.passCount}), fails ${h.fails} (${h.failCount})`;
  return html`<span class="health" title="${title}">${label}<span class="sub">${last}</span></span>`;
}

function text(value: string): Html {
  return value === '' ? html`<span class="none">—</span>` : html`${value}`;
}

function memberRow(pageUrl: string, b: BalancerView, m: MemberView, now: number, health: boolean): Html {
  const editHref = `${pageUrl}?b=${encodeURIComponent(b.name)}&w=${encodeURIComponent(m.url)}#edit-${b.name}`;
  const errorTitle = m.lastError ? `${m.lastError}${m.errorTime ? ` (${m.errorTime})` : ''}` : '';
  return html`<tr>
<td class="url mono"><a href="${editHref}" title="Edit member">${m.url}</a>${m.added ? html` <span class="hint">added</span>` : ''}</td>
<td>${text(m.route)}${changed(m.overrides, 'route')}</td>
<td>${text(m.redirect)}${changed(m.overrides, 'redirect')}</td>
<td class="num">${factorText(m.lbfactor)}${changed(m.overrides, 'loadfactor')}</td>
<td class="num">${m.lbset}${changed(m.overrides, 'lbset')}</td>
<td class="nowrap">${statusCell(m)}</td>
${health ? html`<td>${healthCell(m, now)}</td>` : ''}
<td class="num">${m.elected}</td>
<td class="num">${m.busy}</td>
<td class="num">${m.lbstatus}</td>
<td class="num" title="${m.transferred} bytes">${bytesText(m.transferred)}</td>
<td class="num" title="${m.read} bytes">${bytesText(m.read)}</td>
<td class="num">${m.errors}</td>
<td class="err" title="${errorTitle}">${m.lastError ? m.lastError : html`<span class="none">—</span>`}</td>
<td class="actions">${quickToggle(pageUrl, b, m)}</td>
</tr>`;
}

function param(label: string, value: Html | string, mark: Html | '' = ''): Html {
  return html`<div><dt>${label}</dt><dd>${value}${mark}</dd></div>`;
}

function balancerSection(model: PageModel, b: BalancerView): Html {
  const { pageUrl } = model;
  const o = b.overrides;
  const editing = model.edit?.balancer === b.name ? model.edit : undefined;
  const member = editing?.member === undefined ? undefined : b.members[editing.member];
  // Apache shows the health-check columns only where health checks exist.
  const health = b.members.some((m) => m.health !== null);
  return html`<section class="balancer" id="balancer-${b.name}">
<div class="bhead"><h2><small>balancer://</small>${b.name}</h2>
<span class="hint">${b.routes.length > 0 ? `serves ${b.routes.join(', ')}` : 'used by no route'}</span>
<span class="links"><a href="${pageUrl}?b=${encodeURIComponent(b.name)}#edit-${b.name}">Edit balancer</a><a href="${model.apiUrl}/balancers/${encodeURIComponent(b.name)}">JSON</a></span></div>
<dl class="params">
${param('Method', b.lbmethod, changed(o, 'lbmethod'))}
${param('Sticky session', b.stickysession ?? '(None)', changed(o, 'stickysession'))}
${param('Timeout', `${secondsText(b.timeout * 1000)} s`, changed(o, 'timeout'))}
${param('Failover attempts', String(b.maxattempts), changed(o, 'maxattempts'))}
${param('Disable failover', b.nofailover ? 'On' : 'Off', changed(o, 'nofailover'))}
${param('Max members', `${b.members.length - b.growthUsed + b.growth} [${b.members.length} used]`)}
</dl>
<div class="table"><table>
<thead><tr><th>Worker URL</th><th>Route</th><th>RouteRedir</th><th class="num">Factor</th><th class="num">Set</th><th>Status</th>${health ? html`<th>Health</th>` : ''}<th class="num">Elected</th><th class="num">Busy</th><th class="num">Load</th><th class="num">To</th><th class="num">From</th><th class="num">Errors</th><th>Last error</th><th></th></tr></thead>
<tbody>
${b.members.map((m) => memberRow(pageUrl, b, m, model.now, health))}
</tbody>
</table></div>
${editing ? (member ? memberForm(pageUrl, b, member) : balancerForm(pageUrl, b)) : ''}
</section>`;
}

function refreshLinks(model: PageModel): Html {
  return html`<span>Auto-refresh: ${REFRESH_CHOICES.map((s, i) => {
    const label = s === 0 ? 'off' : `${s} s`;
    const sep = i > 0 ? ' / ' : '';
    return s === model.refresh
      ? html`${sep}<b>${label}</b>`
      : html`${sep}<a href="${model.pageUrl}${s === 0 ? '' : `?refresh=${s}`}">${label}</a>`;
  })}</span>`;
}

/** The whole page. */
export function renderPage(model: PageModel): string {
  const persisted = model.persistFile
    ? html`<span>Balancer changes will be persisted on restart (<code>${model.persistFile}</code>)</span>`
    : html`<span>Balancer changes will <b>NOT</b> be persisted on restart</span>`;
  const banner = model.banner
    ? html`<div class="banner ${model.banner.kind}" role="${model.banner.kind === 'error' ? 'alert' : 'status'}">${model.banner.text}${
        model.banner.details.length > 0
          ? html`<ul>${model.banner.details.map((d) => html`<li>${d}</li>`)}</ul>`
          : ''
      }</div>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${model.refresh > 0 ? html`<meta http-equiv="refresh" content="${model.refresh}">` : ''}
<title>Balancer Manager · ${model.serverName}</title>
<style>${new Html(PAGE_CSS)}</style>
</head>
<body>
<header>
<h1>Load Balancer Manager <span>for ${model.serverName}</span></h1>
<p class="meta"><span>tsx-proxy${model.version ? ` ${model.version}` : ''}</span><span>Server time ${new Date(model.now).toISOString().replace('T', ' ').slice(0, 19)} UTC</span>${persisted}${refreshLinks(model)}<a href="${model.apiUrl}">JSON API</a></p>
</header>
<main>
${banner}
${model.balancers.length > 0 ? model.balancers.map((b) => balancerSection(model, b)) : html`<p class="hint">This config has no balancers.</p>`}
</main>
<footer><abbr class="changed">●</abbr> changed at runtime (hover to see the config file's value) · Status letters: I ignore errors, N drain, D disabled, S stopped, E in error, H hot standby, R hot spare, C health check failed · Click a member to edit it.</footer>
</body>
</html>
`.text;
}
