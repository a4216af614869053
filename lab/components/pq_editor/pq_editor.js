// The p/q editor: bars of p (truth) and q (model) that the learner drags, with live readouts and
// the lesson's picture beside them. Plain ES module, no build step, nothing from a network.
//
// It computes no mathematics. Python (ce_core.editing.drag_table) sends, for every bar and every
// position 0, 0.01, ..., 1, the whole state that position gives (p, q, surprisals, terms, H(p),
// H(q), H(p,q), KL); while the pointer moves the module only looks a record up and draws it. On
// release (or after a key press) it tells Python which bar went to which position; Python applies
// the same rule (ce_core.editing.set_probability) and the page settles to that state. The plot
// frame, dragging and keys come from the kit (lab/components/shared.js).

// Formatting only (no arithmetic on the values): fixed decimals, and the infinity sign.
function fmt(value, digits) {
  if (value === Infinity) return "∞";
  if (Number.isNaN(value)) return "undefined";
  return value.toFixed(digits);
}

class Editor extends Control {
  shown = null;  // the record on screen (this.input: dragging a bar, keys on it)

  setData(data) {
    const old = this.data;
    this.data = data;
    this.table = decodeTable(data.table);
    this.R = data.record_length;
    this.G = data.steps + 1;
    this.off = data.offsets;
    const structural = !old || old.k !== data.k || old.layout_id !== data.layout_id;
    if (structural) this.build();
    this.scale = data.scale;
    if (!this.input.drag) this.show(this.current());
    this.showError(data.error);
  }

  current() {
    const start = 2 * this.data.k * this.G * this.R;
    return this.table.subarray(start, start + this.R);
  }

  record(bar, g) {
    const start = (bar * this.G + g) * this.R;
    return this.table.subarray(start, start + this.R);
  }

  field(rec, name, i = null) {
    const at = this.off[name];
    return i === null ? rec[at] : rec[at + i];
  }

  // ---- building the DOM (once per class count / layout) ----
  build() {
    const d = this.data;
    // Our own box inside the mount point: Streamlit keeps the style sheet beside it.
    if (!this.box) this.box = ownBox(this.root, "pqe-root");
    this.box.replaceChildren();
    const wrap = el("div", { class: "pqe" + (d.picture ? " with-picture" : "") + (d.presenter ? " presenter" : "") },
                    this.box);
    const left = wrap; // a grid: CSS places each part (bars, picture, readouts) for wide and phone
    const legend = el("div", { class: "pqe-legend" }, left);
    for (const dist of d.dists) {
      const item = el("span", { class: `key key-${dist}` }, legend);
      el("span", { class: `swatch swatch-${dist}` }, item);
      el("span", { text: d.labels[dist] }, item);
    }
    el("span", { class: "hint", text: d.labels.hint }, legend);
    const bars = el("div", { class: "pqe-bars", role: "group", "aria-label": d.labels.group }, left);
    this.tracks = [];
    for (let i = 0; i < d.k; i++) {
      const col = el("div", { class: "pqe-class" }, bars);
      const pair = el("div", { class: "pqe-pair" }, col);
      for (const dist of d.dists) {
        const bar = dist === "p" ? i : d.k + i;
        const locked = d.locked[dist];
        const track = el("div", {
          class: `pqe-track track-${dist}` + (locked ? " locked" : ""),
          role: "slider", tabindex: "0",
          "aria-label": `${dist}(${d.names[i]})`,
          "aria-valuemin": "0", "aria-valuemax": "1",
          "aria-orientation": "vertical",
          "data-bar": String(bar), "data-dist": dist,
        }, pair);
        if (locked) track.setAttribute("aria-readonly", "true");
        const fill = el("div", { class: `pqe-fill fill-${dist}` }, track);
        const value = el("div", { class: "pqe-value" }, track);
        const letter = el("div", { class: "pqe-letter", text: dist }, track);
        this.tracks.push({ track, fill, value, letter, bar, dist, i });
        if (!locked) this.input.attach(track, bar);
      }
      el("div", { class: "pqe-name", text: d.names[i], title: d.names[i] }, col);
    }
    // Typed exact values
    const typed = el("div", { class: "pqe-typed" }, left);
    this.inputs = {};
    for (const dist of d.dists) {
      const label = el("label", { class: "pqe-input" }, typed);
      el("span", { text: `${dist} =` }, label);
      const input = el("input", {
        type: "text", inputmode: "decimal", spellcheck: "false", autocomplete: "off",
        "aria-label": d.labels[`type_${dist}`], "data-dist": dist,
      }, label);
      if (d.locked[dist]) input.setAttribute("readonly", "true");
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") { e.preventDefault(); this.commitTyped(dist, input.value); }
        if (e.key === "Escape") { input.value = this.typedText(this.shown, dist); input.blur(); }
      });
      input.addEventListener("change", () => this.commitTyped(dist, input.value));
      this.inputs[dist] = input;
    }
    this.errorBox = el("div", { class: "pqe-error", role: "alert" }, left);

    // Readouts
    const readouts = el("div", { class: "pqe-readouts", "aria-live": "polite" }, left);
    this.readouts = {};
    for (const [name, label] of d.readouts) {
      const box = el("div", { class: `pqe-readout readout-${name}` }, readouts);
      el("div", { class: "label", text: label }, box);
      this.readouts[name] = el("div", { class: "number", "data-readout": name }, box);
    }
    if (d.dists.length === 2) {
      const deco = el("div", { class: "pqe-deco", "aria-hidden": "true" }, left);
      this.decoH = el("div", { class: "seg seg-h" }, deco);
      this.decoKL = el("div", { class: "seg seg-kl" }, deco);
      this.decoLabel = el("div", { class: "pqe-deco-label" }, left);
    }
    // Picture
    if (d.picture) {
      const right = el("div", { class: "pqe-picture" }, wrap);
      right.style.gridArea = "picture";
      el("div", { class: "pqe-picture-title", text: d.labels.picture_title }, right);
      this.svg = el("svg", { class: "pqe-svg", viewBox: "0 0 400 250", role: "img",
                             "aria-label": d.labels.picture_title }, right, SVG);
      this.pictureCaption = el("div", { class: "pqe-picture-caption" }, right);
      this.buildPicture();
    }
  }

  buildPicture() {
    const d = this.data;
    const s = this.svg;
    const defs = el("defs", {}, s, SVG);
    const pat = el("pattern", { id: "pqe-hatch", width: "6", height: "6", patternUnits: "userSpaceOnUse",
                                patternTransform: "rotate(45)" }, defs, SVG);
    el("rect", { width: "6", height: "6", class: "hatch-bg" }, pat, SVG);
    el("line", { x1: "0", y1: "0", x2: "0", y2: "6", class: "hatch-line", "stroke-width": "2" }, pat, SVG);
    const patKL = el("pattern", { id: "pqe-kl", width: "6", height: "6", patternUnits: "userSpaceOnUse",
                                  patternTransform: "rotate(-45)" }, defs, SVG);
    el("rect", { width: "6", height: "6", class: "kl-bg" }, patKL, SVG);
    el("line", { x1: "0", y1: "0", x2: "0", y2: "6", class: "kl-line", "stroke-width": "2" }, patKL, SVG);
    const patSave = el("pattern", { id: "pqe-save", width: "6", height: "6", patternUnits: "userSpaceOnUse",
                                    patternTransform: "rotate(45)" }, defs, SVG);
    el("line", { x1: "0", y1: "0", x2: "0", y2: "6", class: "save-line", "stroke-width": "2.5" }, patSave, SVG);
    this.axis = el("g", { class: "axis" }, s, SVG);
    this.ticks = el("g", { class: "ticks" }, s, SVG);
    this.titles = el("g", {}, s, SVG);
    // Bars from 0 (x from 0 to 1 of the plot box, y from 0 to the scale's top, set by drawTicks).
    this.frame?.dispose();
    this.frame = new PlotFrame(s, { aspect: 0.6, minRem: 12, maxRem: 26, width: 400, font: 13, sized: false,
                                    box: (width, height, f) => ({ x0: 3.4 * f, x1: width - 4, y1: 1.7 * f,
                                                                  y0: height - (d.labels.x_axis ? 2.7 : 1.6) * f }) });
    if (this.frame.measure()) this.drawFrame();
    // The drawing is in CSS pixels (text in rem, so presenter mode enlarges it): redo it on resize.
    this.frame.observe(s.parentElement, () => {
      this.drawFrame();
      if (this.shown) { this.tickMax = null; this.showPicture(this.shown); }
    });
    this.cols = [];
    for (let i = 0; i < d.k; i++) {
      const g = el("g", { class: "col" }, s, SVG);
      const c = {
        p: el("rect", { class: "area-p" }, g, SVG),
        extra: el("rect", { class: "extra", fill: "url(#pqe-kl)" }, g, SVG),
        q: el("rect", { class: "area-q", fill: d.picture === "surprisal" ? "url(#pqe-hatch)" : "none" }, g, SVG),
        inf: el("text", { class: "inf", text: "∞" }, g, SVG),
        name: el("text", { class: "col-name", text: d.names[i] }, g, SVG),
        label: el("text", { class: "col-label" }, g, SVG),
        labelP: el("text", { class: "col-label col-label-p" }, g, SVG),
      };
      if (!d.dists.includes("q")) { c.q.style.display = "none"; c.extra.style.display = "none"; }
      this.cols.push(c);
    }
  }

  // The axes and their titles, at the frame's size (the ticks follow the scale: drawTicks).
  drawFrame() {
    const F = this.frame;
    this.axis.replaceChildren();
    F.axisLines(this.axis, "axis-line");
    this.titles.replaceChildren();
    F.titles(this.titles, this.data.labels.x_axis, this.data.labels.y_axis, F.height - 0.3 * F.font);
  }

  // ---- input (the kit's ControlInput calls these) ----
  positions() { return this.G; }

  grab() { this.root.host?.classList?.add("dragging"); }

  draw(bar, g) { this.show(this.record(bar, g)); }

  key(e, bar) {
    const dist = bar < this.data.k ? "p" : "q";
    const now = this.field(this.shown, dist, bar % this.data.k);
    const last = this.G - 1;
    // Grid positions around the current value: the next one up or down (index arithmetic).
    const g = ControlInput.keyTarget(e, Math.floor(now * last + 1e-9), Math.ceil(now * last - 1e-9), last);
    if (g === null) return;
    this.show(this.record(bar, g));
    this.input.queueKey(bar, g);
  }

  commit(bar, g) {
    this.component.setTriggerValue("edit", { kind: "drag", bar, g, token: this.data.token });
  }

  commitTyped(dist, text) {
    if (text === this.typedText(this.shown, dist)) return;
    this.component.setTriggerValue("edit", { kind: "type", dist, text, token: this.data.token });
  }

  // ---- drawing a record ----
  typedText(rec, dist) {
    const vals = [];
    for (let i = 0; i < this.data.k; i++) vals.push(String(Number(this.field(rec, dist, i).toPrecision(12))));
    return vals.join(", ");
  }

  show(rec) {
    if (!rec) return;
    this.shown = rec;
    this.renders += 1;
    const d = this.data;
    const digits = d.digits;
    for (const t of this.tracks) {
      const v = this.field(rec, t.dist, t.i);
      t.fill.style.height = `${v * 100}%`;
      t.value.textContent = v.toFixed(d.bar_digits);
      t.value.style.bottom = `calc(${v * 100}% + 2px)`;
      t.value.classList.toggle("inside", v > 0.85);
      t.letter.style.visibility = v >= 0.15 ? "" : "hidden"; // a short bar: its value label sits there
      t.track.setAttribute("aria-valuenow", v.toFixed(3));
      t.track.setAttribute("aria-valuetext", `${d.names[t.i]}: ${t.dist} = ${v.toFixed(3)}`);
    }
    for (const [dist, input] of Object.entries(this.inputs)) {
      if (this.root.activeElement !== input) input.value = this.typedText(rec, dist);
    }
    for (const [name, node] of Object.entries(this.readouts)) {
      node.textContent = `${fmt(this.field(rec, name), digits)} ${d.unit}`;
    }
    if (this.decoH) this.showDecomposition(rec);
    if (this.svg) this.showPicture(rec);
    this.root.host?.setAttribute?.("data-renders", String(this.renders));
  }

  showDecomposition(rec) {
    const h = this.field(rec, "entropy_p");
    const kl = this.field(rec, "kl");
    const ce = this.field(rec, "cross_entropy");
    const max = this.scale.deco_max;
    const finite = Number.isFinite(kl);
    this.decoH.style.width = `${Math.min(100, (h / max) * 100)}%`;
    this.decoKL.style.width = finite ? `${Math.min(100, (kl / max) * 100)}%` : "100%";
    this.decoKL.classList.toggle("infinite", !finite);
    const u = this.data.unit;
    const dg = this.data.digits;
    this.decoLabel.textContent = `H(p) ${fmt(h, dg)} + KL ${fmt(kl, dg)} = H(p, q) ${fmt(ce, dg)} ${u}`;
  }

  showPicture(rec) {
    const d = this.data;
    const F = this.frame;
    const P = F.box;
    const ymax = this.scale.y_max;
    this.drawTicks(ymax);
    const k = d.k;
    let x = P.x0;
    const W = P.x1 - P.x0;
    for (let i = 0; i < k; i++) {
      const c = this.cols[i];
      const pi = this.field(rec, "p", i);
      let w, xi;
      if (d.picture === "area") {
        // Column width = p_i: an area is then p_i times a code length, a term of H(p) or H(p, q).
        w = pi * W;
        xi = x;
        x += w;
      } else {
        w = (W / k) * 0.8;
        xi = P.x0 + (W / k) * i + (W / k) * 0.1;
      }
      const sp = this.field(rec, "surprisal_p", i);
      const sq = this.field(rec, "surprisal_q", i);
      const visible = d.picture !== "area" || pi > 0;
      for (const node of [c.p, c.q, c.extra, c.inf, c.name, c.label]) node.style.visibility = visible ? "" : "hidden";
      if (!visible) continue;
      const hp = d.dists.includes("p") || d.picture === "area" ? sp : 0;
      let qw = w, qx = xi, pw = w, px = xi;
      if (d.picture === "surprisal") { pw = w / 2; qw = w / 2; qx = xi + w / 2; }
      this.setRect(c.p, px, F.py(hp), pw, P.y0 - F.py(hp));
      if (d.dists.includes("q")) {
        this.setRect(c.q, qx, F.py(sq), qw, P.y0 - F.py(sq));
        if (d.picture === "area") {
          const top = Math.min(F.py(sq), F.py(sp));
          const bottom = Math.max(F.py(sq), F.py(sp));
          this.setRect(c.extra, xi, top, w, bottom - top);
          c.extra.setAttribute("class", sq >= sp ? "extra" : "extra saving");
          c.extra.setAttribute("fill", sq >= sp ? "url(#pqe-kl)" : "url(#pqe-save)");
        } else {
          this.setRect(c.extra, 0, 0, 0, 0);
        }
      }
      const capped = (sq > ymax && d.dists.includes("q")) || sp > ymax;
      c.inf.textContent = (!Number.isFinite(sq) && d.dists.includes("q")) || !Number.isFinite(sp) ? "∞" : (capped ? "↑" : "");
      c.inf.setAttribute("x", String(xi + w / 2));
      c.inf.setAttribute("y", String(P.y1 - 0.3 * F.font));
      c.name.setAttribute("x", String(xi + w / 2));
      c.name.setAttribute("y", String(P.y0 + 1.15 * F.font));
      c.name.style.visibility = w >= 2.2 * F.font ? "" : "hidden";
      const lab = d.picture === "area"
        ? (d.dists.includes("q") ? this.field(rec, "cross_entropy_terms", i) : this.field(rec, "entropy_terms", i))
        : (d.dists.includes("q") ? sq : sp);
      c.label.textContent = fmt(lab, 2);
      const labelY = Math.max(P.y1 + F.font, Math.min(F.py(d.dists.includes("q") ? Math.max(sq, sp) : sp), P.y0) - 4);
      c.label.setAttribute("x", String(xi + w / 2));
      c.label.setAttribute("y", String(labelY));
      c.label.style.visibility = w >= 2.6 * F.font ? "" : "hidden";
      if (d.picture === "surprisal") {
        // Two bars per class: label each with its own surprisal.
        c.label.setAttribute("x", String(qx + qw / 2));
        c.label.setAttribute("y", String(Math.max(P.y1 + F.font, F.py(sq) - 4)));
        c.label.textContent = d.dists.includes("q") ? fmt(sq, 2) : "";
        c.labelP.textContent = fmt(sp, 2);
        c.labelP.setAttribute("x", String(px + pw / 2));
        c.labelP.setAttribute("y", String(Math.max(P.y1 + F.font, F.py(sp) - 4)));
        c.labelP.style.visibility = pw >= 2.2 * F.font ? "" : "hidden";
        c.label.style.visibility = qw >= 2.2 * F.font ? "" : "hidden";
      } else {
        c.labelP.textContent = "";
      }
    }
    const u = d.unit;
    const dg = d.digits;
    if (d.picture === "area" && d.dists.includes("q")) {
      this.pictureCaption.textContent =
        `Blue area = H(p) = ${fmt(this.field(rec, "entropy_p"), dg)} ${u}. Area under the orange outline = ` +
        `H(p, q) = ${fmt(this.field(rec, "cross_entropy"), dg)} ${u}. Pink = extra cost where q's code word is too long, light hatch = saving where it is shorter; ` +
        `their net is KL(p ‖ q) = ${fmt(this.field(rec, "kl"), dg)} ${u}.`;
    } else if (d.picture === "area") {
      this.pictureCaption.textContent =
        `Each column is p(x) wide and −log p(x) tall; the blue area is H(p) = ${fmt(this.field(rec, "entropy_p"), dg)} ${u}.`;
    } else {
      this.pictureCaption.textContent =
        `Surprisal of each class: −log p(x) (blue, solid) and −log q(x) (orange, hatched), in ${u}.`;
    }
  }

  drawTicks(ymax) {
    if (this.tickMax === ymax) return;
    this.tickMax = ymax;
    this.frame.setAxes(UNIT, [0, ymax]);
    this.ticks.replaceChildren();
    this.frame.gridY(this.ticks, this.scale.ticks.map((t) => [t, String(t)]), { cls: "grid", from: 4, gap: 6 });
  }

  setRect(node, x, y, w, h) {
    node.setAttribute("x", String(x));
    node.setAttribute("y", String(y));
    node.setAttribute("width", String(Math.max(0, w)));
    node.setAttribute("height", String(Math.max(0, h)));
  }

  showError(message) {
    this.errorBox.textContent = message || "";
    this.errorBox.style.display = message ? "" : "none";
  }
}

const UNIT = [0, 1];

export default mount(Editor);
