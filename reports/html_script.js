// report.html: sorting and filtering of the findings table. The page is
// complete without this script; it only hides, shows and reorders rows that
// are already there. It never builds markup from data (textContent only), so
// nothing from an input file can become code here.
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var table = doc.getElementById("findings");
  if (!table) {
    return;
  }
  var each = function (list, fn) {
    Array.prototype.forEach.call(list, fn);
  };
  var fmt = function (n) {
    return n.toLocaleString("en-US");
  };
  var collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

  var bodies = Array.prototype.slice.call(table.tBodies);
  var rows = [];
  bodies.forEach(function (body) {
    each(body.rows, function (row) {
      if (row.classList.contains("f")) {
        row.searchText = row.textContent.toLowerCase();
        rows.push(row);
      }
    });
  });

  var filters = ["rule", "sev", "pg", "file"].map(function (name) {
    return { name: name, el: doc.getElementById("f-" + name) };
  }).filter(function (f) {
    return f.el !== null;
  });
  var search = doc.getElementById("f-q");
  var status = doc.getElementById("f-status");
  var none = doc.getElementById("f-none");
  var moreBar = doc.getElementById("f-more");
  var moreBtn = doc.getElementById("f-more-btn");
  var allBtn = doc.getElementById("f-all-btn");

  // A browser lays a table of thousands of rows out slowly, so the script
  // shows the matching rows a page at a time (without it, every row shows).
  var PAGE = 1000;
  var limit = PAGE;

  function apply(keepLimit) {
    if (!keepLimit) {
      limit = PAGE;
    }
    var want = filters.map(function (f) {
      return f.el.value;
    });
    var text = search ? search.value.trim().toLowerCase() : "";
    var matched = 0;
    var shown = 0;
    rows.forEach(function (row) {
      var ok = true;
      for (var i = 0; ok && i < filters.length; i++) {
        if (want[i] !== "" && row.getAttribute("data-" + filters[i].name) !== want[i]) {
          ok = false;
        }
      }
      if (ok && text !== "" && row.searchText.indexOf(text) < 0) {
        ok = false;
      }
      if (ok) {
        matched++;
      }
      var show = ok && shown < limit;
      if (row.hidden === show) {
        row.hidden = !show;
      }
      if (show) {
        shown++;
      }
    });
    bodies.forEach(function (body) {
      var any = false;
      for (var i = 0; !any && i < body.rows.length; i++) {
        var row = body.rows[i];
        any = row.classList.contains("f") && !row.hidden;
      }
      body.hidden = !any;
    });
    if (status) {
      var of = matched === rows.length ? fmt(rows.length) + " rows" :
        fmt(matched) + " matching rows (of " + fmt(rows.length) + ")";
      if (shown === rows.length) {
        status.textContent = "Showing all " + fmt(rows.length) + " rows";
      } else if (shown === matched) {
        status.textContent = "Showing " + fmt(shown) + " of " + fmt(rows.length) + " rows";
      } else {
        status.textContent = "Showing the first " + fmt(shown) + " of " + of;
      }
    }
    if (moreBar) {
      moreBar.hidden = shown === matched;
      if (moreBtn) {
        moreBtn.textContent = "Show " + fmt(Math.min(PAGE, matched - shown)) + " more";
      }
    }
    if (none) {
      none.hidden = matched !== 0;
    }
  }
  filters.forEach(function (f) {
    f.el.addEventListener("change", function () {
      apply(false);
    });
  });
  if (search) {
    search.addEventListener("input", function () {
      apply(false);
    });
  }
  if (moreBtn) {
    moreBtn.addEventListener("click", function () {
      limit += PAGE;
      apply(true);
    });
  }
  if (allBtn) {
    allBtn.addEventListener("click", function () {
      limit = Infinity;
      apply(true);
    });
  }

  // Sorting: each table body sorts on its own, so a grouped table keeps its
  // groups. Ties keep report order (data-i).
  var heads = table.tHead.rows[0].cells;
  var sortCol = -1;
  var sortDir = 1;

  function key(row, col, type) {
    var cell = row.cells[col];
    var k = cell.hasAttribute("data-k") ? cell.getAttribute("data-k") : cell.textContent.trim();
    if (type === "num") {
      var n = parseFloat(k);
      return isNaN(n) ? Infinity : n;
    }
    return k;
  }

  function sortBodies(col, type, dir) {
    rows = [];
    bodies.forEach(function (body) {
      var list = [];
      each(body.rows, function (row) {
        if (row.classList.contains("f")) {
          list.push({ row: row, k: col < 0 ? 0 : key(row, col, type), i: +row.getAttribute("data-i") });
        }
      });
      list.sort(function (a, b) {
        var c = 0;
        if (col >= 0) {
          c = type === "num" ? (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) : collator.compare(a.k, b.k);
        }
        return c !== 0 ? c * dir : a.i - b.i;
      });
      var frag = doc.createDocumentFragment();
      list.forEach(function (e) {
        frag.appendChild(e.row);
        rows.push(e.row);
      });
      body.appendChild(frag);
    });
  }

  function markSorted(th, dir) {
    each(heads, function (h) {
      h.removeAttribute("aria-sort");
    });
    if (th) {
      th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
    }
  }

  each(heads, function (th, col) {
    var btn = th.querySelector("button");
    if (!btn) {
      return;
    }
    btn.addEventListener("click", function () {
      sortDir = sortCol === col ? -sortDir : 1;
      sortCol = col;
      markSorted(th, sortDir);
      sortBodies(col, th.getAttribute("data-type"), sortDir);
      apply(true);
    });
  });

  var reset = doc.getElementById("f-reset");
  if (reset) {
    reset.addEventListener("click", function () {
      filters.forEach(function (f) {
        f.el.value = "";
      });
      if (search) {
        search.value = "";
      }
      sortCol = -1;
      sortDir = 1;
      markSorted(null, 1);
      sortBodies(-1, "", 1);
      apply(false);
    });
  }

  // A click on a bar of the rule or file chart filters the table by it.
  each(doc.querySelectorAll("[data-set]"), function (bar) {
    bar.addEventListener("click", function () {
      var el = doc.getElementById("f-" + bar.getAttribute("data-set"));
      if (!el) {
        return;
      }
      el.value = bar.getAttribute("data-value");
      apply(false);
      table.scrollIntoView({ block: "start" });
    });
  });

  apply(false);
})();
