import assert from "node:assert/strict";
import { escapeXml, niceCeil, renderChart } from "./svg_chart.ts";

const series = [
  {
    label: "p99 <authorize>",
    color: "#d62728",
    axis: "latency" as const,
    points: [[1, 5], [2, 48], [3, 1200]] as const,
  },
  {
    label: "ok/s",
    color: "#2ca02c",
    axis: "rate" as const,
    points: [[1, 100], [2, 300], [3, 290]] as const,
  },
  {
    label: "target/s",
    color: "#7f7f7f",
    axis: "rate" as const,
    dashed: true,
    points: [[0, 0], [3, 300]] as const,
  },
];

Deno.test("the chart is one self-contained SVG with a polyline and a legend entry per series", () => {
  const svg = renderChart({ title: "Run A&B", series, markers: [[0, "warm-up"], [2, "sustain"]] });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>$/);
  assert.equal(svg.match(/<polyline /g)?.length, 3);
  assert.equal(svg.match(/stroke-width="2"/g)?.length, 3);
  assert.match(svg, /Run A&amp;B/);
  assert.match(svg, /p99 &lt;authorize&gt;/);
  assert.match(svg, /stroke-dasharray="6 4"/);
  assert.match(svg, />sustain</);
  assert.doesNotMatch(svg, /NaN|Infinity|undefined|<script/);
});

Deno.test("points sit inside the plot: latency on a log axis up to a nice ceiling, rates linear", () => {
  const svg = renderChart({ title: "t", series });
  // Latency axis labels run in 1-2-5 steps up to 2000 ms (the nice ceiling of 1200).
  for (const label of [">1<", ">10<", ">100<", ">1000<", ">2000<"]) {
    assert.ok(svg.includes(label), label);
  }
  const coordinates = [...svg.matchAll(/points="([^"]+)"/g)].flatMap((m) => m[1]!.split(" "))
    .map((pair) => pair.split(",").map(Number));
  for (const [x, y] of coordinates) {
    assert.ok(x! >= 64 && x! <= 960 - 72, `x ${x}`);
    assert.ok(y! >= 40 && y! <= 440 - 72, `y ${y}`);
  }
});

Deno.test("a run without samples renders a placeholder, not a broken chart", () => {
  const svg = renderChart({
    title: "empty",
    series: [{ label: "x", color: "#000", axis: "latency", points: [] }],
  });
  assert.match(svg, /No data/);
  assert.doesNotMatch(svg, /NaN|Infinity/);
});

Deno.test("nice ceilings are 1, 2 or 5 times a power of ten; XML is escaped", () => {
  assert.deepEqual([0.3, 1, 1.1, 3, 7, 48, 1200, 0, -1].map(niceCeil), [
    0.5,
    1,
    2,
    5,
    10,
    50,
    2000,
    1,
    1,
  ]);
  assert.equal(escapeXml(`<a href="x">&</a>`), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
});
