// The SocketAtm operations console: one EventSource on ./events, a history event to start the charts with, then a frame a second.
// Text only ever goes in through textContent, so nothing the host reports can become markup.
"use strict";
(() => {
  const maxPoints = 300;
  const palette = ["#3fb950", "#f85149", "#d29922", "#58a6ff", "#bc8cff", "#ff7b72", "#79c0ff", "#e3b341", "#56d364", "#ffa198"];
  const byId = (id) => document.getElementById(id);
  const points = [];
  let codesShown = [];
  let charts = {};

  const number = (value) => Number(value ?? 0).toLocaleString("en-US", { maximumFractionDigits: 1 });
  const clock = (ms) => (ms ? new Date(ms).toLocaleTimeString("en-GB") : "–");
  const ago = (ms) => {
    if (!ms) return "–";
    const seconds = Math.max(0, Math.round((Date.now() - ms) / 1000));
    return seconds < 60 ? `${seconds} s ago` : seconds < 3600 ? `${Math.round(seconds / 60)} min ago` : `${Math.round(seconds / 3600)} h ago`;
  };
  const duration = (ms) => {
    const seconds = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
  };
  const sumCodes = (point, predicate) => Object.entries(point.codes).reduce((sum, [code, n]) => (predicate(code) ? sum + n : sum), 0);

  function chartSize(element) {
    return { width: Math.max(300, element.clientWidth), height: 220 };
  }

  function makeChart(id, series, axes) {
    const element = byId(id);
    element.replaceChildren();
    const options = {
      ...chartSize(element),
      series: [{}, ...series],
      axes: axes ?? [{ stroke: "#8b98a5", grid: { stroke: "#2a3540" } }, { stroke: "#8b98a5", grid: { stroke: "#2a3540" } }],
      scales: { x: { time: true } },
      legend: { live: false },
    };
    return new uPlot(options, [[]].concat(series.map(() => [])), element);
  }

  function buildCharts() {
    charts.tps = makeChart("chart-tps", [
      { label: "all", stroke: "#58a6ff", width: 2 },
      { label: "approved", stroke: "#3fb950" },
      { label: "declined", stroke: "#f85149" },
    ]);
    buildCodesChart();
    charts.commits = makeChart(
      "chart-commits",
      [
        { label: "requests per batch", stroke: "#bc8cff", scale: "batch" },
        { label: "commit ms", stroke: "#d29922", scale: "ms" },
      ],
      [
        { stroke: "#8b98a5", grid: { stroke: "#2a3540" } },
        { scale: "batch", stroke: "#bc8cff", grid: { stroke: "#2a3540" } },
        { scale: "ms", side: 1, stroke: "#d29922", grid: { show: false } },
      ]);
  }

  function buildCodesChart() {
    const seen = new Set();
    for (const point of points) for (const code of Object.keys(point.codes)) seen.add(code);
    codesShown = [...seen].sort();
    if (charts.codes) charts.codes.destroy();
    charts.codes = makeChart("chart-codes", codesShown.map((code, index) => ({ label: code, stroke: palette[index % palette.length] })));
  }

  function redraw() {
    const times = points.map((point) => point.t / 1000);
    const perSecond = (point, n) => (point.seconds > 0 ? n / point.seconds : 0);
    charts.tps.setData([
      times,
      points.map((point) => point.tps),
      points.map((point) => perSecond(point, point.codes["00"] ?? 0)),
      points.map((point) => perSecond(point, sumCodes(point, (code) => code !== "00"))),
    ]);
    const codesNow = new Set();
    for (const point of points) for (const code of Object.keys(point.codes)) codesNow.add(code);
    if ([...codesNow].some((code) => !codesShown.includes(code))) buildCodesChart();
    charts.codes.setData([times, ...codesShown.map((code) => points.map((point) => perSecond(point, point.codes[code] ?? 0)))]);
    charts.commits.setData([times, points.map((point) => point.batch_mean), points.map((point) => point.commit_ms_mean)]);
  }

  function tiles(frame) {
    const now = frame.point.t;
    const lastMinute = points.filter((point) => point.t > now - 60000);
    const recent = points.slice(-5);
    const approved = lastMinute.reduce((sum, point) => sum + (point.codes["00"] ?? 0), 0);
    const all = lastMinute.reduce((sum, point) => sum + sumCodes(point, () => true), 0);
    const seconds = recent.reduce((sum, point) => sum + point.seconds, 0);
    byId("terminals-signed-on").textContent = number(frame.terminals.signed_on);
    byId("tps").textContent = number(seconds > 0 ? recent.reduce((sum, point) => sum + sumCodes(point, () => true), 0) / seconds : 0);
    byId("approved-share").textContent = all > 0 ? `${approved === all ? "100" : Math.min(99.9, (100 * approved) / all).toFixed(1)} %` : "–";
    byId("declined-minute").textContent = number(all - approved);
    byId("unavailable-minute").textContent = number(lastMinute.reduce((sum, point) => sum + (point.codes["91"] ?? 0), 0));
    byId("queue-depth").textContent = number(frame.point.queue_depth);
    byId("connections").textContent = number(frame.connections);
    byId("security-total").textContent = number(frame.security.by_reason.reduce((sum, reason) => sum + reason.count, 0));
    byId("uptime").textContent = duration(now - frame.started_at);
    byId("updated").textContent = clock(now);
  }

  function fillTable(id, rows, columns, emptyText) {
    const body = byId(id).tBodies[0];
    if (rows.length === 0) {
      const row = document.createElement("tr");
      row.className = "empty";
      const cell = document.createElement("td");
      cell.colSpan = columns.length;
      cell.textContent = emptyText;
      row.append(cell);
      body.replaceChildren(row);
      return;
    }
    body.replaceChildren(...rows.map((item) => {
      const row = document.createElement("tr");
      for (const column of columns) {
        const cell = document.createElement("td");
        const value = column.value(item);
        cell.textContent = value;
        if (column.numeric) cell.className = "n";
        if (column.css) cell.classList.add(column.css(item));
        row.append(cell);
      }
      if (item.code) row.dataset.code = item.code;
      if (item.id) row.dataset.terminal = item.id;
      return row;
    }));
  }

  function tables(frame) {
    fillTable("declines", frame.declines, [
      { value: (d) => d.code },
      { value: (d) => d.reason },
      { value: (d) => number(d.last_minute), numeric: true },
      { value: (d) => number(d.count), numeric: true },
    ], "none yet");
    fillTable("routes", frame.routes, [
      { value: (r) => r.route },
      { value: (r) => r.link, css: (r) => r.link },
      { value: (r) => `${r.signed_on} of ${r.connections}`, numeric: true },
      { value: (r) => r.breaker, css: (r) => (r.breaker === "Closed" ? "up" : "open") },
      { value: (r) => number(r.timed_out), numeric: true },
      { value: (r) => number(r.saf_depth), numeric: true },
      { value: (r) => number(r.saf_exceptions), numeric: true },
      { value: (r) => (r.saf_depth > 0 ? duration(r.saf_oldest_s * 1000) : "–"), numeric: true },
    ], "no routes configured");
    fillTable("security", frame.security.by_reason, [
      { value: (s) => s.reason },
      { value: (s) => number(s.count), numeric: true },
      { value: (s) => clock(s.last_at) },
    ], "none");
    byId("security-recent").replaceChildren(...frame.security.recent.map((seen) => {
      const item = document.createElement("li");
      item.textContent = `${clock(seen.at)} · ${seen.reason} × ${seen.count}`;
      return item;
    }));
    fillTable("terminals", frame.terminals.list, [
      { value: (t) => t.id },
      { value: (t) => t.state, css: (t) => (t.connections > 0 ? "signed-on" : "signed-off") },
      { value: (t) => number(t.connections), numeric: true },
      { value: (t) => ago(t.last_activity) },
      { value: (t) => (t.connections > 0 ? clock(t.signed_on_at) : "–") },
      { value: (t) => t.address ?? "–" },
    ], "no terminal has signed on");
    byId("terminals-listed").textContent =
      frame.terminals.listed < frame.terminals.signed_on ? `(${frame.terminals.listed} shown of ${frame.terminals.signed_on} signed on)` : "";
  }

  function feedState(state, text) {
    const element = byId("feed-state");
    element.className = `feed ${state}`;
    element.textContent = text;
  }

  function connect() {
    const source = new EventSource("events");
    source.addEventListener("open", () => feedState("live", "live"));
    source.addEventListener("error", () => feedState("lost", "reconnecting…"));
    source.addEventListener("history", (event) => {
      points.splice(0, points.length, ...JSON.parse(event.data));
      buildCharts();
      redraw();
    });
    source.addEventListener("frame", (event) => {
      const frame = JSON.parse(event.data);
      points.push(frame.point);
      if (points.length > maxPoints) points.splice(0, points.length - maxPoints);
      redraw();
      tiles(frame);
      tables(frame);
      feedState("live", "live");
    });
  }

  window.addEventListener("resize", () => {
    for (const chart of Object.values(charts)) chart.setSize(chartSize(chart.root.parentElement));
  });
  buildCharts();
  connect();
})();
