// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy
// can forbid inline script.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// A form with data-confirm, or the button that sends it, asks before it is sent (issuing a
// bulletin, accepting a report): irreversible and bulk actions are never one slip away.
function confirmQuestion(form, submitter) {
  return (submitter && submitter.dataset.confirm) || form.dataset.confirm || "";
}

document.addEventListener("submit", (event) => {
  if (event.target.hasAttribute("hx-post")) return; // htmx asks through htmx:confirm below
  const question = confirmQuestion(event.target, event.submitter);
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

document.addEventListener("htmx:confirm", (event) => {
  const form = event.detail.elt;
  const trigger = event.detail.triggeringEvent;
  if (!form || form.tagName !== "FORM") return;
  const question = confirmQuestion(form, trigger && trigger.submitter);
  if (!question) return;
  event.preventDefault();
  if (window.confirm(question)) event.detail.issueRequest(true);
});

// A "choose all" box ticks every enabled box of the name it names (批量交办).
document.addEventListener("change", (event) => {
  const name = event.target.dataset.checkAll;
  if (!name) return;
  document.querySelectorAll(`input[name="${name}"]:not(:disabled)`).forEach((box) => {
    box.checked = event.target.checked;
  });
});
// On a phone a table reads as one card per row: each cell carries its column's name
// (data-label, shown by portal.css). Tables laid out otherwise opt out with .figures.
function labelCells(root) {
  root.querySelectorAll("table:not(.figures):not(.preview):not(.units)").forEach((table) => {
    const heads = Array.from(table.querySelectorAll(":scope > thead th")).map((th) => th.textContent.trim());
    if (!heads.length) return;
    table.classList.add("cards");
    table.querySelectorAll(":scope > tbody > tr").forEach((row) => {
      Array.from(row.children).forEach((cell, index) => {
        if (!cell.hasAttribute("data-label") && heads[index] && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", heads[index]);
        }
      });
    });
  });
}

// Filters fold away on a phone unless some are in use: the list comes first.
function foldFilters(root) {
  if (!window.matchMedia("(max-width: 720px)").matches) return;
  root.querySelectorAll("details.filters-fold[data-fold-on-phone]:not([data-active])").forEach((details) => {
    details.open = false;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  labelCells(document);
  foldFilters(document);
});
document.addEventListener("htmx:afterSwap", (event) => labelCells(event.target));

// A department picker: typing in the box before a list hides the names that do not contain
// it (chosen ones stay visible), so a list of hundreds of units is searchable.
document.addEventListener("input", (event) => {
  const target = event.target.dataset.filterFor;
  if (!target) return;
  const query = event.target.value.trim();
  for (const option of document.getElementById(target).options) {
    option.hidden = Boolean(query) && !option.selected && !option.text.includes(query);
  }
});
