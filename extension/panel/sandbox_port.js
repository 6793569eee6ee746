// The only JavaScript of the sandboxed pages: a pipe between window.parent and Python, and a
// DOM builder for herald_dom (one call per element instead of one per attribute: every
// Python -> DOM call costs a Brython conversion, and a panel of cards makes hundreds).
// Messages that arrive before Python listens (Brython is still booting) are kept in order.
(function () {
  "use strict";
  var queue = [];
  var listener = null;

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || window.parent === window) {
      return;
    }
    var text;
    try {
      text = JSON.stringify(event.data);
    } catch (error) {
      return;
    }
    if (listener) {
      listener(text);
    } else {
      queue.push(text);
    }
  });

  window.HeraldPort = {
    listen: function (callback) {
      listener = callback;
      while (queue.length) {
        callback(queue.shift());
      }
    },
    send: function (jsonText) {
      window.parent.postMessage(JSON.parse(jsonText), "*");
    },
  };

  window.HeraldDom = {
    // Text only ever goes through textContent, so snippet or server text never becomes markup.
    el: function (tag, attrs, text, children) {
      var node = document.createElement(tag);
      if (attrs) {
        for (var name in attrs) {
          var value = attrs[name];
          if (value === null || value === undefined || value === false) {
            continue;
          }
          node.setAttribute(name, value === true ? "" : String(value));
        }
      }
      if (text !== null && text !== undefined) {
        node.textContent = text;
      }
      if (children) {
        for (var i = 0; i < children.length; i++) {
          if (children[i]) {
            node.appendChild(children[i]);
          }
        }
      }
      return node;
    },
    replace: function (node, children) {
      var fragment = document.createDocumentFragment();
      for (var i = 0; i < children.length; i++) {
        if (children[i]) {
          fragment.appendChild(children[i]);
        }
      }
      node.replaceChildren(fragment);
    },
  };
})();
