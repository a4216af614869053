// The p/q editor: bars of p (truth) and q (model) that the learner drags, with live readouts and
// the lesson's picture beside them. Plain ES module, no build step, nothing from a network.
//
// It computes no mathematics. Python (ce_core.editing.drag_table) sends, for every bar and every
// position 0, 0.01, ..., 1, the whole state that position gives (p, q, surprisals, terms, H(p),
// H(q), H(p,q), KL); while the pointer moves the module only looks a record up and draws it. On
// release (or after a key press) it tells Python which bar went to which position; Python applies
// the same rule (ce_core.editing.set_probability) and the page settles to that state.

const STATE = new WeakMap();

// Formatting only (no arithmetic on the values): fixed decimals, and the infinity sign.
function fmt(value, digits) {
  if (value === Infinity) return "∞";
  if (Number.isNaN(value)) return "undefined";
  return value.toFixed(digits);
}

class Editor {
  constructor(root, component) {
    this.root = root;
    this.component = component;
    this.drag = null;       // {bar, pointerId}
    this.shown = null;      // the record on screen
    this.pendingKey = null; // timer of a key-press commit
    this.frame = 0;         // requestAnimationFrame handle
    this.nextRecord = null;
    this.renders = 0;       // visible updates (read by the benchmark)
  }

  setData(data) {
    const old = this.data;
    this.data = data;
    this.table = decode(data.table);
    this.R = data.record_length;
    this.G = data.steps + 1;
    this.off = data.offsets;
    const structural = !old || old.k !== data.k || old.layout_id !== data.layout_id;
    if (structural) this.build();
    this.scale = data.scale;
    if (!this.drag) this.show(this.current());
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
        if (!locked) this.listen(track, bar);
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
    el("rect", { width: "6", height: "6", fill: "#FFF3D6" }, pat, SVG);
    el("line", { x1: "0", y1: "0", x2: "0", y2: "6", stroke: "#8A5A00", "stroke-width": "2" }, pat, SVG);
    const patKL = el("pattern", { id: "pqe-kl", width: "6", height: "6", patternUnits: "userSpaceOnUse",
                                  patternTransform: "rotate(-45)" }, defs, SVG);
    el("rect", { width: "6", height: "6", fill: "#F6D5E7" }, patKL, SVG);
    el("line", { x1: "0", y1: "0", x2: "0", y2: "6", stroke: "#A3327A", "stroke-width": "2" }, patKL, SVG);
    const patSave = el("pattern", { id: "pqe-save", width: "6", height: "6", patternUnits: "userSpaceOnUse",
                                    patternTransform: "rotate(45)" }, defs, SVG);
    el("line", { x1: "0", y1: "0", x2: "0", y2: "6", stroke: "#B8F0D8", "stroke-width": "2.5" }, patSave, SVG);
    this.axis = el("g", { class: "axis" }, s, SVG);
    this.xLine = el("line", { class: "axis-line" }, this.axis, SVG);
    this.yLine = el("line", { class: "axis-line" }, this.axis, SVG);
    this.ticks = el("g", { class: "ticks" }, s, SVG);
    this.yTitle = el("text", { class: "axis-title", text: d.labels.y_axis }, s, SVG);
    this.xTitle = el("text", { class: "axis-title", text: d.labels.x_axis || "" }, s, SVG);
    this.layout();
    // The drawing is in CSS pixels (text in rem, so presenter mode enlarges it): redo it on resize.
    this.resizer?.disconnect();
    this.resizer = new ResizeObserver(() => {
      if (this.layout() && this.shown) { this.tickMax = null; this.showPicture(this.shown); }
    });
    this.resizer.observe(s.parentElement);
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

  layout() {
    const s = this.svg;
    const width = Math.round(s.parentElement.getBoundingClientRect().width) || 400;
    if (width === this.width) return false;
    this.width = width;
    const f = parseFloat(getComputedStyle(s).fontSize) || 13;
    const height = Math.round(Math.min(Math.max(width * 0.6, 12 * f), 26 * f));
    s.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const P = this.plot = { x0: 3.4 * f, x1: width - 4, y0: height - (this.data.labels.x_axis ? 2.7 : 1.6) * f,
                            y1: 1.7 * f };
    const set = (node, attrs) => { for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v)); };
    set(this.xLine, { x1: P.x0, y1: P.y0, x2: P.x1, y2: P.y0 });
    set(this.yLine, { x1: P.x0, y1: P.y0, x2: P.x0, y2: P.y1 });
    const mid = (P.y0 + P.y1) / 2;
    set(this.yTitle, { x: 0.9 * f, y: mid, transform: `rotate(-90 ${0.9 * f} ${mid})` });
    set(this.xTitle, { x: (P.x0 + P.x1) / 2, y: height - 0.3 * f });
    this.font = f;
    return true;
  }

  // ---- input ----
  listen(track, bar) {
    track.addEventListener("pointerdown", (e) => {
      if (e.button !== undefined && e.button > 0) return;
      e.preventDefault();
      track.setPointerCapture(e.pointerId);
      track.focus({ preventScroll: true });
      this.drag = { bar, pointerId: e.pointerId, track, g: null };
      this.root.host?.classList?.add("dragging");
      this.move(e);
    });
    track.addEventListener("pointermove", (e) => {
      if (this.drag && this.drag.pointerId === e.pointerId) this.move(e);
    });
    const end = (e) => {
      if (!this.drag || this.drag.pointerId !== e.pointerId) return;
      this.move(e);
      const { g } = this.drag;
      this.drag = null;
      if (g !== null) this.commit(bar, g);
    };
    track.addEventListener("pointerup", end);
    track.addEventListener("pointercancel", end);
    track.addEventListener("keydown", (e) => this.key(e, bar));
  }

  gridIndexAt(e, track) {
    // Geometry of the pointer, not mathematics: the fraction of the track below the pointer.
    const box = track.getBoundingClientRect();
    const frac = Math.min(1, Math.max(0, (box.bottom - e.clientY) / box.height));
    return Math.round(frac * (this.G - 1));
  }

  move(e) {
    const g = this.gridIndexAt(e, this.drag.track);
    if (g === this.drag.g) return;
    this.drag.g = g;
    this.schedule(this.record(this.drag.bar, g));
  }

  schedule(rec) {
    this.nextRecord = rec;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.show(this.nextRecord);
    });
  }

  key(e, bar) {
    const steps = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1, PageUp: 10, PageDown: -10 };
    const dist = bar < this.data.k ? "p" : "q";
    const i = bar % this.data.k;
    const now = this.field(this.shown, dist, i);
    const last = this.G - 1;
    let g;
    // Grid positions around the current value: the next one up or down (index arithmetic).
    const below = Math.floor(now * last + 1e-9);
    const above = Math.ceil(now * last - 1e-9);
    if (e.key in steps) {
      const n = steps[e.key];
      g = n > 0 ? below + n : above + n;
    } else if (e.key === "Home") g = 0;
    else if (e.key === "End") g = last;
    else return;
    e.preventDefault();
    g = Math.min(last, Math.max(0, g));
    const rec = this.record(bar, g);
    this.show(rec);
    // A held key sends one commit when it pauses, not one per repeat. A key on another bar first
    // sends the pending one, so no change is lost.
    if (this.pendingKey && this.pendingBar !== bar) this.flushKey();
    clearTimeout(this.pendingKey);
    this.pendingBar = bar;
    this.pendingG = g;
    this.pendingKey = setTimeout(() => this.flushKey(), 350);
  }

  flushKey() {
    clearTimeout(this.pendingKey);
    this.pendingKey = null;
    if (this.pendingBar !== undefined && this.pendingBar !== null) this.commit(this.pendingBar, this.pendingG);
    this.pendingBar = null;
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
    const P = this.plot;
    const ymax = this.scale.y_max;
    const H = P.y0 - P.y1;
    const yOf = (v) => P.y0 - Math.min(1, v / ymax) * H;
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
      this.setRect(c.p, px, yOf(hp), pw, P.y0 - yOf(hp));
      if (d.dists.includes("q")) {
        this.setRect(c.q, qx, yOf(sq), qw, P.y0 - yOf(sq));
        if (d.picture === "area") {
          const top = Math.min(yOf(sq), yOf(sp));
          const bottom = Math.max(yOf(sq), yOf(sp));
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
      c.inf.setAttribute("y", String(P.y1 - 0.3 * this.font));
      c.name.setAttribute("x", String(xi + w / 2));
      c.name.setAttribute("y", String(P.y0 + 1.15 * this.font));
      c.name.style.visibility = w >= 2.2 * this.font ? "" : "hidden";
      const lab = d.picture === "area"
        ? (d.dists.includes("q") ? this.field(rec, "cross_entropy_terms", i) : this.field(rec, "entropy_terms", i))
        : (d.dists.includes("q") ? sq : sp);
      c.label.textContent = fmt(lab, 2);
      const labelY = Math.max(P.y1 + this.font, Math.min(yOf(d.dists.includes("q") ? Math.max(sq, sp) : sp), P.y0) - 4);
      c.label.setAttribute("x", String(xi + w / 2));
      c.label.setAttribute("y", String(labelY));
      c.label.style.visibility = w >= 2.6 * this.font ? "" : "hidden";
      if (d.picture === "surprisal") {
        // Two bars per class: label each with its own surprisal.
        c.label.setAttribute("x", String(qx + qw / 2));
        c.label.setAttribute("y", String(Math.max(P.y1 + this.font, yOf(sq) - 4)));
        c.label.textContent = d.dists.includes("q") ? fmt(sq, 2) : "";
        c.labelP.textContent = fmt(sp, 2);
        c.labelP.setAttribute("x", String(px + pw / 2));
        c.labelP.setAttribute("y", String(Math.max(P.y1 + this.font, yOf(sp) - 4)));
        c.labelP.style.visibility = pw >= 2.2 * this.font ? "" : "hidden";
        c.label.style.visibility = qw >= 2.2 * this.font ? "" : "hidden";
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
    const P = this.plot;
    this.ticks.replaceChildren();
    for (const t of this.scale.ticks) {
      const y = P.y0 - (t / ymax) * (P.y0 - P.y1);
      el("line", { x1: P.x0 - 4, x2: P.x1, y1: y, y2: y, class: "grid" }, this.ticks, SVG);
      el("text", { x: P.x0 - 6, y: y + 0.35 * this.font, class: "tick", text: String(t) }, this.ticks, SVG);
    }
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

export default function (component) {
  const { parentElement, data } = component;
  if (!data) return;
  let editor = STATE.get(parentElement);
  if (!editor) {
    editor = new Editor(parentElement, component);
    STATE.set(parentElement, editor);
  }
  editor.component = component;
  editor.setData(data);
  return () => STATE.delete(parentElement);
}
