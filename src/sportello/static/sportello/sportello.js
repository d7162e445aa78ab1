/* Sportello: the little the pages need beyond Bootstrap and htmx. */
"use strict";

// The main menu is a <details> disclosure: opening the logout dialog (or any
// dialog) closes it, so it does not stay open behind the dialog.
document.addEventListener("show.bs.modal", function () {
  document.querySelectorAll("details.sp-menu[open]").forEach(function (menu) {
    menu.removeAttribute("open");
  });
});

// Self-service requests: a "Fai richiesta" link (data-sp-opens-dialog) has
// htmx fetch its form into the page's <dialog>; without JavaScript the link
// opens the form's own page. The dialog takes the focus, Esc (the browser)
// and ANNULLA (data-sp-dialog-close) close it, and the focus goes back to the
// link. Only answers marked as dialog fragments go in: anything else (the
// login page after the session expired, an error) is opened as a page.
(function () {
  // The first field in error, else the first field to fill in. (aria-invalid, not
  // .is-invalid: htmx settles the class attribute a moment after the swap.)
  function focusFirstField(dialog) {
    var field =
      dialog.querySelector("[aria-invalid=true]") ||
      dialog.querySelector("input:not([type=hidden]):not([readonly]), select, textarea");
    (field || dialog).focus();
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.matches || !target.matches("[data-sp-dialog-content]")) {
      return;
    }
    var xhr = event.detail.xhr;
    if (!xhr.getResponseHeader("Sp-Dialog")) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL || event.detail.requestConfig.path);
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.matches || !target.matches("[data-sp-dialog-content]")) {
      return;
    }
    var dialog = target.closest("dialog");
    if (!dialog.open) {
      dialog.showModal();
    }
    focusFirstField(dialog);
  });

  // The dialog's form could not be fetched: the link's page says why.
  function openAsPage(event) {
    var link = event.detail.elt;
    if (link && link.matches && link.matches("a[data-sp-opens-dialog]")) {
      window.location.assign(link.href);
    }
  }
  document.addEventListener("htmx:responseError", openAsPage);
  document.addEventListener("htmx:sendError", openAsPage);

  document.addEventListener("click", function (event) {
    var closer = event.target.closest ? event.target.closest("[data-sp-dialog-close]") : null;
    var dialog = closer ? closer.closest("dialog") : null;
    if (dialog) {
      event.preventDefault();
      dialog.close();
    }
  });

  // A closed dialog forgets its form: the next link opens a fresh one.
  document.addEventListener(
    "close",
    function (event) {
      var content = event.target.querySelector ? event.target.querySelector("[data-sp-dialog-content]") : null;
      if (content) {
        content.replaceChildren();
      }
    },
    true
  );

  // A page form (data-sp-submits-once) is sent once: a double click would send
  // it twice (two requests). The buttons are disabled only after the browser has
  // read the form, or the button's own name (E4's "Calcola") would not be sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-sp-submits-once]")) {
      return;
    }
    if (form.hasAttribute("data-sp-sending")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sp-sending", "");
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // Back to a page sent from (the browser's page cache): its form can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-sp-sending]").forEach(function (form) {
      form.removeAttribute("data-sp-sending");
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });

  // E1: the contract's current IBAN beside the new one.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-sp-shows-iban]")) {
      return;
    }
    var shown = document.getElementById(select.getAttribute("data-sp-shows-iban"));
    var option = select.options[select.selectedIndex];
    if (shown) {
      shown.value = (option && option.getAttribute("data-iban")) || "";
    }
  });
})();

// The bell (F1): without JavaScript a link to the notification list; with it a
// button that opens the last five in a panel. Esc or a click elsewhere closes
// the panel and the focus goes back to the bell. The badge refreshes itself
// with htmx (hx-trigger in notices/badge.html) sending the last ETag, so an
// unchanged count is a 304 with no body that changes nothing; a new count is
// read out by the polite live region.
(function () {
  var bell = document.getElementById("sp-bell");
  var panel = document.getElementById("sp-bell-panel");
  var status = document.getElementById("sp-bell-status");
  if (!bell || !panel) {
    return;
  }
  var etag = null;
  bell.setAttribute("role", "button");
  bell.setAttribute("aria-expanded", "false");

  function close(returnFocus) {
    if (panel.hidden) {
      return;
    }
    panel.hidden = true;
    bell.setAttribute("aria-expanded", "false");
    if (returnFocus) {
      bell.focus();
    }
  }

  function open() {
    panel.style.setProperty("--sp-bell-bottom", bell.getBoundingClientRect().bottom + "px");
    panel.hidden = false;
    bell.setAttribute("aria-expanded", "true");
    panel.textContent = "";
    htmx.ajax("GET", bell.getAttribute("data-sp-bell-latest"), { target: panel, swap: "innerHTML" }).then(function () {
      var first = panel.querySelector("a");
      if (first) {
        first.focus();
      }
    });
  }

  function toggle(event) {
    event.preventDefault();
    if (panel.hidden) {
      open();
    } else {
      close(true);
    }
  }

  bell.addEventListener("click", toggle);
  bell.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      toggle(event);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      close(true);
    }
  });
  document.addEventListener("click", function (event) {
    if (!panel.hidden && !event.target.closest("[data-sp-bell]")) {
      close(false);
    }
  });
  // Tabbing out of the panel closes it, as a menu would.
  panel.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !event.relatedTarget.closest("[data-sp-bell]")) {
      close(false);
    }
  });

  function isBadge(event) {
    var elt = event.detail.elt;
    return elt && elt.id === "sp-bell-badge";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    if (isBadge(event) && etag) {
      event.detail.headers["If-None-Match"] = etag;
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!isBadge(event)) {
      return;
    }
    var xhr = event.detail.xhr;
    if (xhr.status === 304) {
      event.detail.shouldSwap = false;
      return;
    }
    if (xhr.status !== 200) {
      // The session ended or the server failed: keep the badge, try again later.
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      return;
    }
    etag = xhr.getResponseHeader("ETag") || etag;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var badge = document.getElementById("sp-bell-badge");
    if (!badge || event.detail.target.id !== "sp-bell-badge") {
      return;
    }
    var label = badge.querySelector("[data-sp-bell-label]");
    if (badge.getAttribute("data-unread") !== bell.getAttribute("data-sp-announced")) {
      bell.setAttribute("data-sp-announced", badge.getAttribute("data-unread"));
      status.textContent = label ? label.textContent : "";
    }
  });
  var initial = document.getElementById("sp-bell-badge");
  if (initial) {
    bell.setAttribute("data-sp-announced", initial.getAttribute("data-unread"));
  }
  // Poll only while the tab is visible, and at once when it becomes visible again.
  // (Not with hx-trigger filters: they are evaluated as code, which the CSP forbids.)
  function poll() {
    var badge = document.getElementById("sp-bell-badge");
    if (badge && document.visibilityState === "visible") {
      htmx.trigger(badge, "sp-poll");
    }
  }
  var seconds = initial ? parseInt(initial.getAttribute("data-sp-poll-seconds"), 10) : 0;
  if (seconds > 0) {
    window.setInterval(poll, seconds * 1000);
    document.addEventListener("visibilitychange", poll);
  }
})();
