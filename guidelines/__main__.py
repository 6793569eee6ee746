"""CLI: ``python -m guidelines check|test|compile|schemas|gen-builtins``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import check, compile_policy, load_starter_policy, post_length
from .compiler import ExampleError, PolicyError


def _load(path: str) -> dict:
    if path == "starter":
        return load_starter_policy()
    return json.loads(Path(path).read_text("utf-8"))


def _compiled(path: str, run_examples: bool = True) -> dict:
    doc = _load(path)
    if doc.get("format") == "herald-compiled-policy/1":
        return doc
    return compile_policy(doc, run_examples=run_examples)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m guidelines")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="print findings for a post as JSON")
    c.add_argument("--policy", required=True, help="policy or compiled policy JSON, or 'starter'")
    c.add_argument("--network", choices=["linkedin", "x"], default="linkedin")
    c.add_argument("text", nargs="?", help="post text (stdin when omitted)")
    t = sub.add_parser("test", help="run every rule example")
    t.add_argument("--policy", required=True)
    co = sub.add_parser("compile", help="print the compiled policy JSON")
    co.add_argument("--policy", required=True)
    sub.add_parser("schemas", help="write shared_schemas/*.json from guidelines.schemas")
    sub.add_parser("gen-builtins", help="regenerate guidelines/_builtin.py")
    args = ap.parse_args(argv)

    try:
        if args.cmd == "check":
            compiled = _compiled(args.policy, run_examples=False)
            text = args.text if args.text is not None else sys.stdin.read()
            out = {
                "findings": check(text, compiled, args.network),
                "length": post_length(text, compiled, args.network),
            }
            print(json.dumps(out, ensure_ascii=False, indent=2))
            return 0
        if args.cmd == "test":
            try:
                compiled = _compiled(args.policy)
            except ExampleError as exc:
                for e in exc.errors:
                    print(f"FAIL {e['rule']} {e['field']}: {e['message']}")
                print(f"{len(exc.errors)} failing example(s)", file=sys.stderr)
                return 1
            n = sum(1 for _ in compiled["rules"])
            print(f"ok: {n} rules, all examples pass")
            return 0
        if args.cmd == "compile":
            print(json.dumps(_compiled(args.policy), ensure_ascii=False, indent=1))
            return 0
        if args.cmd == "schemas":
            from .schemas import COMPILED_SCHEMA, POLICY_SCHEMA

            root = Path(__file__).resolve().parents[1] / "shared_schemas"
            for name, schema in (
                ("policy.schema.json", POLICY_SCHEMA),
                ("compiled-policy.schema.json", COMPILED_SCHEMA),
            ):
                (root / name).write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
            return 0
        if args.cmd == "gen-builtins":
            from .builtin_sources import write_module

            print(write_module())
            return 0
    except PolicyError as exc:
        print(f"invalid policy: {exc}", file=sys.stderr)
        return 2
    except (OSError, json.JSONDecodeError) as exc:
        print(f"cannot read policy: {exc}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
