/**
 * The page's forms. They post Apache's balancer-manager fields (`b`, `w`, `w_lf`, `b_lbm`, ...)
 * with the nonce to the page itself, and work without JavaScript.
 */
import type { LbMethod } from '../dsl/params.js';
import { FLAG_NAMES, MANAGER_FLAGS } from './fields.js';
import { factorText, secondsText } from './format.js';
import { type Html, html } from './html.js';
import type { BalancerView, MemberView } from './views.js';

const LBMETHODS: readonly LbMethod[] = ['byrequests', 'bytraffic', 'bybusyness', 'byhash'];

function hidden(fields: Readonly<Record<string, string>>): Html {
  return html`${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;
}

/** The Disable / Enable button of a member row. */
export function quickToggle(pageUrl: string, b: BalancerView, m: MemberView): Html {
  const disabled = m.flags.includes('D');
  const verb = disabled ? 'Enable' : 'Disable';
  return html`<form method="post" action="${pageUrl}">${hidden({
    b: b.name,
    w: m.url,
    nonce: b.nonce,
    w_status_D: disabled ? '0' : '1',
  })}<button type="submit" class="${disabled ? 'go' : 'danger'}" aria-label="${verb} ${m.url}">${verb}</button></form>`;
}

function onOff(name: string, on: boolean, label: string): Html {
  return html`<input type="radio" id="${name}-1-${label}" name="${name}" value="1"${on ? html` checked` : ''}><label for="${name}-1-${label}">On</label>
<input type="radio" id="${name}-0-${label}" name="${name}" value="0"${on ? '' : html` checked`}><label for="${name}-0-${label}">Off</label>`;
}

/** Apache's member edit form: load factor, lbset, route, redirect and each status flag. */
export function memberForm(pageUrl: string, b: BalancerView, m: MemberView): Html {
  const id = `m${m.index}`;
  return html`<form class="panel" id="edit-${b.name}" method="post" action="${pageUrl}">
<h3>Edit member <span class="mono">${m.url}</span></h3>
${hidden({ b: b.name, w: m.url, nonce: b.nonce })}
<div class="grid">
<div><label for="${id}-lf">Load factor (1–100)</label><input type="number" id="${id}-lf" name="w_lf" min="1" max="100" step="0.01" value="${factorText(m.lbfactor)}"></div>
<div><label for="${id}-ls">LB set (0–99)</label><input type="number" id="${id}-ls" name="w_ls" min="0" max="99" step="1" value="${m.lbset}"></div>
<div><label for="${id}-wr">Route</label><input type="text" id="${id}-wr" name="w_wr" maxlength="63" value="${m.route}"></div>
<div><label for="${id}-rr">Route redirect</label><input type="text" id="${id}-rr" name="w_rr" maxlength="63" value="${m.redirect}"></div>
</div>
<fieldset><legend>Status</legend><div class="flags">
${MANAGER_FLAGS.map(
  (f) =>
    html`<div class="flag"><span class="name">${FLAG_NAMES[f][0]!.toUpperCase()}${FLAG_NAMES[f].slice(1)} <code>${f}</code></span>${onOff(`w_status_${f}`, m.flags.includes(f), id)}</div>`,
)}
</div></fieldset>
<div class="formfoot"><button type="submit" class="primary">Save member</button><a href="${pageUrl}#balancer-${b.name}">Cancel</a></div>
</form>`;
}

/** Apache's balancer edit form, and the add-member form when `growth` leaves a slot. */
export function balancerForm(pageUrl: string, b: BalancerView): Html {
  const free = b.growth - b.growthUsed;
  return html`<form class="panel" id="edit-${b.name}" method="post" action="${pageUrl}">
<h3>Edit balancer <span class="mono">balancer://${b.name}</span></h3>
${hidden({ b: b.name, nonce: b.nonce })}
<div class="grid">
<div><label for="${b.name}-lbm">Load balancer method</label><select id="${b.name}-lbm" name="b_lbm">${LBMETHODS.map(
    (m) => html`<option${m === b.lbmethod ? html` selected` : ''}>${m}</option>`,
  )}</select></div>
<div><label for="${b.name}-ss">Sticky session (COOKIE or COOKIE|param)</label><input type="text" id="${b.name}-ss" name="b_ss" maxlength="127" placeholder="none" value="${b.stickysession ?? ''}"></div>
<div><label for="${b.name}-tmo">Timeout (s, 0–7200)</label><input type="number" id="${b.name}-tmo" name="b_tmo" min="0" max="7200" step="any" value="${secondsText(b.timeout * 1000)}"></div>
<div><label for="${b.name}-max">Failover attempts (0–99)</label><input type="number" id="${b.name}-max" name="b_max" min="0" max="99" step="1" value="${b.maxattempts}"></div>
</div>
<fieldset><legend>Disable failover (nofailover)</legend><div class="flag">${onOff('b_sforce', b.nofailover, b.name)}</div></fieldset>
<div class="formfoot"><button type="submit" class="primary">Save balancer</button><a href="${pageUrl}#balancer-${b.name}">Cancel</a></div>
</form>
${
  b.growth > 0
    ? html`<form class="panel" method="post" action="${pageUrl}">
<h3>Add a member</h3>
${hidden({ b: b.name, nonce: b.nonce, b_wyes: '1' })}
<div class="grid"><div><label for="${b.name}-nw">Member URL</label><input type="text" id="${b.name}-nw" name="b_nwrkr" placeholder="http://host:port"${free > 0 ? '' : html` disabled`}></div></div>
<div class="formfoot"><button type="submit"${free > 0 ? '' : html` disabled`}>Add member</button>
<span class="hint">${free} of ${b.growth} slots free (growth). New members start disabled, as in Apache.</span></div>
</form>`
    : ''
}`;
}
