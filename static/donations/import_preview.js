// Disabling the button stops a double click from sending the same file twice. A file, not an
// inline handler: the Content-Security-Policy allows scripts from this site only.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.hasAttribute("data-submit-once")) {
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
  }
});
