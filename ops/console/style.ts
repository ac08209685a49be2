/** The console's only stylesheet, served at /console.css (no other host is ever contacted). */
export const consoleCss = `
:root { --bg:#f6f7f9; --panel:#fff; --ink:#1d2330; --muted:#667085; --line:#e3e6eb;
  --accent:#2f5bea; --ok:#1a7f4b; --warn:#b7791f; --bad:#c8322f; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Apple SD Gothic Neo", "Noto Sans KR", "Noto Sans CJK KR", sans-serif; color:var(--ink); background:var(--bg); }
header { display:flex; align-items:center; gap:24px; padding:10px 24px; background:#151b2b; color:#fff; }
header .brand { font-weight:700; letter-spacing:.02em; }
header nav { display:flex; flex-wrap:wrap; gap:4px; }
header nav a { color:#c9d2e8; text-decoration:none; padding:6px 10px; border-radius:6px; }
header nav a.active, header nav a:hover { background:#2a3350; color:#fff; }
header .who { margin-left:auto; display:flex; gap:8px; align-items:center; color:#c9d2e8; }
header .who form { margin:0; }
header nav.language { display:flex; gap:2px; }
header nav.language a { color:#c9d2e8; text-decoration:none; padding:3px 8px; border-radius:6px; font-size:12px; }
header nav.language a[aria-current="true"] { background:#2a3350; color:#fff; }
:lang(ko) { word-break:keep-all; }
main { padding:20px 24px 48px; max-width:1400px; }
h1 { font-size:20px; margin:0 0 16px; }
h2 { font-size:15px; margin:20px 0 8px; }
.grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(300px, 1fr)); gap:14px; }
.panel { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.panel h3 { margin:0 0 8px; font-size:14px; display:flex; justify-content:space-between; align-items:center; gap:8px; }
.panel .sub { margin:-6px 0 8px; font-size:12px; }
.kpis { display:flex; flex-wrap:wrap; gap:14px; margin-bottom:16px; }
.kpi { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:10px 14px; min-width:150px; }
.kpi .v { font-size:22px; font-weight:600; }
.kpi .v.bad { color:var(--bad); } .kpi .v.warn { color:var(--warn); }
header .who a { color:#fff; }
.kpi .l { color:var(--muted); font-size:12px; }
table { border-collapse:collapse; width:100%; background:var(--panel); border:1px solid var(--line); border-radius:8px; overflow:hidden; }
th, td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#eef1f5; font-weight:600; font-size:12px; color:#3b4456; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
td.t { white-space:nowrap; }
td code { overflow-wrap:anywhere; }
td code, .mono { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12px; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; background:#e8ebf0; color:#3b4456; }
.badge.ok { background:#def5e8; color:var(--ok); } .badge.warn { background:#fcf1dc; color:var(--warn); }
.badge.bad { background:#fbe3e2; color:var(--bad); }
form.inline { display:flex; flex-wrap:wrap; gap:8px; align-items:end; margin:0 0 14px; }
label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); gap:2px; }
input, select { font:inherit; padding:5px 8px; border:1px solid #c8cdd6; border-radius:6px; background:#fff; color:var(--ink); }
button { font:inherit; padding:6px 12px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
button.danger { background:var(--bad); border-color:var(--bad); }
.notice { padding:8px 12px; border-radius:6px; margin-bottom:14px; background:#e6eeff; border:1px solid #c3d3ff; }
.notice.bad { background:#fbe3e2; border-color:#f1b8b6; }
.muted { color:var(--muted); }
.chart { display:block; }
.chart .line { fill:none; stroke:var(--accent); stroke-width:1.5; }
.chart .area { fill:#2f5bea18; stroke:none; }
.chart.errors .line { stroke:var(--bad); } .chart.errors .area { fill:#c8322f18; }
.chart.latency .line { stroke:#7a4cc2; } .chart.latency .area { fill:#7a4cc218; }
.chart text { font-size:10px; fill:var(--muted); }
.charts { display:grid; grid-template-columns:1fr; gap:4px; }
.timeline { list-style:none; padding:0; margin:0; border-left:2px solid var(--line); }
.timeline li { position:relative; padding:4px 0 10px 16px; }
.timeline li::before { content:""; position:absolute; left:-6px; top:9px; width:10px; height:10px; border-radius:50%; background:var(--accent); }
dl.fields { display:grid; grid-template-columns:max-content 1fr; gap:4px 16px; margin:0; }
dl.fields dt { color:var(--muted); } dl.fields dd { margin:0; }
.split { display:grid; grid-template-columns:1fr 1fr; gap:14px; }
@media (max-width: 900px) { .split { grid-template-columns:1fr; } }
`;
