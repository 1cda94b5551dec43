(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("findings-data").textContent);
  var checks = data.checks, waivers = data.waivers, all = data.findings;
  var LABELS = {PASS: "Pass", FAIL: "Fail", ERROR: "Error", WAIVED: "Waived", NOT_APPLICABLE: "N/A"};
  var el = function (id) { return document.getElementById(id); };
  var controls = {status: el("f-status"), severity: el("f-severity"), source: el("f-source"),
                  req: el("f-req"), text: el("f-text"), size: el("f-size"), expand: el("f-expand")};
  var state = {page: 1};
  var body = el("findings-body");

  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined && text !== null) { n.textContent = String(text); }
    return n;
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    Object.keys(controls).forEach(function (key) {
      if (params.has(key)) { controls[key].value = params.get(key); }
    });
    state.page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
  }

  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(controls).forEach(function (key) {
      var value = controls[key].value;
      if (value && !(key === "size" && value === "50")) { params.set(key, value); }
    });
    if (state.page > 1) { params.set("page", String(state.page)); }
    var text = params.toString();
    history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
  }

  function matches(f) {
    var check = checks[f[0]], status = f[1];
    var want = controls.status.value;
    if (want === "open" ? (status !== "FAIL" && status !== "ERROR") : (want && status !== want)) { return false; }
    if (controls.severity.value && check[2] !== controls.severity.value) { return false; }
    if (controls.source.value && check[5] !== controls.source.value) { return false; }
    var req = controls.req.value.trim();
    if (req && f[6].indexOf(req) < 0) { return false; }
    var text = controls.text.value.trim().toLowerCase();
    if (text) {
      var hay = (check[0] + " " + check[1] + " " + f[2] + " " + f[3] + " " + f[4]).toLowerCase();
      if (hay.indexOf(text) < 0) { return false; }
    }
    return true;
  }

  function detailRow(f) {
    var check = checks[f[0]];
    var tr = node("tr", "detail"), td = node("td");
    td.colSpan = 6;
    var dl = node("dl");
    function item(label, value) {
      if (value === "" || value === null || value === undefined) { return; }
      dl.appendChild(node("dt", "", label));
      var dd = node("dd");
      if (typeof value === "string") { dd.textContent = value; } else { dd.appendChild(value); }
      dl.appendChild(dd);
    }
    item("Message", f[4]);
    item("Subject", f[2]);
    item("Subject type", f[3]);
    if (f[5].length) {
      var table = node("table", "evidence");
      var head = node("tr");
      ["Property path", "Observed", "Expected"].forEach(function (h) { head.appendChild(node("th", "", h)); });
      table.appendChild(head);
      f[5].forEach(function (e) {
        var row = node("tr");
        row.appendChild(node("td", "mono", e[0]));
        row.appendChild(node("td", "mono", e[1]));
        row.appendChild(node("td", "mono", e[2]));
        table.appendChild(row);
      });
      item("Evidence", table);
    }
    item("Remediation", check[4]);
    item("Category", check[3]);
    item("Requirements", f[6].join(", "));
    if (f[7] >= 0) {
      var w = waivers[f[7]];
      item("Waiver", (w[0] ? w[0] + ": " : "") + w[2] + " (owner " + w[1] + ", expires " + w[3] + ")");
    }
    td.appendChild(dl);
    tr.appendChild(td);
    return tr;
  }

  function row(f) {
    var check = checks[f[0]];
    var tr = node("tr", "finding");
    var status = node("td");
    status.appendChild(node("span", "badge b-" + f[1].toLowerCase(), LABELS[f[1]] || f[1]));
    tr.appendChild(status);
    tr.appendChild(node("td", "sev sev-" + check[2], check[2]));
    var what = node("td");
    what.appendChild(node("div", "mono", check[0]));
    what.appendChild(node("div", "", check[1]));
    tr.appendChild(what);
    var subject = node("td");
    var name = node("div", "mono", f[8] || f[2]);
    name.title = f[2];  // the full URN (or ARN) on hover; the short name is type + name
    subject.appendChild(name);
    if (f[3]) { subject.appendChild(node("div", "muted small", f[3])); }
    tr.appendChild(subject);
    var evidence = node("td", "evidence-cell");
    f[5].slice(0, 3).forEach(function (e) {
      var line = node("div", "mono small");
      line.appendChild(node("span", "ev-path", e[0]));
      line.appendChild(document.createTextNode(" = "));
      line.appendChild(node("span", "ev-observed", e[1].length > 120 ? e[1].slice(0, 120) + "…" : e[1]));
      if (e[2]) { line.appendChild(node("span", "muted", " (expected " + e[2] + ")")); }
      evidence.appendChild(line);
    });
    if (f[5].length > 3) { evidence.appendChild(node("div", "muted small", "+" + (f[5].length - 3) + " more")); }
    tr.appendChild(evidence);
    tr.appendChild(node("td", "small", check[5]));
    tr.addEventListener("click", function () {
      var next = tr.nextSibling;
      if (next && next.className === "detail") { next.remove(); } else { tr.after(detailRow(f)); }
    });
    return tr;
  }

  function pager(target, page, pages, shown, start, count) {
    target.textContent = "";
    var prev = node("button", "", "‹ Previous"), next = node("button", "", "Next ›");
    prev.type = next.type = "button";
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
    prev.addEventListener("click", function () { state.page = page - 1; render(true); });
    next.addEventListener("click", function () { state.page = page + 1; render(true); });
    target.appendChild(prev);
    target.appendChild(node("span", "pager-text", count ?
      "Showing " + (start + 1) + "–" + (start + shown) + " of " + count + " · page " + page + " of " + pages :
      "No finding matches these filters"));
    target.appendChild(next);
  }

  function render(scroll, initial) {
    var selected = all.filter(matches);
    var size = parseInt(controls.size.value, 10) || selected.length || 1;
    var pages = Math.max(1, Math.ceil(selected.length / size));
    state.page = Math.min(state.page, pages);
    var start = (state.page - 1) * size;
    var slice = selected.slice(start, start + size);
    var fragment = document.createDocumentFragment();
    var expand = controls.expand.value === "1";
    slice.forEach(function (f) {
      fragment.appendChild(row(f));
      if (expand) { fragment.appendChild(detailRow(f)); }
    });
    body.textContent = "";
    body.appendChild(fragment);
    el("finding-total").textContent = "(" + selected.length + " of " + all.length + ")";
    pager(el("pager-top"), state.page, pages, slice.length, start, selected.length);
    pager(el("pager-bottom"), state.page, pages, slice.length, start, selected.length);
    if (!initial) { writeHash(); }
    if (scroll) { el("findings").scrollIntoView(); }
  }

  Object.keys(controls).forEach(function (key) {
    controls[key].addEventListener(key === "text" || key === "req" ? "input" : "change", function () {
      state.page = 1;
      render(false);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("a[data-req]"), function (a) {
    a.addEventListener("click", function () {
      controls.req.value = a.getAttribute("data-req");
      controls.status.value = "";
      state.page = 1;
      render(false);
    });
  });
  readHash();
  render(false, true);
}());
