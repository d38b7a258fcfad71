"""Golden test: the lead score bands of queries/handoff/score_bands.sql (issue 27 point 4) on the
warehouse of tests/kpi_fixtures.py write_scoring_exports, October 2026, worked by hand.

Default bands (config/revline.toml [[scoring.band]]): Hot >= 75, Warm >= 50, Cool >= 25, Cold >= 0;
a lead without a score takes the band of its Salesforce Rating; neither: Unscored.
Leads, all created in October (owner, score, MQL Oct 5 10:00, SQL, first touch after the MQL, deal):
  Hot   H1 Dana 90 MQL, SQL, 120 min, deal won;  H2 Dana 80 MQL, SQL, 60 min, deal lost;
        H3 Priya (Salesforce, Rating Hot, no score), no MQL
  Warm  W1 Tom 60 MQL, SQL, 3 min, open deal Oct 12;  W2 Tom 50 (the band's floor) MQL, 10 min
  Cool  C1 Tom 30 MQL, 2 min;  C2 Dana 40;  C3 Priya (Salesforce, score 30 and Rating Hot: the score wins)
  Cold  K1 Tom 10;  K2 Dana 0 MQL, never touched
  Unscored  U1 Dana
"""

from __future__ import annotations

import pytest

from queries.runner import run
from queries.scoring import calibration, mql_threshold, routing
from queries.settings import load_settings
from tests.test_drill import CLOCK

OCTOBER = {"start_date": "2026-10-01", "end_date": "2026-10-31", "as_of": "2026-10-31 23:00:00"}
NO_CUT = {"channel": None, "owner": None, "platform": None, "campaign": None}
SCORING = {"opportunity_window_days": 30, "mql_min_sql_rate": 0.2, **load_settings().band_params()}


def bands(db, by: str = "total", **over) -> dict[tuple[str, str], dict]:
    out = run("handoff/score_bands", db=db, **(OCTOBER | NO_CUT | CLOCK | SCORING | {"by": by} | over))
    return {(r["segment"], r["score_band"]): r for r in out.iter_rows(named=True)}


def test_conversion_per_band(scoring_db):
    got = bands(scoring_db)
    assert [b for _, b in got] == ["Hot", "Warm", "Cool", "Cold", "Unscored"]  # every band, in order
    hot, warm, cool, cold, unscored = (got["all", b] for b in ("Hot", "Warm", "Cool", "Cold", "Unscored"))
    assert [r["leads"] for r in (hot, warm, cool, cold, unscored)] == [3, 2, 3, 2, 1]  # H3 by rating; C3 by score
    # mql_rate = leads with an MQL / leads: Hot 2/3 (H1, H2), Warm 2/2, Cool 1/3 (C1), Cold 1/2 (K2), Unscored 0/1
    assert [r["mql_rate"] for r in (hot, warm, cool, cold, unscored)] == pytest.approx([2 / 3, 1, 1 / 3, 1 / 2, 0])
    # sql_rate = leads with an SQL / leads: Hot 2/3, Warm 1/2 (W1), Cool 0, Cold 0
    assert [r["sql_rate"] for r in (hot, warm, cool, cold)] == pytest.approx([2 / 3, 1 / 2, 0, 0])
    # opportunity_rate = leads with a deal within 30 days / leads: Hot 2/3 (Oct 8, Oct 9), Warm 1/2 (Oct 12)
    assert [r["opportunity_rate"] for r in (hot, warm, cool)] == pytest.approx([2 / 3, 1 / 2, 0])
    # win_rate = won / closed deals: Hot 1 won of 2 closed = 0.5; Warm's deal is open: no closed deal, NULL
    assert (hot["won"], hot["closed_deals"], hot["win_rate"]) == (1, 2, 0.5)
    assert warm["win_rate"] is None


def test_speed_per_band(scoring_db):
    got = bands(scoring_db)
    hot, warm, cool, cold = (got["all", b] for b in ("Hot", "Warm", "Cool", "Cold"))
    # median speed-to-lead of touched MQLs: Hot median(120, 60) = 90; Warm median(3, 10) = 6.5; Cool 2
    assert [r["median_minutes"] for r in (hot, warm, cool)] == pytest.approx([90, 6.5, 2])
    # touched within 5 minutes / MQLs: Hot 0/2, Warm 1/2 (W1 3 min), Cool 1/1, Cold 0/1 (K2 never touched)
    assert [r["within_5_min_rate"] for r in (hot, warm, cool, cold)] == pytest.approx([0, 0.5, 1, 0])
    assert (cold["mqls"], cold["touched"], cold["median_minutes"]) == (1, 0, None)


def test_calibration_threshold_and_routing_flags(scoring_db):
    got = bands(scoring_db)
    hot, warm, cool, cold = (got["all", b] for b in ("Hot", "Warm", "Cool", "Cold"))
    # calibration: SQL rate above the next lower band's: Hot 2/3 > 1/2 yes; Warm 1/2 > 0 yes; Cool 0 > 0 no
    assert [r["sql_rate_rises"] for r in (hot, warm, cool, cold)] == [True, True, False, None]
    # suggested MQL: bands from the top while sql_rate >= 0.2: Hot, Warm; the threshold is Warm's floor, 50
    assert [r["suggested_mql"] for r in (hot, warm, cool, cold)] == [True, True, False, False]
    # routing: median below the lower band's? Hot 90 < 6.5 no; Warm 6.5 < 2 no; Cool vs Cold (none touched) NULL
    assert [r["faster_than_lower"] for r in (hot, warm, cool)] == [False, False, None]
    rows = list(got.values())
    assert calibration(rows) == ("Conversion does not rise with every band: Cool turns 0% of its leads into SQLs, "
                                 "no more than Cold's 0%.")  # fmt: skip
    assert mql_threshold(rows, 0.2) == ("Suggested MQL threshold: a score of 50 (Warm and above): every band from "
                                        "the top down to it turns at least 20% of its leads into SQLs.")  # fmt: skip
    assert routing(rows) == ("Higher bands are not followed up faster: Hot MQLs wait a median 1 h 30 min "
                             "for a first touch, Warm ones 6 min.")  # fmt: skip


def test_which_reps_get_each_band(scoring_db):
    got = bands(scoring_db, by="owner")
    # Hot MQLs: H1 and H2, both Dana's: share 2/2 = 1; Warm: W1, W2 Tom's; Cold: K2 Dana's
    assert got["Dana Whitfield", "Hot"]["band_mql_share"] == 1.0 and got["Tom Becker", "Warm"]["band_mql_share"] == 1.0
    assert got["Dana Whitfield", "Cold"]["mqls"] == 1
    # Priya's leads: H3 (Hot by rating), C3 (Cool by score), no MQLs
    assert (got["Priya Raman", "Hot"]["leads"], got["Priya Raman", "Hot"]["mqls"]) == (1, 0)
    assert got["Priya Raman", "Hot"]["band_mql_share"] is None
    assert ("Tom Becker", "Hot") not in got  # a rep has only the bands they have leads or MQLs in


def test_bands_follow_the_config(scoring_db):
    # two bands, High >= 60 and Low by rating Cold only: H1, H2, W1 High; W2 (50) and below match no band
    # by score; H3's rating Hot is in no band: the other 8 leads are Unscored
    two = {"score_band_names": ["High", "Low"], "score_band_mins": [60.0, None],
           "score_rating_values": ["cold"], "score_rating_bands": ["Low"]}  # fmt: skip
    got = bands(scoring_db, **two)
    assert [(b, r["leads"]) for (_, b), r in got.items()] == [("High", 3), ("Low", 0), ("Unscored", 8)]


def test_a_band_drills_to_its_leads_and_its_mqls(scoring_db):
    from datetime import date

    from queries.drill import describe, parse
    from tests.test_drill import LEADS

    def ids(**drill) -> set[str]:
        out = run("records/leads", db=scoring_db, **(OCTOBER | NO_CUT | CLOCK | LEADS | drill))
        return set(out["lead_id"].to_list())

    # the Hot band's leads (basis funnel, as `leads` counts them): H1, H2 and H3 (Salesforce, Rating Hot)
    assert ids(score_band="Hot") == {"1001", "1002", "00Q000000000101AAA"}
    # its MQLs (basis handoff, as `mqls` and the speed count them): H1, H2; Tom's Warm MQLs: W1, W2
    assert ids(basis="handoff", score_band="Hot") == {"1001", "1002"}
    assert ids(basis="handoff", score_band="Warm", rep="Tom Becker") == {"1003", "1004"}
    drill = parse({"records": "leads", "of": "handoff/score_bands", "basis": "handoff", "score_band": "Hot"})
    assert describe(drill, 2, date(2026, 10, 1), date(2026, 10, 31)).endswith(", score band Hot")
