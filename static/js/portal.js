// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy
// can forbid inline script.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// A form with data-confirm asks before it is sent (issuing a bulletin, say).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
