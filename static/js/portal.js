// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy
// can forbid inline script.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
