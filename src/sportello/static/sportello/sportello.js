/* Sportello: the little the pages need beyond Bootstrap and htmx. */
"use strict";

// The main menu is a <details> disclosure: opening the logout dialog (or any
// dialog) closes it, so it does not stay open behind the dialog.
document.addEventListener("show.bs.modal", function () {
  document.querySelectorAll("details.sp-menu[open]").forEach(function (menu) {
    menu.removeAttribute("open");
  });
});
