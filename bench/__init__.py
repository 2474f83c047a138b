"""holdwatch benchmarks: speed, cost and scale, measured against the obvious alternative.

Run ``python -m bench`` (full run, rewrites BENCHMARKS.md) or ``python -m bench --smoke``
(smallest size, one repeat, a few seconds, writes nothing). Nothing here asserts on
timing: figures are reported next to their targets, met or not.
"""
