// Helpers every custom component of the lab uses: the SVG namespace, line dashes, decoding the
// tables Python sends (base64 float64, or float32 where a layer says so; JSON has no Infinity),
// and building DOM nodes. lab/components/registry.py puts this text in front of each component's
// module (components v2 serves a module as one text, so it cannot import a sibling file).

const SVG = "http://www.w3.org/2000/svg";
const DASH = { solid: "", dash: "7 5", dot: "2 4", dashdot: "8 4 2 4", longdash: "12 6" };

function decode(b64, f32 = false) {
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
