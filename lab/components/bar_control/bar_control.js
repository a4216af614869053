// A lesson control made of N vertical bars the learner drags (logits, class weights), with the chart
// they drive beside them and readouts. Plain ES module, no build step, nothing from a network.
//
// It computes no mathematics. Python (ce_core.bar_tables) sends a table with one row per (bar b,
// grid position g), row r = b * G + g, plus a last row for the state as it is: the heights of the
// chart's bars and points, the numbers under the bars and the readout texts of that state. While the
// pointer moves the module only picks row r and draws it (mapping data to pixels is drawing, not
// mathematics). On release (or when a key press pauses) it sends (b, g) once; Python sets value b
// to grid[g] and the page settles to it. The plot frame, chart layers, dragging and keys come from
// the kit (lab/components/shared.js).

// Formatting only: fixed decimals with an explicit sign, as Python's f"{v:+.3f}".
function signed(v, digits) {
  if (Number.isNaN(v)) return "undefined";
  if (!Number.isFinite(v)) return v > 0 ? "+∞" : "-∞";
  return (v < 0 ? "-" : "+") + Math.abs(v).toFixed(digits);
}

class BarControl extends Control {
  row = null;  // the row on screen (this.input: dragging a bar, keys on it)

  setData(data) {
    const old = this.data;
    this.data = data;
    this.N = data.names.length;
    this.G = data.values.length;
    this.R = this.N * this.G + 1;
    this.layers = (data.chart ? data.chart.layers : []).map((layer) => {
      const out = { ...layer };
      for (const name of ["x", "y"]) if (layer[name]) out[name] = decodeTable(layer[name]);
      return out;
    });
    this.sub = data.sub ? { ...data.sub, v: decodeTable(data.sub.values) } : null;
    const rebuilt = !old || old.layout_id !== data.layout_id;
    if (rebuilt) {
      // a rebuilt layout keeps the keyboard focus on the bar that had it
      const focused = (this.tracks || []).findIndex((t) => this.root.activeElement === t.track);
      this.build();
      if (focused >= 0 && focused < this.tracks.length) this.tracks[focused].track.focus({ preventScroll: true });
    } else {
      if (this.svg) this.drawAxes();  // the axis range may follow the state (the class weights' does)
      this.buildLayers();
      // the same layout: the readouts take the new texts (they are per row of the new table)
      this.readouts.forEach((ro, i) => { ro.text = data.readouts[i].text; });
    }
    const busy = this.input.busy;
    if (!busy) this.show(this.R - 1);
    else if (rebuilt && this.row !== null) this.show(Math.min(this.R - 1, this.row));
  }

  // ---- building the DOM ----
  build() {
    const d = this.data;
    if (!this.box) this.box = ownBox(this.root, "bc-root");
    this.box.replaceChildren();
    // many bars need the whole width: the chart goes under them
    const many = this.N > 6 ? " many" : "";
    const wrap = el("div", { class: "bc" + (d.presenter ? " presenter" : "") + (d.chart ? " with-chart" : "") + many,
                             "data-key": d.key }, this.box);
    this.wrap = wrap;
    const control = el("div", { class: "bc-control" }, wrap);
    const head = el("div", { class: "bc-head" }, control);
    el("span", { class: "bc-label", id: `bc-label-${d.key}`, text: d.label }, head);
    if (d.hint) el("span", { class: "bc-hint", text: d.hint }, head);
    const bars = el("div", { class: "bc-bars", role: "group", "aria-labelledby": `bc-label-${d.key}` }, control);
    this.barsBox = bars;
    const span = d.max - d.min;
    const zeroFrac = Math.min(1, Math.max(0, (d.zero - d.min) / span));
    this.zeroFrac = zeroFrac;
    // the scale of the tracks: the ends of the range and the zero line, beside the first bar
    const scale = el("div", { class: "bc-scale", "aria-hidden": "true" }, bars);
    const marks = [[1, d.max_label], [0, d.min_label]];
    if (zeroFrac > 0.08 && zeroFrac < 0.92) marks.push([zeroFrac, d.zero_label]);
    for (const [frac, text] of marks) {
      el("span", { class: "bc-mark", style: `bottom: ${frac * 100}%`, text }, scale);
    }
    this.tracks = [];
    for (let i = 0; i < this.N; i++) {
      const col = el("div", { class: "bc-col" }, bars);
      const track = el("div", {
        class: "bc-track", role: "slider", tabindex: "0",
        "aria-label": `${d.bar_prefix}${d.names[i]}`,
        "aria-valuemin": String(d.min), "aria-valuemax": String(d.max), "aria-orientation": "vertical",
        "data-bar": String(i),
      }, col);
      el("div", { class: "bc-zero", style: `bottom: ${zeroFrac * 100}%` }, track);
      const fill = el("div", { class: "bc-fill" }, track);
      const value = el("div", { class: "bc-value" }, track);
      el("div", { class: "bc-name", text: d.names[i], title: d.names[i] }, col);
      const sub = this.sub ? el("div", { class: "bc-sub", "data-sub": String(i) }, col) : null;
      this.tracks.push({ track, fill, value, sub });
      this.input.attach(track, i);
    }
    if (this.sub) el("div", { class: "bc-sub-label", text: this.sub.label }, control);
    this.readouts = [];
    if (d.readouts.length) {
      const box = el("div", { class: "bc-readouts", "aria-live": "polite" }, wrap);
      for (const r of d.readouts) {
        const item = el("div", { class: "bc-readout" }, box);
        el("div", { class: "label", text: r.label }, item);
        this.readouts.push({ name: r.name, node: el("div", { class: "number", "data-readout": r.name }, item), text: r.text });
      }
    }
    this.svg = null;
    if (d.chart) {
      const c = d.chart;
      this.frame?.dispose();
      Object.assign(this, chartFigure(wrap, c, {
        figure: { class: "bc-chart" }, svgClass: "lc-svg bc-svg", clipId: `bc-clip-${d.key}`,
        captionClass: "lc-caption bc-caption",
        frame: { aspect: 0.55, minRem: 12, maxRem: c.height_rem || 18, width: 420, clipPad: 1,
                 box: (width, height, f) => ({ x0: 3.6 * f, x1: width - 0.6 * f, y0: height - 2.8 * f, y1: 1.2 * f }) },
        redraw: () => { this.drawAxes(); this.buildLayers(); this.show(this.row); },
      }));
      if (this.frame.measure()) this.drawAxes();
      this.buildLayers();
    }
  }

  // The chart's axes (the zero line is the x axis: bars grow up or down from it).
  drawAxes() { this.frame.drawSpec(this.grid, this.data.chart, { marks: false, baseline: 0 }); }

  buildLayers() {
    if (!this.svg) return;
    this.clearLayers();
    for (const layer of this.layers) {
      const st = layer.style || {};
      if (layer.kind === "bars") {
        layer.node = el("g", { class: "bc-chart-bars", "data-layer": layer.name }, this.plot, SVG);
        layer.tops = [];
        // a bar taller than the axis: an arrow and its value at the top edge
        barRects(layer, layer.node, () => layer.tops.push(el("text", { class: "bc-over", "text-anchor": "middle" }, this.over, SVG)));
      } else if (layer.kind === "hline") {
        layer.node = el("g", { class: "bc-hline", "data-layer": layer.name }, this.over, SVG);
        layer.line = el("line", { ...strokeOf(st), "stroke-width": st.width || 2.5,
                                  "stroke-dasharray": DASH[st.dash || "solid"] }, layer.node, SVG);
        layer.text = el("text", { class: "lc-point-label", "text-anchor": "start" }, layer.node, SVG);
      }
    }
  }

  // ---- input (the kit's ControlInput calls these) ----
  positions() { return this.G; }

  draw(bar, g) { this.show(bar * this.G + g); }

  // The grid position bar i has in row r: the dragged bar's g, else its current position.
  position(r, i) {
    const last = this.R - 1;
    if (r !== last && Math.floor(r / this.G) === i) return r % this.G;
    return this.data.current[i];
  }

  key(e, bar) {
    const now = this.position(this.row ?? this.R - 1, bar);
    const g = ControlInput.keyTarget(e, now, now, this.G - 1);
    if (g === null) return;
    this.input.queueKey(bar, g);
    this.show(bar * this.G + g);
  }

  commit(bar, g) {
    this.component.setTriggerValue("edit", { bar, g });
  }

  // ---- drawing row r ----
  show(r) {
    if (r === null || r === undefined) return;
    const d = this.data;
    this.row = r;
    this.renders += 1;
    const span = d.max - d.min;
    for (let i = 0; i < this.N; i++) {
      const t = this.tracks[i];
      const g = this.position(r, i);
      const v = d.values[g];
      const frac = (v - d.min) / span;
      const lo = Math.min(frac, this.zeroFrac);
      t.fill.style.bottom = `${lo * 100}%`;
      t.fill.style.height = `${Math.abs(frac - this.zeroFrac) * 100}%`;
      t.fill.classList.toggle("negative", frac < this.zeroFrac);
      t.value.textContent = d.value_text[g];
      const above = frac >= this.zeroFrac;
      // the value sits beyond the bar's end, or inside it when the end is at the edge of the track
      const inside = above ? frac > 0.88 : frac < 0.12;
      const at = above ? (inside ? frac - 0.1 : frac) : (inside ? frac + 0.02 : frac - 0.09);
      t.value.style.bottom = `${Math.min(0.92, Math.max(0, at)) * 100}%`;
      t.value.classList.toggle("inside", inside);
      t.track.setAttribute("aria-valuenow", String(v));
      t.track.setAttribute("aria-valuetext", `${d.names[i]}: ${d.value_name} = ${d.value_text[g]}`);
      t.track.dataset.g = String(g);
      if (t.sub) t.sub.textContent = signed(this.sub.v[r * this.N + i], this.sub.digits);
    }
    const texts = {};
    for (const ro of this.readouts) {
      ro.node.textContent = ro.text[r];
      texts[ro.name] = ro.text[r];
    }
    if (this.svg) this.showChart(r, texts);
    this.root.host?.setAttribute?.("data-bar-renders", String(this.renders));
    const last = this.R - 1;
    set(this.wrap, { "data-row": r, "data-bar": r === last ? -1 : Math.floor(r / this.G),
                     "data-g": r === last ? -1 : r % this.G });
  }

  showChart(r, texts) {
    const c = this.data.chart;
    const F = this.frame;
    const B = F.box;
    const f = F.font;
    const top = c.y_range[1];
    for (const layer of this.layers) {
      if (layer.kind === "bars") {
        const n = layer.x.length;
        const start = layer.rows ? r * n : 0;
        const half = (layer.bar_width || 0.35) / 2;
        const base = F.py(0);
        for (let i = 0; i < n; i++) {
          const v = layer.y[start + i];
          const shown = Number.isFinite(v) ? v : 0;
          const y = F.py(shown);
          const x0 = F.px(layer.x[i] - half + (layer.offset || 0));
          const x1 = F.px(layer.x[i] + half + (layer.offset || 0));
          set(layer.rects[i], { x: x0, width: Math.max(0, x1 - x0), y: Math.min(y, base),
                                height: Math.abs(base - y), "data-v": String(v) });
          const over = layer.tops[i];
          if (shown > top) {
            set(over, { x: (x0 + x1) / 2, y: B.y1 + 0.9 * f });
            over.textContent = `↑${shown.toFixed(1)}`;
          } else over.textContent = "";
        }
      } else if (layer.kind === "hline") {
        const y = layer.y[r];
        const ok = Number.isFinite(y);
        layer.node.style.display = ok ? "" : "none";
        layer.node.setAttribute("data-y", String(y));
        if (ok) {
          const py = F.py(y);
          set(layer.line, { x1: B.x0, x2: B.x1, y1: py, y2: py });
          // the label at the left end, above its line or (layer.below) under it
          set(layer.text, { x: B.x0 + 0.4 * f, y: layer.below ? py + 1.05 * f : py - 0.35 * f });
          layer.text.textContent = layer.label ? layer.label.replace("{}", texts[layer.label_readout] ?? "") : "";
        }
      }
    }
    if (c.caption) {
      let text = c.caption;
      for (const [name, value] of Object.entries(texts)) text = text.split(`{${name}}`).join(value);
      const values = [];
      for (let i = 0; i < this.N; i++) values.push(this.data.value_text[this.position(r, i)]);
      text = text.split("{values}").join(values.join(", "));
      if (this.sub) {
        const subs = [];
        for (let i = 0; i < this.N; i++) subs.push(`${this.data.names[i]} ${signed(this.sub.v[r * this.N + i], this.sub.digits)}`);
        text = text.split("{sub}").join(subs.join(", "));
      }
      this.caption.textContent = text;
      this.svg.setAttribute("aria-label", text);
    }
  }
}

export default mount(BarControl);
