/* Final actions ask first, in a native <dialog> (the Content-Security-Policy allows no inline script).
 *
 * Markup (common/templates/_confirm.html): <form data-confirm="ID"> with the asking submit button and
 * <dialog id="ID"> inside it, holding [data-confirm-cancel] and the submit button [data-confirm-ok] that
 * sends the confirmation field. The asking button opens the dialog instead of posting; focus moves to
 * "Fortryd" (the harmless answer), Escape or "Fortryd" closes it and focus returns to the asking button.
 * Without JavaScript the form posts unconfirmed and the server answers with a page that asks.
 */
(function () {
  "use strict";

  function wire(form) {
    var dialog = document.getElementById(form.getAttribute("data-confirm"));
    if (!dialog || typeof dialog.showModal !== "function") {
      return; // no <dialog> support: the server's confirmation page asks instead
    }
    var opener = null;
    var cancel = dialog.querySelector("[data-confirm-cancel]");

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.hasAttribute("data-confirm-ok")) {
        return; // confirmed: post with the confirmation field
      }
      event.preventDefault();
      opener = submitter || form.querySelector("button[type=submit]");
      dialog.showModal();
      if (cancel) {
        cancel.focus();
      }
    });
    if (cancel) {
      cancel.addEventListener("click", function () {
        dialog.close();
      });
    }
    // Escape closes the dialog natively (a "cancel" event, then "close").
    dialog.addEventListener("close", function () {
      if (opener) {
        opener.focus();
      }
    });
  }

  function init() {
    var forms = document.querySelectorAll("form[data-confirm]");
    for (var i = 0; i < forms.length; i++) {
      wire(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
