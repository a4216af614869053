// A lesson control and the chart it drives: one labelled slider, an SVG chart right under it, and
// readouts. Plain ES module, no build step, nothing from a network.
//
// It computes no mathematics. Python (ce_core) sends, for every position g of the control's grid,
// everything that position shows: the y values of the curves that depend on the parameter, the
// coordinates of points, lines and segments, and the readout texts. While the pointer moves the
// module only picks row g and draws it (the axis mapping from data to pixels is drawing, not
// mathematics). On release (or when a key press pauses) it sends g back once; Python sets the
// parameter to grid[g] and the page settles to it. The plot frame, chart layers, dragging and keys
// come from the kit (lab/components/shared.js).

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
        if (!values) { same = false; values = decoded.get(text) || decodeTable(layer[name], f32); }
        decoded.set(text, values);
        out[name] = values;
      }
      return out;
    });
    this.decoded = decoded;
    // The same tables, axes and styles as drawn: keep the drawn nodes (a rerun after a release only
    // brings the new position, and maybe new texts).
    const signature = JSON.stringify([spec.x_range, spec.y_range, spec.x_ticks, spec.y_ticks, spec.x_log, spec.y_log,
                                  spec.layers.map((l) => [l.kind, l.name, l.style, l.rows, l.n, !!l.labels])]);
    this.unchanged = same && old && old.length === this.layers.length && signature === this.signature;
    this.signature = signature;
    if (this.unchanged) {
      this.layers.forEach((layer, i) => {
        for (const k of ["node", "dot", "top", "text", "rects"]) if (old[i][k]) layer[k] = old[i][k];
      });
    }
  }

  build(parent) {
    const c = this.spec;
    const key = this.owner.data.key;
    this.frame?.dispose();
    Object.assign(this, chartFigure(parent, c, {
      figure: { class: "lc-chart", "data-chart": c.key || `${key}_${this.index}` }, svgClass: "lc-svg",
      clipId: `lc-clip-${key}-${this.index}`, captionClass: "lc-caption",
      marker: (sw, style) => this.marker(sw, style, 14, 6, 5),
      frame: { aspect: 0.5, minRem: 14, maxRem: c.height_rem || 22, overshoot: 4,
               box: (width, height, f) => ({ x0: 3.6 * f, x1: width - 1.2 * f, y0: height - 2.8 * f, y1: 0.8 * f }) },
      redraw: () => { this.drawAxes(); this.buildLayers(); this.show(this.owner.g); },
    }));
    if (this.frame.measure()) this.drawAxes();
    this.buildLayers();
  }

  dispose() { this.frame?.dispose(); }

  // New data with the same layout: new ranges and ticks, new rows.
  refresh() {
    if (this.unchanged) return;
    if (this.frame) this.drawAxes();
    this.buildLayers();
  }

  drawAxes() { this.frame.drawSpec(this.grid, this.spec); }

  marker(parent, style, x, y, r) {
    const node = this.markerShape(parent, style);
    this.placeMarker(node, x, y, r);
    return node;
  }

  // A marker is drawn at (0, 0) and moved with a transform, so a drag only changes one attribute.
  markerShape(parent, style) {
    const attrs = { fill: style.color, style: "stroke: var(--ce-paper)", "stroke-width": 1.5 };
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
    this.clearLayers();
    for (const layer of this.layers) {
      const st = layer.style || {};
      const line = { fill: "none", ...strokeOf(st), "stroke-width": st.width || 2.5,
                     "stroke-dasharray": DASH[st.dash || "solid"], "stroke-linejoin": "round" };
      if (layer.kind === "line") {
        layer.node = el("path", { ...line, d: this.path(layer.x, layer.y, 0, layer.x.length) }, this.plot, SVG);
      } else if (layer.kind === "curve") {
        layer.node = el("path", { ...line, "data-layer": layer.name }, this.plot, SVG);
      } else if (layer.kind === "segment" || layer.kind === "vline" || layer.kind === "hline") {
        layer.node = el("line", line, this.plot, SVG);
      } else if (layer.kind === "bars") {
        layer.node = el("g", { class: "lc-bars", "data-layer": layer.name }, this.plot, SVG);
        barRects(layer, layer.node);
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
    const F = this.frame;
    let d = "";
    let pen = false;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const y = ys[start + i];
      if (!Number.isFinite(x) || Number.isNaN(y)) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${F.px(x).toFixed(1)},${F.py(y).toFixed(1)}`;
      pen = true;
    }
    return d;
  }

  show(g) {
    if (g === null || g === undefined || !this.svg) return;
    const c = this.spec;
    const F = this.frame;
    const B = F.box;
    const f = F.font;
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
        const base = F.py(c.y_log ? c.y_range[0] : 0);
        for (let i = 0; i < n; i++) {
          const v = layer.y[start + i];
          const top = F.py(Number.isFinite(v) ? v : 0);
          const x0 = F.px(layer.x[i] - half + (layer.offset || 0));
          const x1 = F.px(layer.x[i] + half + (layer.offset || 0));
          set(layer.rects[i], { x: x0, width: Math.max(0, x1 - x0), y: Math.min(top, base),
                                height: Math.abs(base - top), "data-v": String(v) });
        }
      } else if (layer.kind === "segment") {
        const v = [layer.x0[g], layer.y0[g], layer.x1[g], layer.y1[g]];
        const ok = v.every(Number.isFinite);
        node.style.display = ok ? "" : "none";
        if (ok) set(node, { x1: F.px(v[0]), y1: F.py(v[1]), x2: F.px(v[2]), y2: F.py(v[3]) });
      } else if (layer.kind === "vline") {
        const x = layer.x[g];
        node.style.display = Number.isFinite(x) ? "" : "none";
        if (Number.isFinite(x)) set(node, { x1: F.px(x), x2: F.px(x), y1: B.y0, y2: B.y1 });
      } else if (layer.kind === "hline") {
        const y = layer.y[g];
        node.style.display = Number.isFinite(y) ? "" : "none";
        if (Number.isFinite(y)) set(node, { x1: B.x0, x2: B.x1, y1: F.py(y), y2: F.py(y) });
      } else if (layer.kind === "point") {
        const x = layer.x[g];
        const y = layer.y[g];
        const visible = Number.isFinite(x) && !Number.isNaN(y);
        node.style.display = visible ? "" : "none";
        if (visible) {
          const top = y > c.y_range[1];  // above the axis (or infinite): a triangle at the top edge
          const cy = top ? B.y1 : F.py(y);
          layer.dot.style.display = top ? "none" : "";
          layer.top.style.display = top ? "" : "none";
          this.placeMarker(top ? layer.top : layer.dot, F.px(x), cy, (layer.style.size || 0.45) * f);
          node.setAttribute("data-x", String(x));
          node.setAttribute("data-y", String(y));
          if (layer.text) {
            const right = F.px(x) < (B.x0 + B.x1) / 2;
            set(layer.text, { x: F.px(x) + (right ? 0.8 : -0.8) * f, y: Math.max(B.y1 + f, cy - 0.6 * f),
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

class LiveChart extends Control {
  constructor(root, component) {
    super(root, component);  // this.input: dragging the slider, keys on it
    this.g = null;           // grid position on screen
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
    const busy = this.input.busy;
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
    this.input.attach(this.slider, 0, { axis: "x", rail: this.rail });
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

  // ---- input (the kit's ControlInput calls these; the one target is 0) ----
  positions() { return this.G; }

  draw(_target, g) { this.show(g); }

  key(e) {
    const g = ControlInput.keyTarget(e, this.g, this.g, this.G - 1);
    if (g === null) return;
    this.show(g);
    this.input.queueKey(0, g);
  }

  commit(_target, g) {
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

export default mount(LiveChart);
