// The kit of the lab's custom components: DOM helpers, decoding the tables Python sends, a plot
// frame (an SVG sized to its box, data-to-pixel scales, axes and ticks), pointer dragging and keys
// with the key-commit timer. lab/components/registry.py puts this text in front of each component's
// module (components v2 serves a module as one text, so it cannot import a sibling file), and
// shared.css with the theme's colours (CSS custom properties --ce-*) in front of its style sheet.
// Nothing here computes a lesson's mathematics: it maps data to pixels and pointers to positions.

const SVG = "http://www.w3.org/2000/svg";
const DASH = { solid: "", dash: "7 5", dot: "2 4", dashdot: "8 4 2 4", longdash: "12 6" };

// A table as lab.figures.live.encode_table writes it: base64 of little-endian float64 (or float32
// where a layer says so; JSON has no Infinity).
function decodeTable(b64, f32 = false) {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);  // (Uint8Array.from with a map is slow)
  return f32 ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer);
}

function el(tag, attrs = {}, parent = null, ns = null) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  if (parent) parent.appendChild(node);
  return node;
}

// A component's own box under its root, made once; a box left there by an earlier instance of
// the component (a remount into the same root) goes, so the page never shows two.
function ownBox(root, cls) {
  for (const stale of root.querySelectorAll(`:scope > .${cls}`)) stale.remove();
  return el("div", { class: cls }, root);
}

function set(node, attrs) {
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
}

// A control: its mount point, the component's API (setTriggerValue), pointer and key input, and a
// count of visible updates (read by tests and the benchmarks). A subclass draws (setData, show).
class Control {
  constructor(root, component) {
    this.root = root;
    this.component = component;
    this.input = new ControlInput(this);
    this.renders = 0;
  }
}

// The component's entry point: one instance of `Kind` per mount point (new data from Python with
// a stable key calls this again with the same parentElement), fed each new `data`.
function mount(Kind) {
  const instances = new WeakMap();
  return (component) => {
    const { parentElement, data } = component;
    if (!data) return;
    let instance = instances.get(parentElement);
    if (!instance) {
      instance = new Kind(parentElement, component);
      instances.set(parentElement, instance);
    }
    instance.component = component;
    instance.setData(data);
    return () => instances.delete(parentElement);
  };
}

// ---- the plot frame ----
// An SVG in CSS pixels (text in rem, so presenter mode enlarges it), as wide as its parent and
// `aspect` times as high, between `minRem` and `maxRem` font sizes; `box(width, height, f)` places
// the plot box {x0, x1, y0 (bottom), y1 (top)}. Values outside the y range are drawn up to
// `overshoot` font sizes beyond the box (0: at its edge). Log axes map log10 of the value.
class PlotFrame {
  constructor(svg, { aspect, minRem, maxRem, width = 480, font = 14, box, sized = true, clip = null, clipPad = 0,
                     overshoot = 0 }) {
    Object.assign(this, { svg, aspect, minRem, maxRem, fallbackWidth: width, fallbackFont: font, boxOf: box, sized,
                          clip, clipPad, overshoot });
    this.width = null;
    this.setAxes([0, 1], [0, 1]);
  }

  // Size the drawing to the parent's width; false when the width has not changed (nothing to redo).
  measure() {
    const width = Math.round(this.svg.parentElement.getBoundingClientRect().width) || this.fallbackWidth;
    if (width === this.width) return false;
    this.width = width;
    const f = (this.font = parseFloat(getComputedStyle(this.svg).fontSize) || this.fallbackFont);
    const height = (this.height = Math.round(Math.min(Math.max(width * this.aspect, this.minRem * f), this.maxRem * f)));
    set(this.svg, this.sized ? { viewBox: `0 0 ${width} ${height}`, height } : { viewBox: `0 0 ${width} ${height}` });
    const B = (this.box = this.boxOf(width, height, f));
    if (this.clip) {
      const pad = this.clipPad;
      set(this.clip, { x: B.x0, y: B.y1 - pad, width: B.x1 - B.x0, height: B.y0 - B.y1 + 2 * pad });
    }
    this.setAxes(this.xRange, this.yRange, this.xLog, this.yLog);
    return true;
  }

  // The axis ranges (data units); the ends are mapped once here, so px/py allocate nothing.
  setAxes(xRange, yRange, xLog = false, yLog = false) {
    Object.assign(this, { xRange, yRange, xLog: !!xLog, yLog: !!yLog });
    this.xa = xLog ? Math.log10(xRange[0]) : xRange[0];
    this.xb = xLog ? Math.log10(xRange[1]) : xRange[1];
    this.ya = yLog ? Math.log10(yRange[0]) : yRange[0];
    this.yb = yLog ? Math.log10(yRange[1]) : yRange[1];
    this.reach = this.overshoot * (this.font || 0);
  }

  px(v) {
    const B = this.box;
    const t = this.xLog ? Math.log10(v) : v;
    return B.x0 + ((t - this.xa) / (this.xb - this.xa)) * (B.x1 - B.x0);
  }

  py(v) {
    const B = this.box;
    const o = this.reach;
    if (v === Infinity) return B.y1 - o;
    if (v === -Infinity) return B.y0 + o;
    let t = v;
    if (this.yLog) t = v > 0 ? Math.log10(v) : -Infinity;  // 0 on a log axis: below the bottom edge
    const y = Number.isFinite(t) ? B.y0 - ((t - this.ya) / (this.yb - this.ya)) * (B.y0 - B.y1) : B.y0 + o;
    return Math.max(B.y1 - o, Math.min(B.y0 + o, y));
  }

  // Horizontal grid lines with their labels ([value, text] pairs) left of the plot box; the lines
  // start `from` px left of it, the labels end `gap` px left of it.
  gridY(parent, ticks, { cls = "gridline", from = 0, gap = 0.4 * this.font } = {}) {
    const B = this.box;
    for (const [v, label] of ticks) {
      const y = this.py(v);
      el("line", { x1: B.x0 - from, x2: B.x1, y1: y, y2: y, class: cls }, parent, SVG);
      el("text", { x: B.x0 - gap, y: y + 0.35 * this.font, class: "tick", "text-anchor": "end", text: label }, parent, SVG);
    }
  }

  // Labels under the plot box ([value, text] pairs), with a short mark at each where `marks`.
  ticksX(parent, ticks, marks) {
    const B = this.box;
    const f = this.font;
    for (const [v, label] of ticks) {
      const x = this.px(v);
      if (marks) el("line", { x1: x, x2: x, y1: B.y0, y2: B.y0 + 0.35 * f, class: "axis" }, parent, SVG);
      el("text", { x, y: B.y0 + 1.3 * f, class: "tick", "text-anchor": "middle", text: label }, parent, SVG);
    }
  }

  // The x axis (at height `y`, the bottom of the box unless given) and the y axis.
  axisLines(parent, cls = "axis", y = this.box.y0) {
    const B = this.box;
    el("line", { x1: B.x0, x2: B.x1, y1: y, y2: y, class: cls }, parent, SVG);
    el("line", { x1: B.x0, x2: B.x0, y1: B.y0, y2: B.y1, class: cls }, parent, SVG);
  }

  // The axis titles: x centred under the box (its baseline at `xAt`), y turned along the left edge.
  titles(parent, xLabel, yLabel, xAt = this.box.y0 + 2.5 * this.font) {
    const B = this.box;
    const f = this.font;
    el("text", { x: (B.x0 + B.x1) / 2, y: xAt, class: "axis-title", "text-anchor": "middle", text: xLabel || "" },
       parent, SVG);
    const my = (B.y0 + B.y1) / 2;
    el("text", { x: 0.9 * f, y: my, class: "axis-title", "text-anchor": "middle", transform: `rotate(-90 ${0.9 * f} ${my})`,
                 text: yLabel || "" }, parent, SVG);
  }

  // A chart spec's axes (x_range, y_range, x_log, y_log, x_ticks, y_ticks, x_label, y_label) into
  // `parent`, redrawn: the grid and its labels, the x labels (with `marks`), the axes, the titles.
  drawSpec(parent, c, { marks = true, baseline = null } = {}) {
    this.setAxes(c.x_range, c.y_range, c.x_log, c.y_log);
    parent.replaceChildren();
    this.gridY(parent, c.y_ticks);
    this.ticksX(parent, c.x_ticks, marks);
    this.axisLines(parent, "axis", baseline === null ? this.box.y0 : this.py(baseline));
    this.titles(parent, c.x_label, c.y_label);
  }

  // Redraw on resize: `redraw()` runs when the observed node's width changes.
  observe(node, redraw) {
    this.resizer?.disconnect();
    this.resizer = new ResizeObserver(() => { if (this.measure()) redraw(); });
    this.resizer.observe(node);
  }

  dispose() { this.resizer?.disconnect(); }
}

// A chart legend: a swatch (line, bar or marker in the layer's style) and the name of each layer
// that has `legend`; `marker(svg, style)` draws a point layer's swatch.
function legend(parent, layers, marker = null) {
  const box = el("div", { class: "lc-legend", "aria-hidden": "true" }, parent);
  for (const layer of layers) {
    if (!layer.legend) continue;
    const item = el("span", { class: "lc-key" }, box);
    const sw = el("svg", { width: "28", height: "12", viewBox: "0 0 28 12" }, item, SVG);
    const st = layer.style || {};
    if (layer.kind === "point" && marker) {
      marker(sw, st);
    } else if (layer.kind === "bars") {
      el("rect", { x: 6, y: 1, width: 16, height: 10, fill: st.fill || st.color, stroke: st.stroke || st.color,
                   "stroke-dasharray": DASH[st.dash || "solid"] }, sw, SVG);
    } else {
      el("line", { x1: 1, y1: 6, x2: 27, y2: 6, stroke: st.color, "stroke-width": st.width || 2.5,
                   "stroke-dasharray": DASH[st.dash || "solid"] }, sw, SVG);
    }
    el("span", { text: layer.name }, item);
  }
  return box;
}

// A chart's figure under `parent`: title, legend, the SVG (the grid, under the clipped plot, under
// the points and labels) and the caption, with a plot frame (`frame`: PlotFrame options) that
// calls `redraw()` when the figure's width changes. Returns the parts by name.
function chartFigure(parent, c, { figure, svgClass, clipId, captionClass, marker = null, frame, redraw }) {
  const pic = el("figure", figure, parent);
  if (c.title) el("figcaption", { class: "lc-title", text: c.title }, pic);
  legend(pic, c.layers, marker);
  const svg = el("svg", { class: svgClass, role: "img" }, pic, SVG);
  const clip = el("rect", {}, el("clipPath", { id: clipId }, el("defs", {}, svg, SVG), SVG), SVG);
  const view = {
    pic, svg, clipId,
    grid: el("g", { class: "lc-grid" }, svg, SVG),
    plot: el("g", { "clip-path": `url(#${clipId})` }, svg, SVG),
    over: el("g", {}, svg, SVG),  // points and labels, not clipped
    caption: el("div", { class: captionClass }, pic),
    frame: new PlotFrame(svg, { ...frame, clip }),
  };
  view.clearLayers = () => { view.plot.replaceChildren(); view.over.replaceChildren(); };
  view.frame.observe(pic, redraw);
  return view;
}

// The rects of a bars layer (one per category, in the layer's style) into `parent`.
function barRects(layer, parent, each = null) {
  const st = layer.style || {};
  layer.rects = [];
  for (let i = 0; i < layer.x.length; i++) {
    layer.rects.push(el("rect", { fill: st.fill || st.color, "fill-opacity": st.opacity ?? 0.9,
                                  stroke: st.stroke || st.color, "stroke-width": st.width || 1.5,
                                  "stroke-dasharray": DASH[st.dash || "solid"] }, parent, SVG));
    if (each) each(i);
  }
}

// The stroke of a line layer: its colour, or the theme's ink (a CSS custom property, so a style).
function strokeOf(st) {
  return st.color ? { stroke: st.color } : { style: "stroke: var(--ce-ink)" };
}

// ---- pointer and keys ----
// One control's input: dragging on its tracks and keys on them, each mapped to a grid position of
// a target (a bar, or the one slider). The owner gives:
//   positions(): how many grid positions there are;
//   draw(target, g): show position g of target (called at most once per animation frame);
//   commit(target, g): tell Python (once per release, or when a held key pauses);
//   grab(target) (optional): a press starts.
// A press captures the pointer (moves outside the node still count; shared.css sets touch-action:
// none on sliders, so a touch drags instead of scrolling). pointermove is taken as it comes:
// Chromium sends one per frame carrying the last coalesced position, which is all a grid position
// needs (getCoalescedEvents() would allocate an array per move for positions that would be
// skipped). Drawing happens in requestAnimationFrame, so when the next move reads the track's box
// the layout is clean: one cheap read per move, and a page that scrolls or shifts under a drag is
// followed. Beside that read's DOMRect nothing is allocated per move (the frame callback is made
// once, and the scales map the axis ends once per redraw of the axes).
class ControlInput {
  constructor(owner) {
    this.owner = owner;
    this.drag = null;      // {target, pointerId, g, axis, rail}
    this.frame = 0;        // requestAnimationFrame handle
    this.nextTarget = null; // what to draw in the next frame
    this.nextG = null;
    this.pending = null;   // timer of a key-press commit
    this.pendingTarget = null;
    this.pendingG = null;
    this.drawNext = () => { this.frame = 0; this.owner.draw(this.nextTarget, this.nextG); };
  }

  get busy() { return this.drag !== null || this.pending !== null; }

  // Listen on `node`: "y" maps bottom-to-top of the node, "x" left-to-right of `rail`.
  attach(node, target, { axis = "y", rail = node } = {}) {
    node.addEventListener("pointerdown", (e) => {
      if (e.button !== undefined && e.button > 0) return;
      e.preventDefault();
      node.setPointerCapture(e.pointerId);
      node.focus({ preventScroll: true });
      if (this.pending !== null) this.flushKey();
      this.drag = { target, pointerId: e.pointerId, g: null, axis, rail };
      this.owner.grab?.(target);
      this.move(e);
    });
    node.addEventListener("pointermove", (e) => {
      if (this.drag && this.drag.pointerId === e.pointerId) this.move(e);
    });
    const end = (e) => {
      if (!this.drag || this.drag.pointerId !== e.pointerId) return;
      this.move(e);
      const { g } = this.drag;
      this.drag = null;
      if (g !== null) this.owner.commit(target, g);
    };
    node.addEventListener("pointerup", end);
    node.addEventListener("pointercancel", end);
    node.addEventListener("keydown", (e) => this.owner.key(e, target));
  }

  move(e) {
    // Geometry of the pointer: the fraction of the track below (left of) it, rounded to a position.
    const d = this.drag;
    const box = d.rail.getBoundingClientRect();
    const frac = Math.min(1, Math.max(0, d.axis === "x" ? (e.clientX - box.left) / box.width
                                                        : (box.bottom - e.clientY) / box.height));
    const g = Math.round(frac * (this.owner.positions() - 1));
    if (g === d.g) return;
    d.g = g;
    this.schedule(d.target, g);
  }

  schedule(target, g) {
    this.nextTarget = target;
    this.nextG = g;
    if (!this.frame) this.frame = requestAnimationFrame(this.drawNext);
  }

  // The position a key asks for, from the one shown: one step up or down (10 with Page keys), or an
  // end; null for any other key. A value between two positions steps to the next one: `below` and
  // `above` are the positions around it (equal when it is on one).
  static keyTarget(e, below, above, last) {
    const steps = KEY_STEPS[e.key];
    let g;
    if (steps !== undefined) g = steps > 0 ? below + steps : above + steps;
    else if (e.key === "Home") g = 0;
    else if (e.key === "End") g = last;
    else return null;
    e.preventDefault();
    return Math.min(last, Math.max(0, g));
  }

  // A held key sends one commit when it pauses, not one per repeat; a key on another target first
  // sends the pending one, so no change is lost.
  queueKey(target, g) {
    if (this.pending !== null && this.pendingTarget !== target) this.flushKey();
    clearTimeout(this.pending);
    this.pendingTarget = target;
    this.pendingG = g;
    this.pending = setTimeout(() => this.flushKey(), KEY_COMMIT_MS);
  }

  flushKey() {
    clearTimeout(this.pending);
    this.pending = null;
    if (this.pendingTarget !== null) this.owner.commit(this.pendingTarget, this.pendingG);
    this.pendingTarget = null;
  }
}

const KEY_STEPS = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1, PageUp: 10, PageDown: -10 };
const KEY_COMMIT_MS = 350;
