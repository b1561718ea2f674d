// Partner filters: suggest partner names while staff type (a few from the server, never the whole list),
// and put the chosen partner's id in the form's hidden "partner" field. Without this file the field still
// filters by "name contains". A static file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.querySelectorAll("input[data-partner-search]").forEach(function (input, n) {
    var form = input.form;
    var hidden = form && form.querySelector("input[type=hidden][name=partner]");
    var list = document.createElement("datalist");
    var timer = null;
    var asked = "";
    list.id = "partner-suggestions-" + n;
    input.after(list);
    input.setAttribute("list", list.id);

    function chosen() {
      var options = list.querySelectorAll("option");
      for (var i = 0; i < options.length; i += 1) {
        if (options[i].value === input.value) { return options[i]; }
      }
      return null;
    }

    function pick() {
      var option = chosen();
      if (hidden) { hidden.value = option ? option.getAttribute("data-id") : ""; }
    }

    function suggest() {
      var q = input.value.trim();
      if (q.length < 2 || q === asked) { return; }
      asked = q;
      fetch(input.getAttribute("data-partner-search") + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : { results: [] };
      }).then(function (data) {
        if (q !== input.value.trim()) { return; }  // typed on meanwhile: a newer answer follows
        list.replaceChildren.apply(list, data.results.map(function (partner) {
          var option = document.createElement("option");
          option.value = partner.name;
          option.setAttribute("data-id", String(partner.id));
          return option;
        }));
        pick();
      }).catch(function () { /* suggestions are a convenience; the text filter still works */ });
    }

    input.addEventListener("input", function () {
      pick();
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 200);
    });
  });
}());
