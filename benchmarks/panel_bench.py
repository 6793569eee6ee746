"""Panel latency in Debian's chromium with the built extension loaded.

    .venv/bin/python benchmarks/panel_bench.py [--runs 15] [--keystrokes 30]

Measures, on the X-like fixture page (Draft.js + React 18):
- bare Brython boot: an iframe with only brython.js and one Python line, from iframe creation
  to Python running, as a same-site http frame and as a sandboxed extension frame like the
  panel's (the floor any Brython panel pays: its own renderer process plus brython.js);
- panel cold boot: from the bridge creating the panel iframe (at page idle) to the first
  suggestion card rendered in the panel;
- warm open: from composer focus to the bridge showing the (preloaded) panel;
- first open after page idle: the page loads, the bridge prepares the panel frame at idle, and
  the composer is focused --first-open-delay ms later (default 1 s, the earliest a person opens
  a composer on a page that just loaded; 0: right then, which is the cold boot): from focus to the panel visible with its cards drawn
  (what the employee feels the first time);
- host main-thread time on Herald during load: the bridge scripts from the first to main.js
  having set up every feature, plus creating the panel frame at idle (marks herald:boot-*,
  herald:frame-create-start / frame-created);
- per-keystroke check: for a 3,000-character post, from the keydown to the highlights being
  repainted (includes any throttle, so it is what the employee sees), and the CPU time per
  keystroke of the host page's renderer and of the panel frame's (CDP Performance.getMetrics
  TaskDuration and ThreadTime over the keystrokes, divided by their number; the host page's
  figure includes the fixture editor's own work on each key).
p50/p95 over repeated runs. Targets: cold <= 600 ms and <= 1.15 x the bare sandboxed boot,
warm <= 50 ms, first open <= 100 ms p95, host main thread <= 20 ms, keystroke p95 <= 50 ms.

No server is needed: the worker's storage is seeded with a signed-in state and cached
suggestions/policy (the worker serves its cache when the server is unreachable).
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SITES = ROOT / "tests" / "fixtures" / "sites"
COLD_TARGET_MS = 600
COLD_RATIO_TARGET = 1.15  # cold boot / bare Brython boot in the same sandboxed frame
WARM_TARGET_MS = 50
FIRST_OPEN_TARGET_MS = 100
HOST_TARGET_MS = 20
KEYSTROKE_TARGET_MS = 50

# keydown time (the page's clock) -> the bridge's next highlights-painted mark, observed without
# polling so the measurement itself adds no CPU to the page.
KEYSTROKE_WAIT_JS = """(after) => new Promise((resolve) => {
  const done = (at) => { obs.disconnect(); resolve(at); };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'herald:highlights-painted' && e.startTime > after) done(e.startTime);
  });
  obs.observe({ type: 'mark' });
  const m = performance.getEntriesByName('herald:highlights-painted').pop();
  if (m && m.startTime > after) done(m.startTime);
  setTimeout(() => done(-1), 5000);
})"""

MARK_JS = """(name) => { const m = performance.getEntriesByName('herald:' + name).pop();
  return m ? m.startTime : null; }"""

BARE_PAGE = """<!doctype html><meta charset="utf-8">
<script>
// Brython cannot wrap a cross-origin parent window: hand the message to plain JS.
window.booted = () => window.parent.postMessage("bare-booted", "*");
</script>
<script src="brython.js"></script>
<brython-options indexeddb="false"></brython-options>
<script type="text/python">
from browser import window
window.booted()
</script>
"""


BOOT_IFRAME_JS = """(src) => new Promise((resolve) => {
                  const f = document.createElement('iframe');
                  const t0 = performance.now();
                  const on = (e) => { if (e.data === 'bare-booted') { removeEventListener('message', on);
                    resolve(performance.now() - t0); f.remove(); } };
                  addEventListener('message', on);
                  f.src = src; document.body.appendChild(f);
                  setTimeout(() => resolve(-1), 10000);
                })"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def log(message: str) -> None:
    print(f"[panel_bench] {message}", file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def summary(name: str, values: list[float], target: float | None = None) -> str:
    p50, p95 = pct(values, 0.5), pct(values, 0.95)
    verdict = ""
    if target is not None:
        verdict = f"  target <= {target:.0f} ms: {'OK' if p95 <= target else ('p50 OK, p95 over' if p50 <= target else 'OVER')}"
    return f"{name:<34} n={len(values):<3} p50={p50:7.1f} ms  p95={p95:7.1f} ms  min={min(values):7.1f}  max={max(values):7.1f}{verdict}"


def seed_state() -> dict:
    import guidelines

    policy = guidelines.compile_policy(guidelines.load_starter_policy())
    items = [
        {
            "id": i,
            "title": f"Suggestion {i}",
            "network": "x",
            "campaign": None,
            "hashtags": ["#acme"],
            "link": None,
            "variants": [{"index": 0, "text": f"Acme news number {i} 🚀 read more"}],
            "featured": i == 1,
            "colleagues_shared": i,
            "starts_at": None,
            "expires_at": None,
            "approved_at": "2026-01-01T00:00:00Z",
        }
        for i in range(1, 21)
    ]
    body = {
        "items": items,
        "page": 1,
        "per_page": 50,
        "total": len(items),
        "latest_approved_at": "2026-01-01T00:00:00Z",
    }
    now_ms = int(time.time() * 1000)
    return {
        # An unreachable server: the worker serves this cache, as it does offline.
        "auth": {
            "server_url": "http://127.0.0.1:9",
            "access_token": "bench",
            "refresh_token": "bench",
            "access_expires_at": now_ms + 3_600_000,
            "user": {"id": 1, "email": "bench@acme.test", "name": "Bench"},
        },
        "cache": {
            "program": {"name": "Acme Voices", "logo_url": None, "tagline": ""},
            "suggestions": {"x": {"etag": '"b"', "body": body, "fetched_at": now_ms}},
            "policy": {"etag": '"p"', "body": policy, "fetched_at": now_ms},
            "offline": False,
            "updated_at": now_ms,
        },
        "seen": [i["id"] for i in items],
        "notified": [i["id"] for i in items],
        "settings": {"notifications": False, "language": None},
    }


def long_post() -> str:
    sentence = "Our team shipped the new Acme dashboard today 🚀 and customers love the speed. "
    text = (sentence * 60)[:2950]
    return text + " this is confidential"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keystrokes", type=int, default=30)
    parser.add_argument(
        "--first-open-delay",
        type=int,
        default=1000,
        help="ms between the frame being created at page idle and the composer being focused",
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from extension_build.build import brython_data_dir, build_extension
    from tests.browser_harness import extension_args

    if not (SITES / "node_modules" / "draft-js").exists():
        print("run `npm ci` in tests/fixtures/sites first", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="herald-bench-"))
    bare_dir = work / "bare"
    bare_dir.mkdir()
    shutil.copyfile(brython_data_dir() / "brython.js", bare_dir / "brython.js")
    (bare_dir / "bare.html").write_text(BARE_PAGE, encoding="utf-8")
    sites, sites_origin = serve(SITES)
    bare, bare_origin = serve(bare_dir)
    ext = work / "ext"
    build_extension(ext, {"x": [sites_origin]})
    # The fair floor: the same bare page as a sandboxed extension frame (its own renderer
    # process, like the panel). Added to this throwaway build only, never to the product.
    (ext / "benchbare.html").write_text(BARE_PAGE, encoding="utf-8")
    manifest = json.loads((ext / "manifest.json").read_text(encoding="utf-8"))
    manifest["sandbox"]["pages"].append("benchbare.html")
    manifest["web_accessible_resources"][0]["resources"].append("benchbare.html")
    manifest["web_accessible_resources"][0]["matches"].append(f"{bare_origin}/*")
    (ext / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")

    cold, warm, bare_boot, bare_ext_boot, keystroke = [], [], [], [], []
    first_open, host = [], []
    cpu, thread_cpu = {}, {}
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(work / "profile"),
            executable_path=shutil.which("chromium"),
            headless=False,
            viewport={"width": 1440, "height": 900},
            args=extension_args(ext),
        )
        log("browser up")
        worker = (
            context.service_workers[0]
            if context.service_workers
            else context.wait_for_event("serviceworker")
        )
        worker.evaluate("(state) => chrome.storage.local.set(state)", seed_state())
        log("worker seeded")
        page = context.new_page()
        page.on("console", lambda m: log(f"console: {m.text}") if m.type == "error" else None)

        for _ in range(args.runs):
            page.goto(f"{sites_origin}/x.html")
            panel = None
            deadline = time.monotonic() + 20
            rendered_at = None
            last_error = None
            while time.monotonic() < deadline and rendered_at is None:
                panel = next((f for f in page.frames if f.url.endswith("panel/panel.html")), None)
                if panel is None:
                    page.wait_for_timeout(
                        5
                    )  # not time.sleep: Playwright must pump its events to see the frame
                    continue
                try:
                    # setTimeout polling inside the frame: an off-screen frame gets no animation frames.
                    rendered_at = panel.evaluate(
                        """() => new Promise((resolve) => {
                          const check = () => document.querySelector('#cards li.card')
                            ? resolve(performance.timeOrigin + performance.now()) : setTimeout(check, 2);
                          check();
                          setTimeout(() => resolve(null), 10000);
                        })"""
                    )
                    if rendered_at is None:
                        print(
                            "no suggestion card after 10 s:",
                            (panel.locator("body").text_content() or "")[:300],
                            file=sys.stderr,
                        )
                        return 1
                except Exception as e:  # frame still navigating: try again
                    last_error = e
                    page.wait_for_timeout(5)
            if rendered_at is None:
                print(
                    f"panel never rendered suggestions: {last_error!r}",
                    [f.url for f in page.frames],
                    page.evaluate("() => [...document.querySelectorAll('iframe')].map(f => f.src)"),
                    file=sys.stderr,
                )
                return 1
            created = page.evaluate(
                "() => { const m = performance.getEntriesByName('herald:frame-created').pop();"
                " return m ? performance.timeOrigin + m.startTime : null; }"
            )
            cold.append(rendered_at - created)
            page.evaluate(
                """() => new Promise((resolve) => {
                  const check = () => performance.getEntriesByName('herald:panel-ready').length ? resolve() : setTimeout(check, 5);
                  check();
                  setTimeout(resolve, 10000);
                })"""
            )
            # Warm open: focus -> panel visible (the bridge flips the preloaded frame's style).
            warm.append(
                page.evaluate(
                    """() => new Promise((resolve) => {
                      const frame = document.querySelector('iframe.herald-panel-frame');
                      const ed = document.querySelector('[data-testid=tweetTextarea_0]');
                      let t0 = 0;
                      const mo = new MutationObserver(() => {
                        if (frame.style.visibility === 'visible') { mo.disconnect(); resolve(performance.now() - t0); }
                      });
                      mo.observe(frame, { attributes: true, attributeFilter: ['style'] });
                      t0 = performance.now();
                      ed.focus();
                      setTimeout(() => resolve(-1), 5000);
                    })"""
                )
            )

        # First open after page idle: the bridge starts preparing the frame at idle; the employee
        # clicks into the composer --first-open-delay ms later (1 s: the earliest a person looking at
        # a freshly loaded page opens its composer; 0 measures a focus at the very moment the frame
        # is created, which is the cold boot).
        for _ in range(args.runs):
            page.goto(f"{sites_origin}/x.html")
            page.evaluate(
                """() => new Promise((resolve) => {
                  const check = () => performance.getEntriesByName('herald:frame-created').length ? resolve() : setTimeout(check, 5);
                  check();
                })"""
            )
            host.append(
                page.evaluate(MARK_JS, "boot-end")
                - page.evaluate(MARK_JS, "boot-start")
                + page.evaluate(MARK_JS, "frame-created")
                - page.evaluate(MARK_JS, "frame-create-start")
            )
            if args.first_open_delay:
                page.wait_for_timeout(args.first_open_delay)
            focus_at = page.evaluate(
                """() => { document.querySelector('[data-testid=tweetTextarea_0]').focus();
                           return performance.timeOrigin + performance.now(); }"""
            )
            panel = None
            while panel is None:
                panel = next((f for f in page.frames if f.url.endswith("panel/panel.html")), None)
                if panel is None:
                    page.wait_for_timeout(2)
            cards_at = None
            while cards_at is None:
                try:
                    cards_at = panel.evaluate(
                        """() => new Promise((resolve) => {
                          const check = () => document.querySelector('#cards li.card')
                            ? resolve(performance.timeOrigin + performance.now()) : setTimeout(check, 2);
                          check();
                        })"""
                    )
                except Exception:  # frame still navigating
                    page.wait_for_timeout(2)
            visible_at = page.evaluate(
                """() => new Promise((resolve) => {
                  const f = document.querySelector('iframe.herald-panel-frame');
                  const check = () => f.style.visibility === 'visible'
                    ? resolve(performance.timeOrigin + performance.now()) : setTimeout(check, 2);
                  check();
                })"""
            )
            first_open.append(max(cards_at, visible_at) - focus_at)
        log(f"first open: {len(first_open)} runs")

        # Bare Brython boot, same browser, iframes created by script, timed to the first Python line:
        # a same-site http frame, then a sandboxed extension frame like the panel's.
        extension_id = worker.url.split("/")[2]
        page.goto(f"{bare_origin}/bare.html")
        for target, src in (
            (bare_boot, f"{bare_origin}/bare.html"),
            (bare_ext_boot, f"chrome-extension://{extension_id}/benchbare.html"),
        ):
            for _ in range(args.runs):
                ms = page.evaluate(BOOT_IFRAME_JS, src)
                if ms < 0:
                    print(
                        f"bare Brython never booted in {src}",
                        [f.url for f in page.frames],
                        file=sys.stderr,
                    )
                    return 1
                target.append(ms)
        log(f"bare Brython boot: {len(bare_boot)} runs")
        log(f"cold/warm: {len(cold)} runs")
        # Per-keystroke check on a 3,000-character post.
        page.goto(f"{sites_origin}/x.html")
        page.click("[data-testid=tweetTextarea_0]")
        page.keyboard.insert_text(long_post())
        page.wait_for_timeout(1500)
        page.evaluate(
            "() => addEventListener('keydown', (e) => { window.__keyAt = e.timeStamp; }, true)"
        )
        panel = next(f for f in page.frames if f.url.endswith("panel/panel.html"))
        sessions = {
            "host page": context.new_cdp_session(page),
            "panel frame": context.new_cdp_session(panel),
        }

        def task_seconds() -> dict[str, float]:
            """TaskDuration (wall time of the renderer's main-thread tasks) and ThreadTime (that
            thread's CPU time: unlike TaskDuration it does not grow while other processes hold
            the cores, so it is the CPU figure on a shared machine)."""
            out = {}
            for name, session in sessions.items():
                metrics = session.send("Performance.getMetrics")["metrics"]
                for metric in ("TaskDuration", "ThreadTime"):
                    out[(name, metric)] = next(m["value"] for m in metrics if m["name"] == metric)
            return out

        for session in sessions.values():
            session.send("Performance.enable")
        page.wait_for_timeout(300)
        before = task_seconds()
        for i in range(args.keystrokes):
            after = page.evaluate(MARK_JS, "highlights-painted") or 0
            page.keyboard.type("x" if i % 2 == 0 else " ")
            painted = page.evaluate(KEYSTROKE_WAIT_JS, after)
            if painted < 0:
                print("no highlights after a keystroke", file=sys.stderr)
                return 1
            keystroke.append(painted - page.evaluate("() => window.__keyAt"))
            page.wait_for_timeout(200)
        spent = task_seconds()
        cpu = {
            name: (spent[(name, "TaskDuration")] - before[(name, "TaskDuration")])
            * 1000
            / args.keystrokes
            for name in sessions
        }
        thread_cpu = {
            name: (spent[(name, "ThreadTime")] - before[(name, "ThreadTime")])
            * 1000
            / args.keystrokes
            for name in sessions
        }
        text_len = len(page.evaluate("() => window.__fixture.modelText()"))
        context.close()
    sites.shutdown()
    bare.shutdown()

    print(
        f"chromium headless=new, extension built at {ext}; {args.runs} runs, {args.keystrokes} keystrokes"
    )
    print(summary("bare Brython boot (http iframe)", bare_boot))
    print(summary("bare Brython boot (sandbox frame)", bare_ext_boot))
    print(summary("panel cold boot (frame->cards)", cold, COLD_TARGET_MS))
    print(summary("panel warm open (focus->shown)", warm, WARM_TARGET_MS))
    ratio = statistics.median(cold) / statistics.median(bare_ext_boot)
    print(
        f"{'cold boot / bare sandboxed boot':<34} {ratio:.2f}x (medians)  target <= "
        f"{COLD_RATIO_TARGET:.2f}x: {'OK' if ratio <= COLD_RATIO_TARGET else 'OVER'}"
    )
    print(
        summary(
            f"first open, focus {args.first_open_delay} ms after idle",
            first_open,
            FIRST_OPEN_TARGET_MS,
        )
    )
    print(summary("host main thread on Herald (load)", host, HOST_TARGET_MS))
    print(summary(f"keystroke->highlights ({text_len} chars)", keystroke, KEYSTROKE_TARGET_MS))
    for name, ms in cpu.items():
        print(
            f"{'CPU per keystroke, ' + name:<34} {ms:7.2f} ms (TaskDuration)"
            f"  {thread_cpu[name]:7.2f} ms (ThreadTime)"
        )
    print(
        json.dumps(
            {
                "bare_ms": statistics.median(bare_boot),
                "bare_sandbox_ms": statistics.median(bare_ext_boot),
                "cold_ms": statistics.median(cold),
                "warm_ms": statistics.median(warm),
                "keystroke_ms": statistics.median(keystroke),
                "keystroke_p95_ms": pct(keystroke, 0.95),
                "cold_over_bare_sandbox": ratio,
                "first_open_ms": statistics.median(first_open),
                "first_open_p95_ms": pct(first_open, 0.95),
                "host_main_thread_ms": statistics.median(host),
                "cpu_ms_per_keystroke": cpu,
                "thread_cpu_ms_per_keystroke": thread_cpu,
            }
        )
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
