// bibtool report: renders the survey embedded in #bibtool-data. Data goes into the page only as
// text (textContent, attributes, createElementNS), never as HTML, so no row can inject markup.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("bibtool-data").textContent);
  const rows = data.rows;
  const $ = (id) => document.getElementById(id);
  const typeNames = {
    "article-journal": "Journal article", "paper-conference": "Conference paper", "preprint": "Preprint",
    "chapter": "Chapter", "book": "Book", "dataset": "Dataset", "report": "Report", "thesis": "Thesis",
    "webpage": "Web page", "post-weblog": "Blog post", "article": "Article", "review": "Peer review",
  };
  const typeName = (type) => typeNames[type] || type;

  function el(name, attributes, ...children) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value !== undefined && value !== null) node.setAttribute(key, value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function svg(name, attributes, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", name);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- summary -------------------------------------------------------------------------------
  const problems = rows.filter((r) => r.findings.some((f) => f.problem)).length;
  $("summary").textContent = `${rows.length} rows, ${data.works} works` + (problems ? `, ${problems} rows with problems` : "");

  // ---- filters -------------------------------------------------------------------------------
  const distinct = (values) => [...new Set(values.filter((v) => v !== undefined && v !== ""))];
  function fill(select, values, label) {
    for (const value of values) select.append(el("option", { value: String(value) }, label ? label(value) : String(value)));
  }
  fill($("filter-category"), distinct(rows.map((r) => r.category)));
  fill($("filter-year"), distinct(rows.map((r) => r.year)).sort((a, b) => b - a));
  fill($("filter-venue"), distinct(rows.map((r) => r.venue)).sort((a, b) => a.localeCompare(b)));
  fill($("filter-type"), distinct(rows.map((r) => r.type)).sort(), typeName);

  const haystack = rows.map((r) => [r.name, r.title, r.linkTitle, r.authors, r.venue, r.key, r.table, r.category]
    .filter(Boolean).join(" \u0001 ").toLowerCase());

  function visible(row, index) {
    const query = $("search").value.trim().toLowerCase();
    if (query && !query.split(/\s+/).every((word) => haystack[index].includes(word))) return false;
    const category = $("filter-category").value, year = $("filter-year").value;
    const venue = $("filter-venue").value, type = $("filter-type").value;
    if (category && row.category !== category) return false;
    if (year && String(row.year) !== year) return false;
    if (venue && row.venue !== venue) return false;
    if (type && row.type !== type) return false;
    if ($("filter-problems").checked && !row.findings.some((f) => f.problem)) return false;
    return true;
  }

  // ---- entries -------------------------------------------------------------------------------
  function copy(text, button) {
    window.bibtoolLastCopied = text;
    const done = () => { button.textContent = "Copied"; setTimeout(() => { button.textContent = "Copy BibTeX"; }, 1500); };
    const fallback = () => {
      const area = el("textarea", { readonly: "", style: "position:fixed;left:-9999px" });
      area.value = text;
      document.body.append(area);
      area.select();
      try { document.execCommand("copy"); } finally { area.remove(); }
      done();
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  function entry(row) {
    const citation = row.work
      ? el("p", { class: "citation" }, [row.authors, row.year ? `(${row.year})` : "", row.title ? `${row.title}.` : "", row.venue ? `${row.venue}.` : ""]
        .filter(Boolean).join(" "))
      : el("p", { class: "citation unresolved" }, row.paper ? `Not resolved: ${row.linkTitle || row.paper}` : "No paper named in this row");
    const links = el("p", { class: "links" });
    for (const [name, label] of [["doi", "DOI"], ["arxiv", "arXiv"], ["paper", "Paper"], ["code", "Code"]]) {
      if (row[name] && !(name === "paper" && (row.doi || row.arxiv))) links.append(el("a", { href: row[name], rel: "noopener noreferrer" }, label));
    }
    if (row.bibtex) {
      const button = el("button", { type: "button", class: "copy", "data-key": row.key }, "Copy BibTeX");
      button.addEventListener("click", () => copy(row.bibtex, button));
      links.append(button);
    }
    const node = el("article", {
      class: "entry" + (row.findings.some((f) => f.problem) ? " has-problem" : ""),
      "data-line": row.line, "data-key": row.key, "data-year": row.year, "data-category": row.category,
    }, el("div", { class: "name" }, row.name || row.linkTitle || "(unnamed)"), citation, links);
    for (const finding of row.findings) {
      node.append(el("p", { class: "finding " + (finding.problem ? "problem" : "note") },
        `${finding.problem ? "Problem" : "Note"} (${finding.kind}): ${finding.message}`));
    }
    return node;
  }

  const nodes = rows.map(entry);
  const sections = [];
  (function layout() {
    let category = null, table = null, section = null, group = null;
    rows.forEach((row, i) => {
      if (row.category !== category) {
        category = row.category; table = null;
        section = el("section", { class: "category" }, el("h2", {}, category || "(no category)"));
        $("entries").append(section);
      }
      if (row.table !== table) {
        table = row.table;
        group = el("div", { class: "table" }, el("h3", {}, table || "(no table)"));
        section.append(group);
        sections.push(group);
      }
      group.append(nodes[i]);
    });
  })();

  function update() {
    let shown = 0;
    rows.forEach((row, i) => {
      const show = visible(row, i);
      nodes[i].hidden = !show;
      if (show) shown++;
    });
    for (const group of document.querySelectorAll("#entries .table, #entries .category")) {
      group.hidden = !group.querySelector(".entry:not([hidden])");
    }
    $("count").textContent = `Showing ${shown} of ${rows.length} rows`;
  }
  for (const id of ["search", "filter-category", "filter-year", "filter-venue", "filter-type", "filter-problems"]) {
    $(id).addEventListener("input", update);
    $(id).addEventListener("change", update);
  }

  // ---- charts (whole survey; a work counted once per category it is listed in) --------------
  const palette = ["#2e6fdb", "#e07b39", "#2e9e6b", "#b54ab5", "#c9a227", "#3fb0c9", "#d9534f", "#6c757d", "#8a6d3b", "#5a4fcf"];
  const categories = distinct(rows.map((r) => r.category));
  const colour = (category) => palette[categories.indexOf(category) % palette.length];

  (function years() {
    const counts = new Map(); // year -> category -> set of works
    for (const row of rows) {
      if (!row.work || !row.year) continue;
      if (!counts.has(row.year)) counts.set(row.year, new Map());
      const byCategory = counts.get(row.year);
      if (!byCategory.has(row.category)) byCategory.set(row.category, new Set());
      byCategory.get(row.category).add(row.work);
    }
    const yearList = [...counts.keys()].sort((a, b) => a - b);
    const chart = $("chart-years");
    const width = 600, height = 240, left = 28, bottom = 20, top = 8;
    chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const totals = yearList.map((y) => [...counts.get(y).values()].reduce((n, s) => n + s.size, 0));
    const max = Math.max(1, ...totals);
    const step = (width - left) / Math.max(1, yearList.length);
    const scale = (height - bottom - top) / max;
    chart.append(svg("text", { x: 0, y: top + 8 }, String(max)));
    yearList.forEach((year, i) => {
      let y = height - bottom;
      for (const category of categories) {
        const works = counts.get(year).get(category);
        if (!works) continue;
        const h = works.size * scale;
        y -= h;
        const rect = svg("rect", {
          x: left + i * step + step * 0.15, y, width: step * 0.7, height: h, fill: colour(category),
          "data-year": year, "data-category": category, "data-count": works.size,
        });
        rect.append(svg("title", {}, `${year}, ${category}: ${works.size}`));
        chart.append(rect);
      }
      chart.append(svg("text", { x: left + i * step + step / 2, y: height - 6, "text-anchor": "middle" }, String(year)));
    });
    for (const category of categories) {
      $("chart-years-legend").append(el("li", {}, el("span", { style: `background:${colour(category)}` }), category || "(no category)"));
    }
  })();

  (function venues() {
    const byVenue = new Map();
    for (const row of rows) {
      if (!row.work || !row.venue) continue;
      if (!byVenue.has(row.venue)) byVenue.set(row.venue, new Set());
      byVenue.get(row.venue).add(row.work);
    }
    const top = [...byVenue.entries()].map(([venue, works]) => [venue, works.size])
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10);
    const chart = $("chart-venues");
    const width = 400, row = 22, label = 170;
    chart.setAttribute("viewBox", `0 0 ${width} ${Math.max(row, top.length * row)}`);
    const max = Math.max(1, ...top.map((t) => t[1]));
    top.forEach(([venue, count], i) => {
      const name = venue.length > 32 ? venue.slice(0, 31) + "\u2026" : venue;
      chart.append(svg("text", { x: 0, y: i * row + 14 }, name));
      const bar = svg("rect", { x: label, y: i * row + 4, width: Math.max(2, (width - label - 30) * count / max), height: row - 8, fill: "#2e6fdb",
        "data-venue": venue, "data-count": count });
      bar.append(svg("title", {}, `${venue}: ${count}`));
      chart.append(bar);
      chart.append(svg("text", { x: label + (width - label - 30) * count / max + 4, y: i * row + 14 }, String(count)));
    });
  })();

  update();
})();
