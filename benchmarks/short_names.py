"""Time `shorten` (the names of a terminal table, SPEC §9) on many names.

    python benchmarks/short_names.py              # 100,000 names per case, best of 3
    python benchmarks/short_names.py --size 1000 --runs 1

Cases: distinct names (English, Korean with a legal form), and names sharing one long
prefix (unique end, unique middle with a shared end, a 200-character prefix), each at 14
and 24 cells. Prints the best wall time per case; the goal: well under a second at 100,000.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from esgcli.cli.fit import shorten

SYLLABLES = [chr(c) for c in range(0xAC00, 0xAC00 + 400)]


def cases(size: int) -> dict[str, Callable[[], list[str]]]:
    rng = random.Random(1)
    return {
        "distinct, English": lambda: [f"Company {rng.randrange(10**9)} Holdings International "
                                      f"Ltd." for _ in range(size)],
        "distinct, Korean (주)": lambda: ["(주)" + "".join(rng.choices(SYLLABLES, k=12)) + " 공장"
                                          for _ in range(size)],
        "one prefix, unique end": lambda: [f"Samsung Precision Machinery Industries Branch "
                                           f"{i:06d}" for i in range(size)],
        "one prefix, unique middle": lambda: [f"Samsung Precision Machinery Industries Branch "
                                              f"{i:06d} Co., Ltd." for i in range(size)],
        "one prefix, Korean middle": lambda: [f"(주)한국정밀기계공업 부산 제{i}사업장 생산기술팀"
                                              for i in range(size)],
        "200-character prefix": lambda: ["X" * 200 + f" {i:06d} " + "Y" * 50
                                         for i in range(size)],
    }


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    shorten(["warm up: numpy is imported on first use", "warm up: and measured apart"], 10)
    results: dict[str, float] = {}
    for name, make in cases(args.size).items():
        names = make()
        for width in (14, 24):
            best = float("inf")
            for _ in range(args.runs):
                start = time.perf_counter()
                result = shorten(names, width)
                best = min(best, time.perf_counter() - start)
            assert result.clashes == 0 and len(set(result.names)) == len(set(names))
            results[f"{name}, {width} cells"] = best
            print(f"{name:28} {width:3} cells  {best:6.3f} s")
    return results


if __name__ == "__main__":
    main()
