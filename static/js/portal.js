// Behaviour for every page, from a static file: the Content-Security-Policy allows no inline script.
// A form with data-confirm asks before it is sent (removing a colleague, a person from the roster...).
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
}, true);
