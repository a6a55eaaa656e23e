"""A matrix of values stored as small integer codes into per-column lookup tables.

Answer matrices hold a handful of distinct spellings per column; keeping codes instead of
(n × k) Python object arrays keeps 100,000 suppliers cheap to read, slice and score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Coded:
    codes: np.ndarray  # (n, k) int32; -1 means None
    lookups: list[np.ndarray]  # per column: object array whose last element is None

    @classmethod
    def empty(cls, n: int, k: int) -> Coded:
        return cls(np.full((n, k), -1, dtype=np.int32), [_lookup([]) for _ in range(k)])

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.codes.shape[0]), int(self.codes.shape[1]))

    def __getitem__(self, rows: Any) -> Coded:
        return Coded(self.codes[rows], self.lookups)

    def columns(self, cols: np.ndarray) -> Coded:
        return Coded(self.codes[:, cols], [self.lookups[j] for j in cols])

    def value(self, i: int | np.integer, j: int) -> Any:
        return self.lookups[j][self.codes[i, j]]

    def column(self, j: int) -> np.ndarray:
        column: np.ndarray = self.lookups[j][self.codes[:, j]]
        return column

    @staticmethod
    def concat(parts: list[Coded]) -> Coded:
        k = parts[0].codes.shape[1]
        lookups: list[np.ndarray] = []
        codes = [p.codes.copy() for p in parts]
        for j in range(k):
            values: list[Any] = []
            for p, c in zip(parts, codes, strict=True):
                column = c[:, j]
                column[column >= 0] += len(values)
                values.extend(p.lookups[j][:-1].tolist())
            lookups.append(_lookup(values))
        return Coded(np.concatenate(codes), lookups)


def _lookup(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values) + 1, dtype=object)
    out[:-1] = values
    out[-1] = None
    return out


def lookup(values: list[Any]) -> np.ndarray:
    """An object array of ``values`` followed by None (the target of code -1)."""
    return _lookup(values)
