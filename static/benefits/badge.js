// Tier badge page: copy the embed snippet.
document.getElementById("copy-snippet").addEventListener("click", function () {
  var area = document.getElementById("badge-snippet");
  area.select();
  var done = function () { document.getElementById("copy-state").textContent = "Copied."; };
  if (navigator.clipboard) { navigator.clipboard.writeText(area.value).then(done); } else { document.execCommand("copy"); done(); }
});
