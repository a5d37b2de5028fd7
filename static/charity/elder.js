/* 长辈模式 (larger type, higher contrast), remembered in this browser (localStorage) and applied
   as a class on <html> before the page is drawn. Client-side on purpose: pages are cached whole
   for anonymous visitors (charity/page_cache.py), so the server sends everyone the same HTML. */
(function () {
  var KEY = "charity-elder-mode";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  function apply(on) {
    root.classList.toggle("elder", on);
    var button = document.querySelector(".elder-toggle");
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "标准模式" : "长辈模式";
    }
  }

  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".elder-toggle");
    if (!button) return;
    button.hidden = false; // without this script the button would do nothing: it stays hidden
    apply(stored());
    button.addEventListener("click", function () {
      var on = !root.classList.contains("elder");
      try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
      apply(on);
    });
  });
})();
