// Compiles Python modules to Brython's JavaScript at build time, with brython.js's own compiler.
//
//   node extension_build/brython_precompile.js BRYTHON_JS < {"key": [filename, source(, script)], ...}
//   -> stdout {"key": js, ...}
//
// Used by extension_build/build.py. A module (the key is its name) goes into
// __BRYTHON__.precompiled, which Brython's VFS loader runs instead of compiling the module's
// source in the browser; `filename` must be what the VFS loader names the module
// ("VFS.<name>.py", "VFS.<pkg>/__init__.py"), since the compiled code embeds it. A page's inline
// script (a third item: the name Brython runs it as, "__main__") is compiled as Brython's
// run_script does, not as an import. No network, no clock: same inputs -> same output.
"use strict";
const fs = require("fs");
const vm = require("vm");

// Just enough of a browser for brython.js to load; nothing here runs Python.
globalThis.module = { exports: {} };
globalThis.window = globalThis;
globalThis.self = globalThis;
globalThis.addEventListener = () => {};
globalThis.document = {
  currentScript: { src: "file:///extension/brython.js" },
  querySelectorAll: () => [],
  getElementsByTagName: () => [],
  addEventListener() {},
  readyState: "loading",
};
globalThis.navigator = { userAgent: "node", language: "en" };
globalThis.location = { href: "file:///extension/panel.html", protocol: "file:", origin: "null" };

// The compiler numbers its temporaries from Math.random() * 1e6 (and $B.UUID()): make both
// fixed, and start above what the browser's own compiler draws, so the output is the same on
// every build and precompiled names never meet browser-compiled ones.
let seed = 1;
Math.random = () => 7; // compiler's id base: 7,000,000
vm.runInThisContext(fs.readFileSync(process.argv[2], "utf8"), { filename: "brython.js" });
Math.random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
const $B = globalThis.__BRYTHON__;
$B.$py_UUID = 100000000;

const modules = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {};
for (const key of Object.keys(modules).sort()) {
  const [filename, src, script] = modules[key];
  if (script) {
    // as run_script does for a page's <script type="text/python">
    $B.url2name[filename] = script;
    out[key] = $B.py2js({ src, filename }, script, script).to_js();
    continue;
  }
  $B.url2name[filename] = key; // as the VFS loader's run_py does: the module's scope name
  const root = $B.py2js({ src, filename, imported: true }, key, key, $B.builtins_scope);
  out[key] = root.to_js();
}
process.stdout.write(JSON.stringify(out));
