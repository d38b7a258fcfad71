"""CSV downloads neutralise spreadsheet formulas: a cell starting with =, +, -, @, tab or CR is
prefixed with an apostrophe so Excel or Sheets shows it as text instead of running it."""

from __future__ import annotations

import polars as pl

from ui.format import neutralise


def test_formula_cells_are_neutralised_and_others_untouched():
    df = pl.DataFrame({
        "campaign": ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "Spring Sale",
                     None, "a=b"],
        "spend": [1.0, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
    })  # fmt: skip
    out = neutralise(df)
    assert out["campaign"].to_list() == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx",
                                         "'\rx", "Spring Sale", None, "a=b"]  # fmt: skip
    assert out["spend"].to_list() == df["spend"].to_list()  # numbers stay numbers (a negative is not a formula)
    csv = out.write_csv()
    assert "\n=" not in csv and ",=" not in csv
