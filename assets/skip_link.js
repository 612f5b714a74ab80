// "Aller au contenu" moves the keyboard focus to the main region without touching the address:
// a #fragment in the address would make Dash render the page again.
document.addEventListener("click", function (event) {
  const link = event.target.closest && event.target.closest("a.skip-link");
  if (!link) { return; }
  event.preventDefault();
  const main = document.getElementById("contenu");
  if (main) {
    main.setAttribute("tabindex", "-1");
    main.focus();
  }
});
