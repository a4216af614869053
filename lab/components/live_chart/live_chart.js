// A lesson control and the chart it drives: one labelled slider, an SVG chart right under it, and
// readouts. Plain ES module, no build step, nothing from a network.
//
// It computes no mathematics. Python (ce_core) sends, for every position g of the control's grid,
// everything that position shows: the y values of the curves that depend on the parameter, the
// coordinates of points, lines and segments, and the readout texts. While the pointer moves the
// module only picks row g and draws it (the axis mapping from data to pixels is drawing, not
// mathematics). On release (or when a key press pauses) it sends g back once; Python sets the
// parameter to grid[g] and the page settles to it.

const STATE = new WeakMap();

// One chart of the control: its own figure, svg, layers, axes and ResizeObserver. It draws row g of
// its tables when the control shows position g.
class Chart {
  constructor(owner, index) {
    this.owner = owner;
    this.index = index;
  }

  setSpec(spec) {
    this.spec = spec;
    // Every numeric array arrives as base64 float64 (JSON has no Infinity). A rerun usually sends the
    // same tables again: an array whose text has not changed is not decoded again.
    const seen = this.decoded || new Map();
    const decoded = new Map();
    let same = true;  // every array as before
    const old = this.layers;
    this.layers = spec.layers.map((layer) => {
      const out = { ...layer };
      for (const name of ["x", "y", "x0", "y0", "x1", "y1"]) {
        if (!layer[name]) continue;
        const f32 = name === "y" && !!layer.y_f32;  // a curve's table may come as float32
        const text = (f32 ? "4:" : "8:") + layer[name];
        let values = seen.get(text);
        if (!values) { same = false; values = decoded.get(text) || decode(layer[name], f32); }
        decoded.set(text, values);
        out[name] = values;
      }
      return out;
    });
    this.decoded = decoded;
    // The same tables, axes and styles as drawn: keep the drawn nodes (a rerun after a release only
    // brings the new position, and maybe new texts).
    const frame = JSON.stringify([spec.x_range, spec.y_range, spec.x_ticks, spec.y_ticks, spec.x_log, spec.y_log,
                                  spec.layers.map((l) => [l.kind, l.name, l.style, l.rows, l.n, !!l.labels])]);
    this.unchanged = same && old && old.length === this.layers.length && frame === this.frame;
    this.frame = frame;
    if (this.unchanged) {
      this.layers.forEach((layer, i) => {
        for (const k of ["node", "dot", "top", "text", "rects"]) if (old[i][k]) layer[k] = old[i][k];
      });
    }
  }

  build(parent) {
    const c = this.spec;
    const key = this.owner.data.key;
    const pic = el("figure", { class: "lc-chart", "data-chart": c.key || `${key}_${this.index}` }, parent);
    this.pic = pic;
    if (c.title) el("figcaption", { class: "lc-title", text: c.title }, pic);
    const legend = el("div", { class: "lc-legend", "aria-hidden": "true" }, pic);
    for (const layer of c.layers) {
      if (!layer.legend) continue;
      const item = el("span", { class: "lc-key" }, legend);
      const sw = el("svg", { width: "28", height: "12", viewBox: "0 0 28 12" }, item, SVG);
      if (layer.kind === "point") {
        this.marker(sw, layer.style, 14, 6, 5);
      } else if (layer.kind === "bars") {
        el("rect", { x: 6, y: 1, width: 16, height: 10, fill: layer.style.fill || layer.style.color,
                     stroke: layer.style.stroke || layer.style.color, "stroke-dasharray": DASH[layer.style.dash || "solid"] },
           sw, SVG);
      } else {
        el("line", { x1: 1, y1: 6, x2: 27, y2: 6, stroke: layer.style.color, "stroke-width": layer.style.width || 2.5,
                     "stroke-dasharray": DASH[layer.style.dash || "solid"] }, sw, SVG);
      }
      el("span", { text: layer.name }, item);
    }
    this.svg = el("svg", { class: "lc-svg", role: "img" }, pic, SVG);
    this.clipId = `lc-clip-${key}-${this.index}`;
    const defs = el("defs", {}, this.svg, SVG);
    this.clipRect = el("rect", {}, el("clipPath", { id: this.clipId }, defs, SVG), SVG);
    this.grid = el("g", { class: "lc-grid" }, this.svg, SVG);
    this.plot = el("g", { "clip-path": `url(#${this.clipId})` }, this.svg, SVG);
    this.over = el("g", {}, this.svg, SVG);  // points and labels, not clipped
    this.caption = el("div", { class: "lc-caption" }, pic);
    this.resizer?.disconnect();
    this.width = null;
    this.resizer = new ResizeObserver(() => { if (this.layout()) { this.buildLayers(); this.show(this.owner.g); } });
    this.resizer.observe(pic);
    this.layout();
    this.buildLayers();
  }

  dispose() { this.resizer?.disconnect(); }

  // New data with the same layout: new ranges and ticks, new rows.
  refresh() {
    if (this.unchanged) return;
    if (this.box2) this.drawAxes();
    this.buildLayers();
  }

  layout() {
    const width = Math.round(this.svg.parentElement.getBoundingClientRect().width) || 480;
    if (width === this.width) return false;
    this.width = width;
    const f = parseFloat(getComputedStyle(this.svg).fontSize) || 14;
    this.font = f;
    const c = this.spec;
    const height = Math.round(Math.min(Math.max(width * 0.5, 14 * f), (c.height_rem || 22) * f));
    set(this.svg, { viewBox: `0 0 ${width} ${height}`, height });
    this.box2 = { x0: 3.6 * f, x1: width - 1.2 * f, y0: height - 2.8 * f, y1: 0.8 * f };
    const B = this.box2;
    set(this.clipRect, { x: B.x0, y: B.y1, width: B.x1 - B.x0, height: B.y0 - B.y1 });
    this.drawAxes();
    return true;
  }

  // Data to pixels: a linear map of the axis range onto the plot box (drawing only); a log axis maps
  // log10 of the value, so equal ratios are equal distances.
  px(v) {
    const c = this.spec;
    const B = this.box2;
    const [a, b] = c.x_log ? c.x_range.map(Math.log10) : c.x_range;
    const t = c.x_log ? Math.log10(v) : v;
    return B.x0 + ((t - a) / (b - a)) * (B.x1 - B.x0);
  }

  py(v) {
    const c = this.spec;
    const B = this.box2;
    if (v === Infinity) return B.y1 - 4 * this.font;
    if (v === -Infinity) return B.y0 + 4 * this.font;
    const [a, b] = c.y_log ? c.y_range.map(Math.log10) : c.y_range;
    let t = v;
    if (c.y_log) t = v > 0 ? Math.log10(v) : -Infinity;  // 0 on a log axis: below the bottom edge
    const y = Number.isFinite(t) ? B.y0 - ((t - a) / (b - a)) * (B.y0 - B.y1) : B.y0 + 4 * this.font;
    return Math.max(B.y1 - 4 * this.font, Math.min(B.y0 + 4 * this.font, y));
  }

  drawAxes() {
    const c = this.spec;
    const B = this.box2;
    const f = this.font;
    this.grid.replaceChildren();
    for (const [v, label] of c.y_ticks) {
      const y = this.py(v);
      el("line", { x1: B.x0, x2: B.x1, y1: y, y2: y, class: "gridline" }, this.grid, SVG);
      el("text", { x: B.x0 - 0.4 * f, y: y + 0.35 * f, class: "tick", "text-anchor": "end", text: label }, this.grid, SVG);
    }
    for (const [v, label] of c.x_ticks) {
      const x = this.px(v);
      el("line", { x1: x, x2: x, y1: B.y0, y2: B.y0 + 0.35 * f, class: "axis" }, this.grid, SVG);
      el("text", { x, y: B.y0 + 1.3 * f, class: "tick", "text-anchor": "middle", text: label }, this.grid, SVG);
    }
    el("line", { x1: B.x0, x2: B.x1, y1: B.y0, y2: B.y0, class: "axis" }, this.grid, SVG);
    el("line", { x1: B.x0, x2: B.x0, y1: B.y0, y2: B.y1, class: "axis" }, this.grid, SVG);
    el("text", { x: (B.x0 + B.x1) / 2, y: B.y0 + 2.5 * f, class: "axis-title", "text-anchor": "middle",
                 text: c.x_label }, this.grid, SVG);
    const my = (B.y0 + B.y1) / 2;
    el("text", { x: 0.9 * f, y: my, class: "axis-title", "text-anchor": "middle", transform: `rotate(-90 ${0.9 * f} ${my})`,
                 text: c.y_label }, this.grid, SVG);
  }

  marker(parent, style, x, y, r) {
    const node = this.markerShape(parent, style);
    this.placeMarker(node, x, y, r);
    return node;
  }

  // A marker is drawn at (0, 0) and moved with a transform, so a drag only changes one attribute.
  markerShape(parent, style) {
    const attrs = { fill: style.color, stroke: "#FFFFFF", "stroke-width": 1.5 };
    const s = style.symbol || "circle";
    if (s === "circle") return el("circle", { cx: 0, cy: 0, r: 1, ...attrs, "vector-effect": "non-scaling-stroke" }, parent, SVG);
    const pts = s === "square" ? [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]]
      : s === "diamond" ? [[0, -1.25], [1.1, 0], [0, 1.25], [-1.1, 0]]
        : [[0, -1.2], [1.1, 0.9], [-1.1, 0.9]];
    return el("polygon", { points: pts.map(([a, b]) => `${a},${b}`).join(" "), ...attrs,
                           "vector-effect": "non-scaling-stroke" }, parent, SVG);
  }

  placeMarker(node, x, y, r) {
    node.setAttribute("transform", `translate(${x.toFixed(1)},${y.toFixed(1)}) scale(${r.toFixed(2)})`);
  }

  buildLayers() {
    if (!this.svg) return;
    this.plot.replaceChildren();
    this.over.replaceChildren();
    for (const layer of this.layers) {
      const st = layer.style || {};
      const line = { fill: "none", stroke: st.color || "#262730", "stroke-width": st.width || 2.5,
                     "stroke-dasharray": DASH[st.dash || "solid"], "stroke-linejoin": "round" };
      if (layer.kind === "line") {
        layer.node = el("path", { ...line, d: this.path(layer.x, layer.y, 0, layer.x.length) }, this.plot, SVG);
      } else if (layer.kind === "curve") {
        layer.node = el("path", { ...line, "data-layer": layer.name }, this.plot, SVG);
      } else if (layer.kind === "segment" || layer.kind === "vline" || layer.kind === "hline") {
        layer.node = el("line", line, this.plot, SVG);
      } else if (layer.kind === "bars") {
        layer.node = el("g", { class: "lc-bars", "data-layer": layer.name }, this.plot, SVG);
        layer.rects = [];
        for (let i = 0; i < layer.x.length; i++) {
          layer.rects.push(el("rect", { fill: st.fill || st.color, "fill-opacity": st.opacity ?? 0.9,
                                        stroke: st.stroke || st.color, "stroke-width": st.width || 1.5,
                                        "stroke-dasharray": DASH[st.dash || "solid"] }, layer.node, SVG));
        }
      } else if (layer.kind === "point") {
        layer.node = el("g", { class: "lc-point", "data-layer": layer.name }, this.over, SVG);
        layer.dot = this.markerShape(layer.node, layer.style);
        layer.top = this.markerShape(layer.node, { ...layer.style, symbol: "triangle" });
        if (layer.labels) layer.text = el("text", { class: "lc-point-label" }, this.over, SVG);
      }
    }
  }

  path(xs, ys, start, n) {
    // Non-finite x or NaN y break the line; an infinite y is drawn at the clip edge.
    let d = "";
    let pen = false;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const y = ys[start + i];
      if (!Number.isFinite(x) || Number.isNaN(y)) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${this.px(x).toFixed(1)},${this.py(y).toFixed(1)}`;
      pen = true;
    }
    return d;
  }

  show(g) {
    if (g === null || g === undefined || !this.svg) return;
    const c = this.spec;
    const B = this.box2;
    const f = this.font;
    for (const layer of this.layers) {
      const node = layer.node;
      if (!node) continue;
      if (layer.kind === "curve") {
        const n = layer.x.length;
        node.setAttribute("d", this.path(layer.x, layer.y, g * n, n));
      } else if (layer.kind === "bars") {
        // One bar per category; a static layer has one row, a live one a row per grid position.
        const n = layer.x.length;
        const start = layer.rows ? g * n : 0;
        const half = (layer.bar_width || 0.35) / 2;
        const base = this.py(c.y_log ? c.y_range[0] : 0);
        for (let i = 0; i < n; i++) {
          const v = layer.y[start + i];
          const top = this.py(Number.isFinite(v) ? v : 0);
          const x0 = this.px(layer.x[i] - half + (layer.offset || 0));
          const x1 = this.px(layer.x[i] + half + (layer.offset || 0));
          set(layer.rects[i], { x: x0, width: Math.max(0, x1 - x0), y: Math.min(top, base),
                                height: Math.abs(base - top), "data-v": String(v) });
        }
      } else if (layer.kind === "segment") {
        const v = [layer.x0[g], layer.y0[g], layer.x1[g], layer.y1[g]];
        const ok = v.every(Number.isFinite);
        node.style.display = ok ? "" : "none";
        if (ok) set(node, { x1: this.px(v[0]), y1: this.py(v[1]), x2: this.px(v[2]), y2: this.py(v[3]) });
      } else if (layer.kind === "vline") {
        const x = layer.x[g];
        node.style.display = Number.isFinite(x) ? "" : "none";
        if (Number.isFinite(x)) set(node, { x1: this.px(x), x2: this.px(x), y1: B.y0, y2: B.y1 });
      } else if (layer.kind === "hline") {
        const y = layer.y[g];
        node.style.display = Number.isFinite(y) ? "" : "none";
        if (Number.isFinite(y)) set(node, { x1: B.x0, x2: B.x1, y1: this.py(y), y2: this.py(y) });
      } else if (layer.kind === "point") {
        const x = layer.x[g];
        const y = layer.y[g];
        const visible = Number.isFinite(x) && !Number.isNaN(y);
        node.style.display = visible ? "" : "none";
        if (visible) {
          const top = y > c.y_range[1];  // above the axis (or infinite): a triangle at the top edge
          const cy = top ? B.y1 : this.py(y);
          layer.dot.style.display = top ? "none" : "";
          layer.top.style.display = top ? "" : "none";
          this.placeMarker(top ? layer.top : layer.dot, this.px(x), cy, (layer.style.size || 0.45) * f);
          node.setAttribute("data-x", String(x));
          node.setAttribute("data-y", String(y));
          if (layer.text) {
            const right = this.px(x) < (B.x0 + B.x1) / 2;
            set(layer.text, { x: this.px(x) + (right ? 0.8 : -0.8) * f, y: Math.max(B.y1 + f, cy - 0.6 * f),
                              "text-anchor": right ? "start" : "end" });
            layer.text.textContent = layer.labels[g];
          }
        } else if (layer.text) layer.text.textContent = "";
      }
    }
    if (c.caption) {
      this.caption.textContent = c.caption[g];
      this.svg.setAttribute("aria-label", c.caption[g]);
    }
  }
}

class LiveChart {
  constructor(root, component) {
    this.root = root;
    this.component = component;
    this.drag = null;
    this.g = null;          // grid position on screen
    this.frame = 0;
    this.nextG = null;
    this.pendingKey = null;
    this.renders = 0;       // visible updates (read by tests and the benchmark)
    this.charts = [];
  }

  setData(data) {
    const old = this.data;
    this.data = data;
    this.G = data.n;
    const specs = data.chart ? [data.chart, ...(data.more_charts || [])] : [];
    const rebuilt = !old || old.layout_id !== data.layout_id || specs.length !== this.charts.length;
    if (rebuilt) {
      for (const chart of this.charts) chart.dispose();
      this.charts = specs.map((spec, i) => { const chart = new Chart(this, i); chart.setSpec(spec); return chart; });
      this.build();
    } else {
      specs.forEach((spec, i) => { this.charts[i].setSpec(spec); this.charts[i].refresh(); });
    }
    // A drag or a key commit in progress keeps the learner's position on screen; new data is drawn
    // at once either way (rebuilt layers and readouts start empty), e.g. a play tick during a drag.
    const busy = this.drag || this.pendingKey !== null;
    if (!busy) this.show(data.index);
    else this.show(Math.min(this.G - 1, this.g ?? data.index));
  }

  // ---- building the DOM ----
  build() {
    const d = this.data;
    if (!this.box) this.box = ownBox(this.root, "lc-root");  // (the style sheet is beside it)
    this.box.replaceChildren();
    const wrap = el("div", { class: "lc" + (d.presenter ? " presenter" : ""), "data-key": d.key }, this.box);
    // The control
    const control = el("div", { class: "lc-control" }, wrap);
    const head = el("div", { class: "lc-head" }, control);
    const labelId = `lc-label-${d.key}`;
    el("span", { class: "lc-label", id: labelId, text: d.label }, head);
    this.valueText = el("span", { class: "lc-value", "aria-hidden": "true" }, head);
    this.slider = el("div", {
      class: "lc-slider", role: "slider", tabindex: "0", "aria-labelledby": labelId,
      "aria-valuemin": String(d.min), "aria-valuemax": String(d.max), "aria-orientation": "horizontal",
    }, control);
    this.rail = el("div", { class: "lc-rail" }, this.slider);
    this.fill = el("div", { class: "lc-fill" }, this.rail);
    this.thumb = el("div", { class: "lc-thumb" }, this.rail);
    const ends = el("div", { class: "lc-ends", "aria-hidden": "true" }, control);
    el("span", { text: d.min_label }, ends);
    if (d.hint) el("span", { class: "lc-hint", text: d.hint }, ends);
    el("span", { text: d.max_label }, ends);
    this.listen();
    // Readouts
    this.readouts = [];
    if (d.readouts.length) {
      const box = el("div", { class: "lc-readouts" }, wrap);
      for (const r of d.readouts) {
        const item = el("div", { class: "lc-readout" }, box);
        el("div", { class: "label", text: r.label }, item);
        this.readouts.push({ node: el("div", { class: "number", "data-readout": r.name }, item) });
      }
    }
    // The charts: the first right under the control, further ones side by side under it where there is room
    if (this.charts.length) {
      this.charts[0].build(wrap);
      if (this.charts.length > 1) {
        const more = el("div", { class: "lc-more" }, wrap);
        for (const chart of this.charts.slice(1)) chart.build(more);
      }
    }
  }

  // ---- input ----
  listen() {
    const s = this.slider;
    s.addEventListener("pointerdown", (e) => {
      if (e.button !== undefined && e.button > 0) return;
      e.preventDefault();
      s.setPointerCapture(e.pointerId);
      s.focus({ preventScroll: true });
      this.drag = { pointerId: e.pointerId, g: null };
      this.move(e);
    });
    s.addEventListener("pointermove", (e) => { if (this.drag && this.drag.pointerId === e.pointerId) this.move(e); });
    const end = (e) => {
      if (!this.drag || this.drag.pointerId !== e.pointerId) return;
      this.move(e);
      const { g } = this.drag;
      this.drag = null;
      if (g !== null) this.commit(g);
    };
    s.addEventListener("pointerup", end);
    s.addEventListener("pointercancel", end);
    s.addEventListener("keydown", (e) => this.key(e));
  }

  move(e) {
    // Geometry of the pointer: the fraction of the rail left of it, rounded to a grid position.
    const box = this.rail.getBoundingClientRect();
    const frac = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
    const g = Math.round(frac * (this.G - 1));
    if (g === this.drag.g) return;
    this.drag.g = g;
    this.nextG = g;
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.show(this.nextG); });
  }

  key(e) {
    const steps = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };
    let g;
    if (e.key in steps) g = this.g + steps[e.key];
    else if (e.key === "Home") g = 0;
    else if (e.key === "End") g = this.G - 1;
    else return;
    e.preventDefault();
    g = Math.min(this.G - 1, Math.max(0, g));
    this.show(g);
    // A held key sends one commit when it pauses, not one per repeat.
    clearTimeout(this.pendingKey);
    this.pendingKey = setTimeout(() => { this.pendingKey = null; this.commit(this.g); }, 350);
  }

  commit(g) {
    this.component.setTriggerValue("pick", { g });
  }

  // ---- drawing position g ----
  show(g) {
    if (g === null || g === undefined) return;
    const d = this.data;
    this.g = g;
    this.renders += 1;
    const frac = this.G > 1 ? g / (this.G - 1) : 0;
    this.fill.style.width = `${frac * 100}%`;
    this.thumb.style.left = `${frac * 100}%`;
    this.slider.setAttribute("aria-valuenow", String(d.values[g]));
    this.slider.setAttribute("aria-valuetext", d.value_text[g]);
    this.slider.dataset.g = String(g);
    this.valueText.textContent = d.value_text[g];
    // the texts of the data now shown (new data with the same layout keeps the nodes, not the texts)
    this.readouts.forEach((r, i) => { r.node.textContent = d.readouts[i].text[g]; });
    for (const chart of this.charts) chart.show(g);
    this.root.host?.setAttribute?.("data-live-renders", String(this.renders));
    this.box.firstChild?.setAttribute("data-g", String(g));
  }
}

export default function (component) {
  const { parentElement, data } = component;
  if (!data) return;
  let chart = STATE.get(parentElement);
  if (!chart) {
    chart = new LiveChart(parentElement, component);
    STATE.set(parentElement, chart);
  }
  chart.component = component;
  chart.setData(data);
  return () => STATE.delete(parentElement);
}
