// Review queue keyboard shortcuts (no inline scripts: CSP allows only 'self').
// j/k move, a accept, e edit then accept, r reason field of reject, d duplicate select, x select for bulk.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".suggestion"));
  var index = -1;

  function select(n) {
    if (!items.length) return;
    index = Math.max(0, Math.min(items.length - 1, n));
    items.forEach(function (el, i) { el.classList.toggle("current", i === index); });
    items[index].focus({ preventScroll: true });
    items[index].scrollIntoView({ block: "nearest" });
  }

  function current() { return index >= 0 ? items[index] : null; }

  var selectAll = document.getElementById("select-all");
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      document.querySelectorAll('input[name="ids"][form="bulk-form"]').forEach(function (box) {
        box.checked = selectAll.checked;
      });
    });
  }

  items.forEach(function (el, i) {
    el.addEventListener("click", function () { if (index !== i) select(i); });
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.matches("input, textarea, select")) {
      if (event.key === "Escape") { target.blur(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var item = current();
    switch (event.key) {
      case "j": select(index + 1); break;
      case "k": select(index - 1); break;
      case "a":
        if (item) { item.querySelector('form[data-action="accept"]').requestSubmit(); }
        break;
      case "e":
        if (item) { window.location.href = item.querySelector('a[data-action="edit"]').href; }
        break;
      case "r":
        if (item) { item.querySelector('form[data-action="reject"] input[name="reason"]').focus(); }
        break;
      case "d":
        var dup = item && item.querySelector('form[data-action="duplicate"] select');
        if (dup) { dup.focus(); }
        break;
      case "x":
        if (item) { var box = item.querySelector('input[name="ids"]'); box.checked = !box.checked; }
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  if (items.length) select(0);
})();
