// Add and remove variant texts. New textareas get the network's field name, so the form posts them.
"use strict";

(function () {
  const template = document.getElementById("variant-template");
  if (!template) return;

  document.addEventListener("click", function (event) {
    const add = event.target.closest(".add-variant");
    if (add) {
      const network = add.getAttribute("data-network");
      const list = add.closest("fieldset").querySelector(".variant-list");
      const node = template.content.firstElementChild.cloneNode(true);
      const area = node.querySelector("textarea");
      area.name = "variant_" + network;
      area.setAttribute("data-network", network);
      node.querySelector(".counter").setAttribute("data-network", network);
      list.appendChild(node);
      area.focus();
      // Brython's checker listens for input: let it draw the counter for the empty text at once.
      area.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    const remove = event.target.closest(".remove-variant");
    if (remove) {
      const variant = remove.closest(".variant");
      const list = variant.parentElement;
      if (list.children.length > 1) {
        variant.remove();
      } else {
        // Keep one (empty) box per network: an empty box is ignored when saving.
        const area = variant.querySelector("textarea");
        area.value = "";
        area.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
  });
})();
