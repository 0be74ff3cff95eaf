"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const tip = document.getElementById("tip");
  const text = document.getElementById("text");
  const marks = Array.from(document.querySelectorAll("mark[data-m]"));
  const byIndex = new Map(marks.map((el) => [Number(el.dataset.m), el]));
  let lit = [];

  function clear(cls) {
    document.querySelectorAll("mark." + cls).forEach((el) => el.classList.remove(cls));
  }
  function row(dl, label, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = Array.isArray(value) ? value.join("; ") : String(value);
    dl.append(dt, dd);
  }
  function showTip(el) {
    const m = data.marks[Number(el.dataset.m)];
    tip.replaceChildren();
    const dl = document.createElement("dl");
    if (m[2] >= 0) {
      const f = data.facts[m[2]];
      row(dl, LABELS.indicator, f.indicator);
      row(dl, LABELS.code, f.code || LABELS.none);
      row(dl, LABELS.period, LABELS[f.period] || f.period);
      row(dl, LABELS.value, f.value);
      row(dl, LABELS.comparisons, f.comparisons);
      row(dl, LABELS.parent, f.parent);
      row(dl, LABELS.model, f.changed);
    } else {
      row(dl, LABELS.number, el.textContent);
    }
    const rels = data.markRelations[el.dataset.m] || [];
    row(dl, LABELS.relations, rels.map((k) => data.relations[k].kind + " (" + data.relations[k].origin + ")"));
    tip.append(dl);
    tip.hidden = false;
    const r = el.getBoundingClientRect();
    tip.style.left = Math.max(4, Math.min(r.left, window.innerWidth - 430)) + "px";
    tip.style.top = (r.bottom + 6 + 200 > window.innerHeight ? Math.max(4, r.top - 210) : r.bottom + 6) + "px";
    clear("rel");
    rels.forEach((k) => data.relations[k].m.forEach((i) => { const o = byIndex.get(i); if (o && o !== el) o.classList.add("rel"); }));
    draw(el, rels);
  }
  const links = document.getElementById("links");
  const drawToggle = document.getElementById("draw-relations");
  const SVG = "http://www.w3.org/2000/svg";
  function centre(el, box) {
    const r = el.getBoundingClientRect();
    return [r.left + r.width / 2 - box.left + text.scrollLeft, r.top + r.height / 2 - box.top + text.scrollTop];
  }
  function draw(el, rels) {
    links.replaceChildren();
    if (!drawToggle.checked) return;
    links.style.height = text.scrollHeight + "px";
    const box = text.getBoundingClientRect();
    const from = centre(el, box);
    rels.forEach((k) => data.relations[k].m.forEach((i) => {
      const other = byIndex.get(i);
      if (!other || other === el) return;
      const to = centre(other, box);
      const line = document.createElementNS(SVG, "line");
      line.setAttribute("x1", from[0]); line.setAttribute("y1", from[1]);
      line.setAttribute("x2", to[0]); line.setAttribute("y2", to[1]);
      links.append(line);
    }));
  }
  function hideTip() { tip.hidden = true; clear("rel"); links.replaceChildren(); }
  text.addEventListener("mouseover", (e) => { if (e.target.matches("mark[data-m]")) showTip(e.target); });
  text.addEventListener("mouseout", (e) => { if (e.target.matches("mark[data-m]")) hideTip(); });
  text.addEventListener("focusin", (e) => { if (e.target.matches("mark[data-m]")) showTip(e.target); });
  text.addEventListener("focusout", hideTip);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") hideTip(); });

  document.getElementById("findings").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-f]");
    if (!button) return;
    const f = data.findings[Number(button.dataset.f)];
    clear("hl");
    document.querySelectorAll(".finding.active").forEach((li) => li.classList.remove("active"));
    button.parentElement.classList.add("active");
    lit = f.m.map((i) => byIndex.get(i)).filter(Boolean);
    lit.forEach((el) => el.classList.add("hl"));
    if (lit.length) {
      lit[0].scrollIntoView({ block: "center" });
      lit[0].focus({ preventScroll: true });
    }
  });

  const statusBoxes = Array.from(document.querySelectorAll(".status-filter"));
  const ruleSelect = document.getElementById("rule-filter");
  function filter() {
    const on = new Set(statusBoxes.filter((b) => b.checked).map((b) => b.value));
    const rule = ruleSelect.value;
    document.querySelectorAll(".finding").forEach((li) => {
      li.hidden = !(on.has(li.dataset.kind) && (!rule || li.dataset.rule === rule));
    });
  }
  statusBoxes.forEach((b) => b.addEventListener("change", filter));
  ruleSelect.addEventListener("change", filter);

  const search = document.getElementById("search");
  const count = document.getElementById("search-count");
  search.addEventListener("input", () => {
    clear("found");
    const q = search.value.trim().toLocaleLowerCase("vi");
    if (!q) { count.textContent = ""; return; }
    let n = 0;
    let first = null;
    marks.forEach((el) => {
      const fi = data.marks[Number(el.dataset.m)][2];
      if (fi >= 0 && data.facts[fi].indicator.toLocaleLowerCase("vi").includes(q)) {
        el.classList.add("found");
        n += 1;
        first = first || el;
      }
    });
    count.textContent = n + " " + LABELS.matches;
    if (first) first.scrollIntoView({ block: "center" });
  });
  // a link from the run page: #facts=<id>,<id> outlines those values on arrival
  const wanted = decodeURIComponent(location.hash).match(/^#facts=(.+)$/);
  if (wanted) {
    const ids = new Set(wanted[1].split(","));
    lit = marks.filter((el) => {
      const fi = data.marks[Number(el.dataset.m)][2];
      return fi >= 0 && ids.has(data.facts[fi].id);
    });
    lit.forEach((el) => el.classList.add("hl"));
    if (lit.length) lit[0].scrollIntoView({ block: "center" });
  }
  document.body.dataset.ready = String(performance.now());
})();
