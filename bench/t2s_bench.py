"""Traditional → Simplified: time the installed ``opencc`` module and fingerprint its output.

The texts are every string literal holding a CJK character in the project's code and tests
(``portal``, ``media``, ``courses``, ``tests``; the tests hold the Traditional text the
conversion is checked on), plus each tenth of them joined into a long text. Prints one JSON
line: which package provides ``opencc``, the time to build ``OpenCC("t2s")``, the time to
convert the whole corpus once, and a SHA-256 of all outputs (equal: identical conversions).
``--corpus FILE`` reads the texts from (or, if missing, writes them to) a JSON file, so that two
implementations, each put first on ``PYTHONPATH``, convert the same texts (docs/benchmarks.md)::

    python -m bench.t2s_bench --corpus /tmp/t2s.json --outputs /tmp/t2s-out.json
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import time
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("portal", "media", "courses", "tests")
_CJK = re.compile(r"[\u3400-\u9fff]")
ROUNDS = 20


def cjk_literals() -> list[str]:
    """Return the distinct string literals with a CJK character, in a stable order."""
    found: set[str] = set()
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found.update(
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and _CJK.search(node.value)
            )
    return sorted(found)


def load_corpus(path: Path | None) -> list[str]:
    """Return the texts: from ``path`` if it exists, else scanned (and written to ``path``)."""
    if path and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    literals = cjk_literals()
    corpus = literals + ["".join(literals[start::10]) for start in range(10)]
    if path:
        path.write_text(json.dumps(corpus, ensure_ascii=False), encoding="utf-8")
    return corpus


def main() -> None:
    """Measure and print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="JSON list of texts (written if missing)")
    parser.add_argument("--outputs", type=Path, help="write the conversions here (JSON list)")
    args = parser.parse_args()
    corpus = load_corpus(args.corpus)
    started = time.perf_counter()
    to_simplified = opencc.OpenCC("t2s")
    build_s = time.perf_counter() - started
    outputs = [to_simplified.convert(text) for text in corpus]
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for text in corpus:
            to_simplified.convert(text)
    per_round_s = (time.perf_counter() - started) / ROUNDS
    if args.outputs:
        args.outputs.write_text(json.dumps(outputs, ensure_ascii=False), encoding="utf-8")
    result = {
        "module": str(Path(opencc.__file__).parent),
        "texts": len(corpus),
        "characters": sum(len(text) for text in corpus),
        "build_t2s_ms": round(build_s * 1000, 1),
        "convert_corpus_ms": round(per_round_s * 1000, 2),
        "output_sha256": hashlib.sha256("\n\0".join(outputs).encode()).hexdigest(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
