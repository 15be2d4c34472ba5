#!/usr/bin/env python3
"""Reference values pasted into the sensitivity tests, from scipy and SALib.

Run by hand when a test's reference needs checking or extending; CI does not run it.
Needs: pip install SALib scipy numpy   (written against SALib 1.6.0, scipy 1.17.1)

  Tests/EnsembleExperimentsTests/SobolSequenceTests.swift     <- sobol_points()
  Tests/EnsembleAnalysisTests/SensitivityEstimatorTests.swift <- salib_sobol(), salib_morris()
"""
import warnings

import numpy as np
from scipy.stats import qmc
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample

warnings.simplefilter("ignore")  # scipy warns about n not being a power of two


def show(d, n, skip=0, cols=None):
    s = qmc.Sobol(d, scramble=False)
    if skip:
        s.fast_forward(skip)
    x = s.random(n)
    if cols is not None:
        x = x[:, cols]
    print(f"Sobol({d}, scramble=False), skip {skip}, columns {cols}:")
    for row in x:
        print("  [" + ", ".join(repr(float(v)) for v in row) + "],")


def sobol_points():
    show(1, 8)
    show(3, 8)
    show(6, 8)
    show(128, 8, cols=[31, 63, 99, 127])
    show(10, 4, skip=1000, cols=[0, 4, 9])
    show(128, 3, skip=(1 << 20) - 1, cols=[1, 50, 127])
    # FNV-1a over the 30-bit integers of the first 4096 points in all 128 dimensions.
    x = qmc.Sobol(128, scramble=False).random(4096)
    ints = np.round(x * 2**30).astype(np.uint64)
    assert np.all(ints.astype(np.float64) / 2**30 == x)
    h = 0xCBF29CE484222325
    for v in ints.ravel():
        h = ((h ^ int(v)) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    print("fingerprint", hex(h))


def salib_sobol():
    k, n = 3, 8
    y = np.array([((7 * r * r + 13 * r) % 31) / 4 for r in range(n * (k + 2))])
    problem = {"num_vars": k, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * k}
    si = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=1)
    print("SALib sobol S1", [repr(float(v)) for v in si["S1"]])
    print("SALib sobol ST", [repr(float(v)) for v in si["ST"]])


def salib_morris():
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}
    x = morris_sample.sample(problem, N=4, num_levels=4, seed=7)
    y = x[:, 0] + 2 * x[:, 1] ** 2 - 3 * x[:, 0] * x[:, 2]
    si = morris_analyze.analyze(problem, x, y, num_levels=4)
    print("Morris points as grid levels (x * 3):")
    for row in x:
        print("  [" + ", ".join(str(int(round(v * 3))) for v in row) + "],")
    for key in ("mu", "mu_star", "sigma"):
        print("SALib morris", key, [repr(float(v)) for v in si[key]])


if __name__ == "__main__":
    sobol_points()
    salib_sobol()
    salib_morris()
