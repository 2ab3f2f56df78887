"""The `domain` var reaches SQL as a string literal, never as SQL: a quote in it selects no
domain pack instead of every one."""

import duckdb


def test_a_quote_in_the_domain_var_selects_nothing(dbt, tmp_path):
    database = tmp_path / "echo_roots.duckdb"
    hostile = "x' or 'a' = 'a"
    built = dbt(
        ["build", "--select", "domain_attributes", "stg_domain_pack__attributes",
         "--vars", f"{{domain: \"{hostile}\"}}", "--indirect-selection", "empty"],
        database,
        tmp_path,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-3000:]
    con = duckdb.connect(str(database), read_only=True)
    try:
        seeded = con.execute("select count(*) from seeds.domain_attributes").fetchone()[0]
        staged = con.execute("select count(*) from staging.stg_domain_pack__attributes").fetchone()[
            0
        ]
    finally:
        con.close()
    assert seeded > 0 and staged == 0
