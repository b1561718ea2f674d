// The language switcher (templates/_language_switcher.html): picking a language sends the form at once, so
// its submit input is only needed without JavaScript. A file, not an onchange attribute: the CSP allows no inline script.
document.querySelectorAll("form[data-language-switcher]").forEach(function (form) {
  var button = form.querySelector("[type=submit]");
  if (button) {
    button.hidden = true;
  }
  form.querySelector("select").addEventListener("change", function () {
    form.submit();
  });
});
