"""placeholder"""

from bench.harness import Context, NotAvailable, Row


def run(ctx: Context) -> list[Row]:
    raise NotAvailable("not written yet")
