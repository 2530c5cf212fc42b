// Progressive enhancement for the proposal form: while a team writes its title, problem and aim,
// ask the server for similar projects and show them beside the form. Without JavaScript the panel
// is filled when the form is saved.
(function () {
  var form = document.querySelector("form[data-similar]");
  var panel = document.querySelector(".similar-projects");
  if (!form || !panel) return;
  var list = panel.querySelector("ul, p.empty");
  var timer = null;
  function refresh() {
    var text = ["title", "problem", "aim_what"].map(function (name) {
      var field = form.elements[name];
      return field ? field.value : "";
    }).join(" ");
    var url = form.getAttribute("data-similar") + "?text=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      if (!html) return;
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.firstElementChild;
      if (fresh && list) { list.replaceWith(fresh); list = fresh; }
    });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
