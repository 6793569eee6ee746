// The only JavaScript of the sandboxed pages: a pipe between window.parent and Python.
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
})();
