/** The dashboard's stylesheet, inlined into the page (no external requests). */
export const DASHBOARD_STYLES = `
:root { color-scheme: light dark; --line: #8884; --muted: #888; --ok: #1a7f37; --bad: #cf222e; --wait: #9a6700; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; }
header { display: flex; gap: 1rem; align-items: baseline; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.1rem; margin: 0; }
header .muted { color: var(--muted); }
#live { margin-left: auto; }
#live[data-state="live"]::before { content: "\\25CF "; color: var(--ok); }
#live[data-state="down"]::before { content: "\\25CF "; color: var(--bad); }
main { display: grid; grid-template-columns: minmax(20rem, 1.1fr) minmax(24rem, 2fr) minmax(17rem, 1fr); gap: 0; height: calc(100vh - 2.6rem); }
section { overflow: auto; padding: .6rem 1rem; }
#list-pane, #detail-pane { border-right: 1px solid var(--line); }
#actions-pane form:first-child { margin-top: 0; }
@media (max-width: 1000px) { main { grid-template-columns: 1fr; height: auto; } }
.filters, .pager, .actions { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: .4rem 0; }
#events { list-style: none; margin: 0; padding: 0; }
#events button { all: unset; display: grid; grid-template-columns: 1fr auto; gap: 0 .5rem; width: 100%; padding: .35rem .5rem; border-bottom: 1px solid var(--line); cursor: pointer; }
#events button:focus-visible, #events button[aria-current="true"] { outline: 2px solid var(--accent); outline-offset: -2px; }
#events .id { font-family: ui-monospace, monospace; font-size: 12px; }
#events .meta { color: var(--muted); font-size: 12px; }
.outcome { font-size: 12px; font-weight: 600; }
.outcome-delivered { color: var(--ok); }
.outcome-failed { color: var(--bad); }
.outcome-retrying, .outcome-pending { color: var(--wait); }
.outcome-not_forwarded { color: var(--muted); }
h2 { font-size: 1rem; margin: .8rem 0 .3rem; }
h3 { font-size: .85rem; margin: .6rem 0 .2rem; }
pre, .json { background: #8881; padding: .5rem; overflow: auto; max-height: 16rem; margin: .2rem 0; font-size: 12px; font-family: ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: break-word; word-break: normal; }
.json { max-height: 24rem; }
.json-line { padding-left: 2ch; text-indent: -2ch; }
.json-children { padding-left: 2ch; }
.json details > summary, details.json-node > summary { cursor: pointer; list-style: none; }
details.json-node > summary::before { content: "\\25BE "; color: var(--muted); margin-left: -2ch; display: inline-block; width: 2ch; text-indent: 0; }
details.json-node:not([open]) > summary::before { content: "\\25B8 "; }
details.json-node:not([open]) > summary::after { content: " \\2026 " attr(data-hidden); color: var(--muted); }
.json-key { color: var(--accent); }
.json-string { color: var(--ok); }
.json-number, .json-boolean, .json-null { color: var(--wait); }
.payloads { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0 .6rem; }
.payloads > details { min-width: 0; }
details.section > summary { cursor: pointer; }
details.section > summary h3 { display: inline; }
.attempt-detail { margin: .3rem 0; padding: .3rem .5rem; border-left: 3px solid var(--bad); background: #cf222e14; overflow-wrap: break-word; }
.edited-badge { margin-left: .4rem; padding: 0 .35rem; border-radius: 3px; font-size: 11px; font-weight: 600; background: var(--wait); color: #fff; }
#replay-editor { margin: .4rem 0; }
#replay-body { min-height: 10rem; }
.attempt { border: 1px solid var(--line); border-radius: 4px; margin: .4rem 0; padding: .3rem .6rem; }
.attempt summary { cursor: pointer; }
.status-ok { color: var(--ok); font-weight: 600; }
.status-bad { color: var(--bad); font-weight: 600; }
form { border: 1px solid var(--line); border-radius: 4px; padding: .5rem .8rem; margin: .6rem 0; }
form label { display: block; margin: .3rem 0; }
textarea { width: 100%; min-height: 8rem; font-family: ui-monospace, monospace; font-size: 12px; }
input[type="number"], input[type="text"] { width: 6rem; }
.errors { color: var(--bad); margin: .3rem 0; padding-left: 1.2rem; }
.note { color: var(--muted); }
.tabs { display: flex; gap: .3rem; margin: 0 0 .4rem; border-bottom: 1px solid var(--line); }
.tabs [role="tab"] { border: 0; background: none; padding: .3rem .6rem; cursor: pointer; font: inherit; border-bottom: 2px solid transparent; }
.tabs [role="tab"][aria-selected="true"] { border-bottom-color: var(--accent); font-weight: 600; }
#dead-letters { list-style: none; margin: 0; padding: 0; }
#dead-letters li { display: flex; align-items: center; border-bottom: 1px solid var(--line); }
#dead-letters button.dead-letter { all: unset; flex: 1; display: grid; grid-template-columns: 1fr auto; gap: 0 .5rem; padding: .35rem .5rem; cursor: pointer; }
#dead-letters button.dead-letter:focus-visible, #dead-letters button.dead-letter[aria-current="true"] { outline: 2px solid var(--accent); outline-offset: -2px; }
#dead-letters .id { font-family: ui-monospace, monospace; font-size: 12px; }
#dead-letters .meta { color: var(--muted); font-size: 12px; }
#dead-letters .last-error { grid-column: 1 / -1; color: var(--bad); font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.dead-attempt { border: 1px solid var(--line); border-radius: 4px; margin: .4rem 0; padding: .3rem .6rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;
