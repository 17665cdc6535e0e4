// The search dialog Material renders has no accessible name; screen readers announce it as "Search".
document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (dialog) {
  dialog.setAttribute("aria-label", "Search");
});
