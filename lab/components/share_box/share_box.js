// The share box: the exact link of the current view, as the browser's address bar holds it, with
// a Copy button. Plain ES module, no build step, nothing from a network.
//
// The address is read here, in the browser, because lesson controls inside st.fragment change the
// URL without running app.py, and a fragment cannot write into the sidebar: a link written by the
// server would go stale after such a change. So the box looks at the address a few times a second
// (Streamlit changes it with history.replaceState, which fires no event). The address only ever
// goes into the input's value, never into markup; Python sends nothing but the box's fixed texts.

const BOXES = new WeakMap();
const WATCH_MS = 300;  // how often the address is read
const RESET_MS = 1500;  // how long the button says "Copied"

class ShareBox {
  constructor(root) {
    const row = ownBox(root, "sb");
    this.input = el("input", { class: "sb-link", readonly: "" }, row);
    this.button = el("button", { class: "sb-copy", type: "button" }, row);
    this.button.addEventListener("click", () => this.copy());
    this.timer = setInterval(() => this.show(), WATCH_MS);
  }

  setData(data) {
    this.texts = data;
    this.input.setAttribute("aria-label", data.label);
    if (!this.reset) this.button.textContent = data.copy;
    this.show();
  }

  show() {
    let url = "";
    try { url = window.location.href; } catch (e) { url = ""; }
    if (this.input.value !== url) this.input.value = url;
  }

  // Copy at once, inside the click (a selected input and execCommand work where the page has not
  // been given clipboard permission); the asynchronous Clipboard API only if that fails.
  async copy() {
    this.show();
    this.input.focus();
    this.input.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    if (!ok && navigator.clipboard) {
      try { await navigator.clipboard.writeText(this.input.value); ok = true; } catch (e) { ok = false; }
    }
    this.button.textContent = ok ? this.texts.copied : this.texts.failed;
    clearTimeout(this.reset);
    this.reset = setTimeout(() => { this.reset = null; this.button.textContent = this.texts.copy; }, RESET_MS);
  }

  stop() {
    clearInterval(this.timer);
    clearTimeout(this.reset);
  }
}

export default function (component) {
  const { parentElement, data } = component;
  if (!data) return;
  let box = BOXES.get(parentElement);
  if (!box) {
    box = new ShareBox(parentElement);
    BOXES.set(parentElement, box);
  }
  box.setData(data);
  return () => {  // on unmount: stop watching the address
    box.stop();
    BOXES.delete(parentElement);
  };
}
