// The studio page of publish serve (never published). The server sends the studio's state
// after every change (Server-Sent Events); each pane whose version went up is reloaded in
// place, where it was scrolled to. No framework, nothing fetched from another site.
"use strict";

const body = document.body;
const all = (selector) => [...document.querySelectorAll(selector)];
const frame = (name) => document.querySelector(`[data-frame="${name}"]`);
const seen = { web: +frame("web")?.dataset.version, email: +frame("email")?.dataset.version };
const shown = new Map(); // element -> the HTML last put in it

// Load `url` in a frame, scrolled where it was (when it showed a page of this site).
function reload(element, url) {
  let place = [0, 0];
  try {
    const view = element.contentWindow;
    if (view.location.href !== "about:blank") place = [view.scrollX, view.scrollY];
  } catch {
    // (a page of another site, reached by a link: shown from its top)
  }
  element.addEventListener("load", () => element.contentWindow.scrollTo(...place), { once: true });
  element.src = url;
}

// Put new HTML in an element, if it changed; the keyboard focus stays on the same link.
function replace(element, html) {
  if (!element || shown.get(element) === html) return;
  const href = element.contains(document.activeElement)
    ? document.activeElement.getAttribute("href") : null;
  element.innerHTML = html;
  shown.set(element, html);
  if (href) element.querySelector(`[href="${CSS.escape(href)}"]`)?.focus();
}

function show(state) {
  const slug = state.slug;
  replace(document.getElementById("rows"), state.rows);
  replace(document.getElementById("problems"), state.problems);
  const status = document.getElementById("status");
  if (status.textContent !== state.status) status.textContent = state.status;
  document.querySelector('[data-link="web"]').href = `/${slug}/`;
  document.querySelector('[data-link="print"]').href = `/__studio/print/${slug}.pdf`;
  document.querySelector('[data-link="screen"]').href = `/${slug}/brochure.pdf`;
  for (const [name, pane] of Object.entries(state.panes)) {
    for (const box of all(`[data-error="${name}"]`)) {
      box.querySelector("p").textContent = pane.error ?? "";
      box.hidden = !pane.error;
    }
  }
  for (const section of all("[data-pane]")) {
    const panes = section.dataset.pane.split(" ").map((name) => state.panes[name]);
    section.classList.toggle("busy", panes.some((pane) => pane.busy));
  }
  for (const variant of ["print", "screen"]) {
    replace(document.querySelector(`[data-pages="${variant}"]`), state.pages[variant]);
  }
  const text = document.querySelector("[data-text]");
  if (text.textContent !== state.text) text.textContent = state.text;
  const { web, email } = state.panes;
  if (web.version && (seen.web !== web.version || body.dataset.slug !== slug)) {
    reload(frame("web"), `/${slug}/`);
  }
  if (email.version && seen.email !== email.version) {
    reload(frame("email"), `/__studio/email/${slug}.html?v=${email.version}`);
  }
  [seen.web, seen.email, body.dataset.slug] = [web.version, email.version, slug];
}

// The HTML email at its width, made smaller to fit a narrower pane.
function fit() {
  const mail = document.querySelector(".mail");
  const email = frame("email");
  const width = Number(email.getAttribute("width"));
  const zoom = Math.min(1, mail.clientWidth / width);
  email.style.width = `${width}px`; // (the stylesheet's 100 % would win over the attribute)
  email.style.zoom = zoom;
  email.style.height = `${mail.clientHeight / zoom}px`;
  document.getElementById("zoom").textContent =
    zoom < 1 ? `shown at ${Math.round(zoom * 100)} %` : "";
}

if (body.dataset.events) {
  new EventSource(body.dataset.events).onmessage = (message) => show(JSON.parse(message.data));
  for (const radio of all('input[name="pdf"]')) {
    radio.addEventListener("change", () => {
      radio.closest("[data-variant]").dataset.variant = radio.value;
    });
  }
  for (const radio of all('input[name="width"]')) {
    radio.addEventListener("change", () => {
      frame("email").setAttribute("width", radio.value);
      fit();
    });
  }
  new ResizeObserver(fit).observe(document.querySelector(".mail"));
}
