// Progressive enhancement for "Add someone to the team": as the lead types part of a name, unit or
// email, the people who match are listed as radio buttons to choose from (the same list the server
// shows after "Add to team" without JavaScript), announced politely to screen readers.
(function () {
  var form = document.getElementById("add-member");
  if (!form) return;
  var input = form.elements["person"];
  if (!input) return;
  var url = form.getAttribute("action").split("#")[0] + "/choices";
  var live = document.createElement("div");
  live.setAttribute("aria-live", "polite");
  live.className = "team-choices";
  var existing = document.getElementById("add-member-field-person_id");
  if (existing) {
    existing.parentNode.insertBefore(live, existing);
    live.appendChild(existing);
  } else {
    input.closest(".field").after(live);
  }
  var timer = null;
  var asked = "";
  function refresh() {
    var text = input.value.trim();
    if (text === asked) return;
    asked = text;
    if (text.length < 2) { live.innerHTML = ""; return; }
    fetch(url + "?person=" + encodeURIComponent(text), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (text !== asked) return;
        live.innerHTML = html;
      });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
})();
