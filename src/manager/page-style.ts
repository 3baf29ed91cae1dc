/**
 * The page's only style sheet, inline, allowed by its hash in the Content-Security-Policy (the
 * page has no script, no external resource, no inline `style` attribute).
 */
import { createHash } from 'node:crypto';

export const PAGE_CSS = `
:root { color-scheme: light; --fg: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f5f7fa; --card: #fff;
  --blue: #1f6fb2; --green: #1a7f37; --red: #b42318; --amber: #8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: var(--bg); }
a { color: var(--blue); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
header { background: var(--card); border-bottom: 1px solid var(--line); padding: 18px 32px 14px; }
h1 { margin: 0 0 4px; font-size: 20px; font-weight: 650; letter-spacing: -0.01em; }
h1 span { color: var(--muted); font-weight: 450; }
.meta { margin: 0; color: var(--muted); font-size: 13px; }
.meta > * + *::before { content: "·"; margin: 0 8px; color: #9aa5b1; }
.meta b { color: var(--fg); font-weight: 600; }
main { padding: 24px 32px 40px; }
.banner { margin: 0 0 20px; padding: 10px 14px; border-radius: 6px; border: 1px solid; }
.banner.ok { background: #e9f7ef; border-color: #b7e1c5; color: #14532d; }
.banner.error { background: #fdecea; border-color: #f5c2bd; color: #7a1c12; }
.banner ul { margin: 6px 0 0; padding-left: 20px; }
section.balancer { background: var(--card); border: 1px solid var(--line); border-radius: 10px; margin: 0 0 24px;
  box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04); overflow: hidden; }
.bhead { display: flex; align-items: baseline; gap: 12px; padding: 14px 20px 0; }
h2 { margin: 0; font-size: 17px; font-weight: 650; }
h2 small { color: var(--muted); font-weight: 450; }
.bhead .links { margin-left: auto; font-size: 13px; }
.bhead .links a + a { margin-left: 14px; }
dl.params { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 10px 20px 14px; }
dl.params div { min-width: 90px; }
dt { color: var(--muted); font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.04em; }
dd { margin: 0; font-weight: 550; }
div.table { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 11.5px; font-weight: 600; color: var(--muted); text-transform: uppercase;
  letter-spacing: 0.04em; padding: 8px 8px; background: #fafbfc; border-top: 1px solid var(--line);
  border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 8px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover td { background: #fbfcfd; }
th:first-child, td:first-child { padding-left: 20px; }
th:last-child, td:last-child { padding-right: 20px; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.url { font-weight: 500; white-space: nowrap; }
.url a { color: var(--fg); }
.url a:hover { color: var(--blue); }
.nowrap { white-space: nowrap; }
.none { color: #9aa5b1; }
.status { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12.5px; font-weight: 600;
  white-space: nowrap; }
.st-ok { background: #e3f6e8; color: var(--green); }
.st-off { background: #eef0f3; color: #3e4c59; }
.st-warn { background: #fff4d6; color: var(--amber); }
.st-err { background: #fde8e6; color: var(--red); }
.letters { color: var(--muted); margin-left: 6px; }
.health { font-size: 12.5px; white-space: nowrap; }
.health .sub { display: block; color: var(--muted); font-size: 12px; }
.h-pass { color: var(--green); font-weight: 600; }
.h-fail { color: var(--red); font-weight: 600; }
.err { color: var(--red); max-width: 170px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.changed { color: #c2410c; text-decoration: none; margin-left: 3px; cursor: help; }
.actions { white-space: nowrap; text-align: right; }
.actions form { display: inline; }
button { font: inherit; font-size: 13px; padding: 4px 12px; border-radius: 6px; border: 1px solid #cbd2d9;
  background: #fff; color: var(--fg); cursor: pointer; }
button:hover { background: #f5f7fa; }
button.danger { color: var(--red); border-color: #f1b8b2; }
button.go { color: var(--green); border-color: #a8d5b5; }
button.primary { background: var(--blue); border-color: var(--blue); color: #fff; padding: 6px 16px; }
button.primary:hover { background: #185a91; }
.panel { margin: 0; padding: 16px 20px 18px; border-top: 1px solid var(--line); background: #fbfcfe; }
.panel h3 { margin: 0 0 12px; font-size: 14px; font-weight: 650; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px 20px; max-width: 1100px; }
label { display: block; font-size: 12px; color: var(--muted); margin-bottom: 3px; }
input[type=text], input[type=number], select { width: 100%; font: inherit; padding: 5px 8px; border: 1px solid #cbd2d9;
  border-radius: 6px; background: #fff; }
fieldset { border: 0; padding: 0; margin: 14px 0 0; }
legend { font-size: 12px; color: var(--muted); margin-bottom: 6px; padding: 0; }
.flags { display: grid; grid-template-columns: repeat(auto-fill, 290px); gap: 6px 20px; max-width: 1100px; }
.flag { display: flex; align-items: center; gap: 10px; font-size: 13px; }
.flag .name { flex: 1; }
.flag label { display: inline; color: var(--fg); font-size: 13px; margin: 0 0 0 6px; }
.formfoot { margin-top: 16px; display: flex; align-items: center; gap: 14px; font-size: 13px; }
.hint { color: var(--muted); font-size: 12.5px; }
footer { color: var(--muted); font-size: 12.5px; padding: 0 32px 28px; }
`;

/** The CSP source that allows exactly this style sheet. */
export const PAGE_CSS_HASH = `'sha256-${createHash('sha256').update(PAGE_CSS).digest('base64')}'`;
