// The only JavaScript of the sandboxed pages: a pipe between window.parent and Python that
// checks every message against its schema (window.HERALD_ASSETS.schemas) in both directions,
// and a DOM builder for herald_dom (one call per element instead of one per attribute: every
// Python -> DOM call costs a Brython conversion, and a panel of cards makes hundreds).
// Messages that arrive before Python listens (Brython is still booting) are kept in order.
// The checker is the JavaScript twin of herald_schema.py (same subset, same messages): it runs
// here so the panel's boot does not wait for Brython to compile a validator.
(function () {
  "use strict";
  var queue = [];
  var listener = null;
  var lastData = null; // JSON text of the last `data` message passed on

  // --- JSON Schema subset (twin of herald_schema.py) -----------------------------------------
  var TYPE_CHECKS = {
    object: function (v) { return v !== null && typeof v === "object" && !Array.isArray(v); },
    array: function (v) { return Array.isArray(v); },
    string: function (v) { return typeof v === "string"; },
    boolean: function (v) { return typeof v === "boolean"; },
    integer: function (v) { return typeof v === "number" && Number.isInteger(v); },
    number: function (v) { return typeof v === "number" && isFinite(v); },
    null: function (v) { return v === null; },
  };

  function repr(value) {
    return JSON.stringify(value);
  }

  function same(left, right) {
    // JSON equality: true is not 1, key order does not matter.
    if (left === right) return true;
    if (typeof left !== typeof right || left === null || right === null || typeof left !== "object") {
      return false;
    }
    if (Array.isArray(left) !== Array.isArray(right)) return false;
    var keys = Object.keys(left);
    if (keys.length !== Object.keys(right).length) return false;
    for (var i = 0; i < keys.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(right, keys[i]) || !same(left[keys[i]], right[keys[i]])) {
        return false;
      }
    }
    return true;
  }

  function codePoints(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }

  function resolveRef(ref, root, resolve) {
    if (ref.charAt(0) === "#") {
      var node = root;
      var parts = ref.slice(1).split("/");
      for (var i = 0; i < parts.length; i++) {
        if (!parts[i]) continue;
        if (!TYPE_CHECKS.object(node) || !(parts[i] in node)) return null;
        node = node[parts[i]];
      }
      return node;
    }
    return resolve ? resolve(ref) : null;
  }

  function errors(schema, value, root, path, resolve) {
    root = root === undefined ? schema : root;
    var at = path || "/";
    if (schema === true || (TYPE_CHECKS.object(schema) && Object.keys(schema).length === 0)) return [];
    if (schema === false) return [at + ": not allowed"];
    var problems = [];
    var i;
    if ("$ref" in schema) {
      var target = resolveRef(schema.$ref, root, resolve);
      if (target === null || target === undefined) return [at + ": unknown $ref " + schema.$ref];
      problems = problems.concat(
        errors(target, value, schema.$ref.charAt(0) === "#" ? root : target, path, resolve)
      );
    }
    if (schema.type !== undefined) {
      var names = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!names.some(function (name) { return TYPE_CHECKS[name](value); })) {
        return problems.concat([at + ": expected " + names.join(" or ")]);
      }
    }
    if ("const" in schema && !same(value, schema.const)) problems.push(at + ": must be " + repr(schema.const));
    if ("enum" in schema && !schema.enum.some(function (option) { return same(value, option); })) {
      problems.push(at + ": must be one of " + repr(schema.enum));
    }
    if (TYPE_CHECKS.object(value)) {
      (schema.required || []).forEach(function (name) {
        if (!Object.prototype.hasOwnProperty.call(value, name)) problems.push(path + "/" + name + ": required");
      });
      var properties = schema.properties || {};
      var extra = "additionalProperties" in schema ? schema.additionalProperties : true;
      Object.keys(value).forEach(function (name) {
        if (Object.prototype.hasOwnProperty.call(properties, name)) {
          problems = problems.concat(errors(properties[name], value[name], root, path + "/" + name, resolve));
        } else if (extra === false) {
          problems.push(path + "/" + name + ": unexpected property");
        } else if (TYPE_CHECKS.object(extra)) {
          problems = problems.concat(errors(extra, value[name], root, path + "/" + name, resolve));
        }
      });
    }
    if (Array.isArray(value)) {
      if ("minItems" in schema && value.length < schema.minItems) problems.push(at + ": fewer than " + schema.minItems + " items");
      if ("maxItems" in schema && value.length > schema.maxItems) problems.push(at + ": more than " + schema.maxItems + " items");
      if (TYPE_CHECKS.object(schema.items) || typeof schema.items === "boolean") {
        for (i = 0; i < value.length; i++) {
          problems = problems.concat(errors(schema.items, value[i], root, path + "/" + i, resolve));
        }
      }
    }
    if (typeof value === "string") {
      if ("minLength" in schema && codePoints(value) < schema.minLength) problems.push(at + ": shorter than " + schema.minLength);
      if ("maxLength" in schema && codePoints(value) > schema.maxLength) problems.push(at + ": longer than " + schema.maxLength);
    }
    if (TYPE_CHECKS.number(value)) {
      if ("minimum" in schema && value < schema.minimum) problems.push(at + ": below " + schema.minimum);
      if ("maximum" in schema && value > schema.maximum) problems.push(at + ": above " + schema.maximum);
    }
    (schema.allOf || []).forEach(function (sub) {
      problems = problems.concat(errors(sub, value, root, path, resolve));
    });
    if ("anyOf" in schema && !schema.anyOf.some(function (sub) { return errors(sub, value, root, path, resolve).length === 0; })) {
      problems.push(at + ": matches none of anyOf");
    }
    if ("oneOf" in schema) {
      var matching = schema.oneOf.filter(function (sub) { return errors(sub, value, root, path, resolve).length === 0; }).length;
      if (matching !== 1) problems.push(at + ": matches " + matching + " of oneOf, expected exactly 1");
    }
    if ("not" in schema && errors(schema.not, value, root, path, resolve).length === 0) {
      problems.push(at + ": must not match");
    }
    return problems;
  }

  function schemas() {
    return (window.HERALD_ASSETS && window.HERALD_ASSETS.schemas) || {};
  }

  /** Problems of one message ([] when it matches its schema); schemas are keyed by file name. */
  function problems(message, table) {
    table = table || schemas();
    if (!TYPE_CHECKS.object(message) || typeof message.type !== "string") {
      return ["/: a message is an object with a string `type`"];
    }
    var schema = table[message.type.replace(/:/g, "-")];
    if (!schema) return ["/type: unknown message type " + repr(message.type)];
    return errors(schema, message, undefined, "", function (ref) {
      return table[ref.split("/").pop().replace(".schema.json", "")] || null;
    });
  }

  function typeOf(message) {
    return TYPE_CHECKS.object(message) ? message.type : "?";
  }

  // --- The pipe ----------------------------------------------------------------------------------
  // The bridge hands over its MessageChannel port (`port` message) right after `ready`: from then
  // on messages come and go through it (a keystroke's text arrives without waiting for the host
  // page's next task, and what the panel says is not heard by the host page's scripts). The first
  // port wins; window messages are ignored once it is open. The options page has no port.
  var port = null;

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || window.parent === window) {
      return;
    }
    if (port) {
      return;
    }
    if (TYPE_CHECKS.object(event.data) && event.data.type === "port") {
      if (event.ports && event.ports[0] && !problems(event.data).length) {
        port = event.ports[0];
        port.onmessage = function (message) {
          receive(message.data);
        };
      }
      return;
    }
    receive(event.data);
  });

  function receive(data) {
    var text;
    try {
      text = JSON.stringify(data);
    } catch (error) {
      return;
    }
    var found = problems(data);
    if (found.length) {
      // A message that breaks its schema could put the page in a state the host never meant.
      console.error("[herald]", "dropped message", typeOf(data), found.join("; "));
      return;
    }
    if (data.type === "snapshot") {
      Snapshot.offered(data); // for this page alone: Python never sees it
      return;
    }
    if (data.type === "data") {
      // The bridge pushes its state again when the panel says ready: the same `data` twice in
      // a row changes nothing, so Python (busy booting) does not convert and compare it again.
      if (text === lastData) {
        return;
      }
      lastData = text;
    }
    // The last drawn panel shown now, while Python already listens (the host answered late):
    // Python draws in the next task, after the browser could paint it.
    var justShown = data.type === "init" && Snapshot.received(lastData, text);
    if (listener && !queue.length && !justShown) {
      deliver(data, text);
    } else {
      queue.push([data, text]); // in order behind what is still queued
      if (listener && justShown && queue.length === 1) setTimeout(flush, 0);
    }
  }

  function deliver(message, text) {
    Snapshot.delivered(message);
    listener(text);
  }

  // What came while Brython booted, in order. The panel draws its cards when `init` arrives (the
  // cards' data comes before it): the rest (the policy to parse, ...) waits for the next task,
  // so the browser paints the cards first.
  function flush() {
    while (queue.length) {
      var next = queue.shift();
      try {
        deliver(next[0], next[1]);
      } catch (error) {
        console.error("[herald]", "message handler failed", next[0].type, error); // the rest still go
      }
      if (next[0].type === "init" && queue.length) {
        setTimeout(flush, 0);
        return;
      }
    }
  }

  function post(message) {
    var found = problems(message);
    if (found.length) {
      console.error("[herald]", "sending a message that breaks its schema", typeOf(message), found.join("; "));
    }
    if (port) {
      port.postMessage(message);
    } else {
      window.parent.postMessage(message, "*");
    }
  }

  window.HeraldPort = {
    listen: function (callback) {
      listener = callback;
      flush();
    },
    // Python drew its first list (every card, handlers bound): see Snapshot.
    drawn: function () {
      Snapshot.drawn();
    },
    // The last drawn panel is on screen: Python draws its whole first list at once (the split
    // that shows the first cards sooner would take the rest away for a moment).
    shown: function () {
      return Snapshot.shown();
    },
    send: function (jsonText) {
      post(JSON.parse(jsonText));
    },
    problems: problems,
  };

  // A page may say `ready` as soon as this pipe exists (panel.html: data-announce="ready"), not
  // when Python listens: the host's answer (the port, the cards' data, init) then crosses the
  // frames while Brython boots and waits in `queue`, so the first cards are drawn without a
  // round trip through the host page after Python starts (~20 ms of the panel's cold boot).
  var announce = document.currentScript && document.currentScript.getAttribute("data-announce");
  if (announce && window.parent !== window) {
    window.HeraldPort.send(JSON.stringify({ type: announce }));
  }

  // Handlers go through one listener per event that calls the element's current handler, so
  // morph can give a kept element the new list's handlers.
  function dispatch(event) {
    var handler = this.heraldOn && this.heraldOn[event.type];
    if (handler) handler(event);
  }

  function setHandlers(node, on) {
    node.heraldOn = on || {};
    node.heraldListening = node.heraldListening || {};
    for (var event in node.heraldOn) {
      if (!node.heraldListening[event]) {
        node.heraldListening[event] = true;
        node.addEventListener(event, dispatch);
      }
    }
  }

  // Only a string or a number is text: anything else (Python's None arrives as an object)
  // would read "[object Object]" on screen.
  function isText(text) {
    return (typeof text === "string" && text !== "") || typeof text === "number";
  }

  // An attribute's value as the element carries it, or null for no attribute (false, null, and
  // an object: Python's None as Brython hands it over).
  function attributeValue(value) {
    if (value === null || value === undefined || value === false || typeof value === "object") return null;
    return value === true ? "" : String(value);
  }

  // Brings `node` to what `spec` describes, keeping it and every descendant whose tag still
  // matches (a button stays the same element while its card's text or counts change); returns
  // the element to show, a new one when the tag differs.
  function morph(node, spec) {
    if (!node || node.nodeType !== 1 || node.tagName.toLowerCase() !== String(spec[0]).toLowerCase()) {
      return window.HeraldDom.build(spec);
    }
    var attrs = spec[1] || {};
    for (var i = node.attributes.length - 1; i >= 0; i--) {
      var name = node.attributes[i].name;
      if (!Object.prototype.hasOwnProperty.call(attrs, name) || attributeValue(attrs[name]) === null) {
        node.removeAttribute(name);
      }
    }
    for (var key in attrs) {
      var value = attributeValue(attrs[key]);
      if (value !== null && node.getAttribute(key) !== value) node.setAttribute(key, value);
    }
    setHandlers(node, spec[4]);
    var children = (spec[3] || []).filter(Boolean);
    var text = spec[2];
    if (isText(text)) {
      if (children.length || node.childElementCount || node.textContent !== String(text)) {
        window.HeraldDom.replace(node, []);
        node.textContent = String(text);
        node.append.apply(node, children.map(window.HeraldDom.build));
      }
      return node;
    }
    // No text of its own: its children, kept in order where their tags match.
    for (var c = node.firstChild; c; ) {
      var next = c.nextSibling;
      if (c.nodeType !== 1) node.removeChild(c);
      c = next;
    }
    for (var j = 0; j < children.length; j++) {
      var current = node.children[j];
      var made = morph(current, children[j]);
      if (made !== current) {
        if (current) node.replaceChild(made, current);
        else node.appendChild(made);
      }
    }
    while (node.children.length > children.length) node.removeChild(node.lastElementChild);
    return node;
  }

  // Which earlier child a list item continues: its data-key (a card's snippet id), else its tag
  // and class.
  function keyOf(tag, attrs) {
    attrs = attrs || {};
    var key = attributeValue(attrs["data-key"]);
    return String(tag) + "|" + (key !== null ? key : attrs["class"]);
  }

  window.HeraldDom = {
    // Text only ever goes through textContent, so snippet or server text never becomes markup.
    el: function (tag, attrs, text, children) {
      var node = document.createElement(tag);
      if (attrs) {
        for (var name in attrs) {
          var value = attributeValue(attrs[name]);
          if (value !== null) node.setAttribute(name, value);
        }
      }
      if (isText(text)) node.textContent = String(text);
      if (children) {
        for (var i = 0; i < children.length; i++) {
          if (children[i]) {
            node.appendChild(children[i]);
          }
        }
      }
      return node;
    },
    // [tag, attrs, text, [child specs], {event: handler}] -> element (herald_dom.h describes them)
    build: function build(spec) {
      var node = window.HeraldDom.el(spec[0], spec[1], spec[2], (spec[3] || []).map(build));
      if (spec[4]) setHandlers(node, spec[4]);
      return node;
    },
    render: function (node, specs) {
      window.HeraldDom.replace(node, specs.map(window.HeraldDom.build));
    },
    append: function (node, specs) {
      node.append.apply(node, specs.map(window.HeraldDom.build));
    },
    // Like render, but each item continuing an earlier one (same key: keyOf) keeps its element,
    // brought up to date in place (morph): a list that changes while a click is under way on a
    // card's Insert (a sync bringing a new suggestion, a new count of colleagues) does not
    // replace the button between mousedown and mouseup, which would make no click.
    renderKeeping: function (node, specs) {
      var old = {};
      for (var child = node.firstElementChild; child; child = child.nextElementSibling) {
        var key = keyOf(child.tagName.toLowerCase(), { "data-key": child.getAttribute("data-key"), class: child.getAttribute("class") });
        (old[key] = old[key] || []).push(child);
      }
      var wantedNodes = specs.map(function (spec) {
        var earlier = old[keyOf(spec[0], spec[1])];
        var kept = earlier && earlier.shift();
        return kept ? morph(kept, spec) : window.HeraldDom.build(spec);
      });
      var keep = new Set(wantedNodes);
      for (var node2 = node.firstChild; node2; ) {
        var next = node2.nextSibling;
        if (!keep.has(node2)) node.removeChild(node2);
        node2 = next;
      }
      var at = node.firstChild;
      for (var i = 0; i < wantedNodes.length; i++) {
        if (wantedNodes[i] === at) {
          at = at.nextSibling;
        } else {
          node.insertBefore(wantedNodes[i], at);
        }
      }
    },
    // {id: text} and {id: {attribute: value}} in one call (the panel's labels when its language
    // is set: a dozen elements, each a Brython -> DOM call or two otherwise).
    fill: function (texts, attributes) {
      var id;
      for (id in texts || {}) {
        var node = document.getElementById(id);
        if (node && typeof texts[id] === "string") node.textContent = texts[id];
      }
      for (id in attributes || {}) {
        var target = document.getElementById(id);
        if (!target) continue;
        for (var name in attributes[id]) {
          if (typeof attributes[id][name] === "string") target.setAttribute(name, attributes[id][name]);
        }
      }
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
  // --- The last drawn panel --------------------------------------------------------------------
  // Brython needs ~250 ms to start in a new frame, and the panel's Python ~80 ms more to draw. The
  // panel as Python drew it from one `data` and `init` (no draft yet) is sent to the bridge, which
  // keeps it (one per network, cleared at sign-out); a later boot that receives the same two
  // messages is shown that panel at once, before Brython has started: the same elements Python
  // would make, built by morph (text only ever through textContent). Python then draws into
  // them as usual (morph keeps them), and a click made meanwhile is held and given, once Python
  // has drawn, to the element at the same place. Any other `data` or `init` shows nothing early.
  var Snapshot = (function () {
    var initKey = null; // names the `data` and `init` Python draws from first
    var stale = false; // Python was given more than those two before it drew: no snapshot of it
    var offer = null; // the bridge's snapshot, until the `init` it goes with arrives
    var shownKey = null; // the snapshot shown at this boot
    var hydrated = false; // Python drew its first list: held clicks go to it
    var held = [];
    var initDelivered = false;
    var MAX_JSON = 256 * 1024;
    var BLOCKED_TAGS = /^(script|style|link|meta|base|iframe|frame|frameset|object|embed|template|svg|math|form)$/;
    var URL_ATTRIBUTES = { href: 1, src: 1, action: 1, formaction: 1, srcset: 1, poster: 1 };

    // Two 32-bit FNV-1a hashes of the messages' JSON text (with different offsets): a name for
    // them, not a secret; the panel compares it with the key it computed itself.
    function hash(text) {
      var a = 0x811c9dc5;
      var b = 0x01000193 ^ 0x5bd1e995;
      for (var i = 0; i < text.length; i++) {
        var c = text.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193) >>> 0;
        b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
      }
      return ("0000000" + a.toString(16)).slice(-8) + ("0000000" + b.toString(16)).slice(-8) + ":" + text.length;
    }

    // [tag, attrs, text, children] for an element, as herald_dom describes them (see morph).
    // Text before the first child element is the element's text; text after one cannot be said
    // so: null, and no snapshot is taken.
    function specOf(node) {
      var attrs = {};
      for (var i = 0; i < node.attributes.length; i++) attrs[node.attributes[i].name] = node.attributes[i].value;
      var children = [];
      var text = "";
      for (var c = node.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 1) {
          var child = specOf(c);
          if (!child) return null;
          children.push(child);
        } else if (c.nodeType === 3) {
          if (children.length) {
            if (c.data.trim() !== "") return null;
          } else {
            text += c.data;
          }
        }
      }
      if (children.length && text.trim() === "") text = "";
      return [node.tagName.toLowerCase(), attrs, text === "" ? null : text, children];
    }

    // A spec that came through the bridge and the worker's storage: only elements a panel
    // draws, no handlers, no event attributes, no script URLs; false for anything else.
    function safe(spec, depth) {
      if (!Array.isArray(spec) || spec.length !== 4 || depth > 40) return false;
      var tag = spec[0];
      if (typeof tag !== "string" || !/^[a-z][a-z0-9-]*$/.test(tag) || BLOCKED_TAGS.test(tag)) return false;
      var attrs = spec[1];
      if (attrs === null || typeof attrs !== "object" || Array.isArray(attrs)) return false;
      for (var name in attrs) {
        if (!/^[a-z][a-z0-9_.:-]*$/.test(name) || /^on/.test(name) || typeof attrs[name] !== "string") return false;
        if (URL_ATTRIBUTES[name] && /^\s*(javascript|vbscript|data):/i.test(attrs[name])) return false;
      }
      if (spec[2] !== null && typeof spec[2] !== "string") return false;
      if (!Array.isArray(spec[3])) return false;
      for (var i = 0; i < spec[3].length; i++) if (!safe(spec[3][i], depth + 1)) return false;
      return true;
    }

    // Shows the offered snapshot when its key is the one received and Python has not drawn
    // (it draws when `init` reaches it); true when it did.
    function show() {
      if (initDelivered || shownKey || !offer || !initKey || offer.key !== initKey) return false;
      var main = document.getElementById("panel");
      if (!main) {
        // The bridge answered before the skeleton was parsed: show it as soon as it is.
        document.addEventListener("DOMContentLoaded", show, { once: true });
        return false;
      }
      var shown = offer;
      offer = null;
      if (!safe(shown.tree, 0) || shown.tree[0] !== "main" || morph(main, shown.tree) !== main) return false;
      var html = document.documentElement;
      if (shown.lang) html.lang = shown.lang;
      if (shown.theme) html.setAttribute("data-theme", shown.theme);
      if (shown.title) document.title = shown.title;
      shownKey = initKey;
      performance.mark("herald:cards-shown"); // benchmarks/panel_bench.py reads it
      return true;
    }

    function pathOf(node) {
      var main = document.getElementById("panel");
      var path = [];
      for (; node && node !== main; node = node.parentElement) {
        path.unshift(Array.prototype.indexOf.call(node.parentElement.children, node));
      }
      return node === main ? path : null;
    }

    function atPath(path) {
      var node = document.getElementById("panel");
      for (var i = 0; node && i < path.length; i++) node = node.children[path[i]];
      return node || null;
    }

    // The panel Python just drew, for the next boot with the same `data` and `init`: only a
    // panel with cards (not "loading", not signed out), and not the one this boot was shown.
    function keep() {
      if (stale || !initKey || shownKey === initKey || !document.querySelector("#cards > li")) return;
      var tree = specOf(document.getElementById("panel"));
      if (!tree) return;
      var message = { type: "snapshot", key: initKey, tree: tree, title: document.title, lang: document.documentElement.lang };
      var theme = document.documentElement.getAttribute("data-theme");
      if (theme) message.theme = theme;
      if (JSON.stringify(message).length <= MAX_JSON) post(message);
    }

    // Until Python has drawn, the buttons shown are pictures of buttons: a click on one waits.
    document.addEventListener(
      "click",
      function (event) {
        if (hydrated || !shownKey || !event.isTrusted) return;
        var target = event.target && event.target.closest ? event.target.closest("button, summary, a[href]") : null;
        var path = target && pathOf(target);
        if (!path) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        held.push({ path: path, tag: target.tagName });
      },
      true
    );

    return {
      shown: function () {
        return shownKey !== null;
      },
      offered: function (message) {
        offer = message;
        show();
      },
      received: function (dataText, initText) {
        if (initKey !== null) return false;
        initKey = hash((dataText || "") + "\n" + initText);
        return show();
      },
      // What reached Python: its first list is a picture of the first `data` and `init` only
      // when neither a newer `data` or `init` nor a draft (or a composer in compatibility mode)
      // reached it before it drew. The policy and an empty composer may (under load they come
      // before the list's last cards): a panel for an empty composer is what the next one shows.
      delivered: function (message) {
        var type = message.type;
        if (type === "init" && !initDelivered) initDelivered = true;
        else if (!initDelivered) stale = stale || type !== "data";
        else if (type === "text") stale = stale || message.text !== "" || (message.via || "adapter") !== "adapter";
        else if (type !== "policy" && type !== "shown") stale = true;
      },
      drawn: function () {
        if (hydrated) return;
        hydrated = true;
        keep();
        var clicks = held;
        held = [];
        clicks.forEach(function (click) {
          var node = atPath(click.path);
          if (node && node.tagName === click.tag) node.click();
        });
      },
    };
  })();
})();
