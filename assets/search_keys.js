// The territory search box (dashboard/components/search.py) as a combo box: ArrowDown / ArrowUp
// move through the suggestions, Enter opens the selected one (the first when none is), Escape
// closes the list. Screen readers follow the selection through aria-activedescendant; the
// suggestions become a listbox of options as soon as there are some.
(function () {
  "use strict";

  const SELECTED = "is-selected";
  let pendingEnter = null; // a field where Enter was pressed before the suggestions arrived

  function listOf(field) {
    const box = field.closest(".territory-search");
    return box ? box.querySelector(".search-results") : null;
  }

  function options(list) {
    return Array.from(list.querySelectorAll("li")).filter((item) => item.querySelector("a"));
  }

  // give the list its roles and ids each time the server sends new suggestions
  function dress(field) {
    const list = listOf(field);
    if (!list) {
      return [];
    }
    const items = options(list);
    if (!list.id) {
      list.id = field.id.replace(/[^A-Za-z0-9_-]+/g, "") + "-suggestions";
    }
    field.setAttribute("role", "combobox");
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", list.id);
    field.setAttribute("aria-expanded", items.length ? "true" : "false");
    if (items.length) {
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "Territoires proposés");
    } else {
      list.removeAttribute("role");
    }
    items.forEach((item, index) => {
      item.id = list.id + "-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", item.classList.contains(SELECTED) ? "true" : "false");
      item.querySelector("a").setAttribute("tabindex", "-1");
    });
    return items;
  }

  function select(field, items, index) {
    items.forEach((item, i) => {
      item.classList.toggle(SELECTED, i === index);
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) {
      field.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({block: "nearest"});
    } else {
      field.removeAttribute("aria-activedescendant");
    }
  }

  function open(item) {
    pendingEnter = null;
    item.querySelector("a").click(); // dcc.Link: the app navigates without reloading
  }

  document.addEventListener("keydown", function (event) {
    const field = event.target;
    if (!(field instanceof HTMLInputElement) || !field.closest(".territory-search")) {
      return;
    }
    const items = dress(field);
    const current = items.findIndex((item) => item.classList.contains(SELECTED));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) {
        return;
      }
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = current < 0 ? (step > 0 ? 0 : items.length - 1) : current + step;
      select(field, items, (next + items.length) % items.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (items.length) {
        open(items[Math.max(current, 0)]);
      } else if (field.value.trim().length >= 2) {
        pendingEnter = field; // the suggestions are on their way: open the first one
      }
    } else if (event.key === "Escape") {
      select(field, items, -1);
    }
  });

  // the whole row opens its territory, not only the name
  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    const item = target && target.closest(".search-results li");
    if (item && item.querySelector("a") && !target.closest("a")) {
      open(item);
    }
  });

  new MutationObserver(function () {
    document.querySelectorAll(".territory-search input").forEach(function (field) {
      const items = dress(field);
      if (pendingEnter === field && items.length) {
        open(items[0]);
      }
    });
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
