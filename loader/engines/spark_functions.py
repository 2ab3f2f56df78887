"""The functions the project's Spark SQL calls that Spark SQL lacks, registered with a Spark
session before dbt uses it (dbt-spark's session method takes the active session).

- `format_decimals(number, decimals)`: the number with `decimals` digits after the point,
  rounding its exact binary value half to even, as DuckDB's `format('{:.2f}', ...)`;
  Spark's format_string rounds the shortest decimal form half up (2.675 -> 2.68, not 2.67).
- `term_similarity(left, right)`: Jaro-Winkler as DuckDB's jaro_winkler_similarity computes
  it (rapidfuzz): over the UTF-8 bytes, half the transpositions rounded down, and the common
  prefix's boost (at most 4, weight 0.1) only above 0.7. Spark 4.3's own counts characters,
  halves transpositions exactly and always boosts: 0.76 against 0.68 for `cameras` and
  `car accessories`.

(Unicode NFC is ICU's, in the JVM: macros/normalize_term.sql.) The macros' tests compare the
two engines on real values (tests/python/engines/test_spark_macros.py).
"""

from __future__ import annotations


def format_decimals(number: float | None, decimals: int | None) -> str | None:
    if number is None or decimals is None:
        return None
    return format(number, f".{int(decimals)}f")


def term_similarity(left: str | None, right: str | None) -> float | None:
    if left is None or right is None:
        return None
    a, b = left.encode(), right.encode()
    similarity = _jaro(a, b)
    if similarity > 0.7:
        prefix = 0
        for x, y in zip(a[:4], b[:4], strict=False):
            if x != y:
                break
            prefix += 1
        similarity += prefix * 0.1 * (1.0 - similarity)
    return similarity


def _jaro(a: bytes, b: bytes) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    matched_a, matched_b = [False] * len(a), [False] * len(b)
    common = 0
    for i, byte in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not matched_b[j] and b[j] == byte:
                matched_a[i] = matched_b[j] = True
                common += 1
                break
    if not common:
        return 0.0
    transpositions, j = 0, 0
    for i, byte in enumerate(a):
        if matched_a[i]:
            while not matched_b[j]:
                j += 1
            transpositions += byte != b[j]
            j += 1
    similarity = common / len(a) + common / len(b) + (common - transpositions // 2) / common
    return similarity / 3.0


def register(spark) -> None:
    """Register the functions with `spark` (a pyspark SparkSession), for its SQL."""
    spark.udf.register("format_decimals", format_decimals, "string")
    spark.udf.register("term_similarity", term_similarity, "double")
