// Progressive enhancement on every signed-in page: without JavaScript each page still works, and
// the navigation wraps.

// Phones: the main navigation folds behind a "Menu" button, which says whether it is open
// (aria-expanded). On a wide screen the style sheet hides the button and the list always shows.
(function () {
  var nav = document.querySelector(".site-header nav");
  if (!nav) return;
  var list = nav.querySelector("ul");
  if (!list) return;
  list.id = list.id || "site-menu";
  var button = document.createElement("button");
  button.type = "button";
  button.className = "menu-button";
  button.textContent = "Menu";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", list.id);
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });
  nav.insertBefore(button, list);
  nav.classList.add("folding");
})();

// Print buttons ([data-print], hidden without JavaScript): the content security policy runs no
// inline handler, so the click is wired here.
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
