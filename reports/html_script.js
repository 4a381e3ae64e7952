// report.html: filtering and opening the claims of the worklist. The page
// is complete without this script (every claim and finding shows); it only
// hides, shows and opens what is already there. It never builds markup from
// data (textContent only), so nothing from an input file can become code.
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var table = doc.getElementById("claims");
  if (!table) {
    return;
  }
  var each = function (list, fn) {
    Array.prototype.forEach.call(list, fn);
  };
  var fmt = function (n) {
    return n.toLocaleString("en-US");
  };
  var claims = Array.prototype.slice.call(table.tBodies);
  claims.forEach(function (body) {
    body.searchText = body.textContent.toLowerCase();
  });

  var statusButtons = doc.querySelectorAll(".seg button[data-status]");
  var pg = doc.getElementById("f-pg");
  var rule = doc.getElementById("f-rule");
  var file = doc.getElementById("f-file");
  var search = doc.getElementById("f-q");
  var info = doc.getElementById("f-info");
  var expand = doc.getElementById("f-expand");
  var statusLine = doc.getElementById("f-status");
  var none = doc.getElementById("f-none");
  var status = "";

  function setOpen(body, open) {
    body.classList.toggle("open", open);
    var btn = body.querySelector("td.st button");
    if (btn) {
      btn.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }

  function apply() {
    var text = search.value.trim().toLowerCase();
    var shown = 0;
    claims.forEach(function (body) {
      var ok = (status === "" || body.getAttribute("data-status") === status) &&
        (pg.value === "" || body.getAttribute("data-pg") === pg.value) &&
        (file.value === "" || body.getAttribute("data-file") === file.value) &&
        (rule.value === "" || (" " + body.getAttribute("data-rules") + " ").indexOf(" " + rule.value + " ") >= 0) &&
        (text === "" || body.searchText.indexOf(text) >= 0);
      body.hidden = !ok;
      if (ok) {
        shown++;
      }
    });
    statusLine.textContent = shown === claims.length ?
      "Showing all " + fmt(claims.length) + " claims of this page" :
      "Showing " + fmt(shown) + " of the " + fmt(claims.length) + " claims of this page";
    none.hidden = shown !== 0;
  }

  each(statusButtons, function (btn) {
    btn.addEventListener("click", function () {
      status = btn.getAttribute("data-status");
      each(statusButtons, function (b) {
        b.setAttribute("aria-pressed", b === btn ? "true" : "false");
      });
      apply();
    });
  });
  [pg, rule, file].forEach(function (el) {
    el.addEventListener("change", apply);
  });
  search.addEventListener("input", apply);
  info.addEventListener("change", function () {
    table.classList.toggle("show-info", info.checked);
  });
  expand.addEventListener("click", function () {
    var open = expand.textContent === "Open all";
    claims.forEach(function (body) {
      if (!body.hidden) {
        setOpen(body, open);
      }
    });
    expand.textContent = open ? "Close all" : "Open all";
  });
  claims.forEach(function (body) {
    var btn = body.querySelector("td.st button");
    if (btn) {
      btn.addEventListener("click", function () {
        setOpen(body, !body.classList.contains("open"));
      });
    }
  });

  // A click on a bar of a chart filters the claims by its rule, payer
  // group or file.
  each(doc.querySelectorAll("[data-set]"), function (bar) {
    bar.addEventListener("click", function () {
      var el = doc.getElementById("f-" + bar.getAttribute("data-set"));
      if (!el) {
        return;
      }
      el.value = bar.getAttribute("data-value");
      if (el.value !== bar.getAttribute("data-value")) {
        el.value = ""; // not among the claims of this page
      }
      apply();
      doc.getElementById("worklist").scrollIntoView({ block: "start" });
    });
  });

  apply();
})();
