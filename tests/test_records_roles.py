"""Records lists follow the role gate (issue 21 point 6): a list opens exactly when the page it drills
from is one the signed-in role may open. The page a list drills from is read here from the page files
themselves (the page whose `Link(...)` names the origin; an origin no page links yet, from the page
catalogue's queries), independently of how pages/records.py decides (queries/pages.py closed_list).

Every list kind (each origin of queries/drill.py ORIGINS, with and without its `of` key, since a
hand-made URL may leave it out) x every sign-in role, through the real app with a password sign-in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from queries.drill import ORIGINS, parse
from queries.pages import EVERY_ROLE, PAGES, closed_list, role_pages
from ui.auth import hash_password

REPO = Path(__file__).resolve().parent.parent
SAMPLE = {"stage": "mql", "mode": "flow", "cohort": "2026-10-01", "row_campaign": "Brand", "row_platform": "meta",
          "basis": "handoff", "band": "never", "sla": "breached", "rep": "Dana Whitfield", "set": "won",
          "deal_stage": "Negotiation", "forecast": "commit", "score_band": "Hot", "move": "pushed_out"}  # fmt: skip
OCTOBER = {"range": "custom", "start": "2026-10-01", "end": "2026-10-31"}


def linked_from() -> dict[str, str]:
    """Origin -> the page file that draws a drill link from it: `Link("leads", "handoff/...", ...)`."""
    found = {}
    for path in sorted((REPO / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Link":
                found[ast.literal_eval(node.args[1])] = path.stem
    return found


def source_page(origin: str) -> str:
    """The page a list from `origin` drills from: the page linking it, else the one page running it."""
    if origin in linked_from():
        return linked_from()[origin]
    [only] = [p.name for p in PAGES if p.name != "overview" and any(q == origin for q, _ in p.queries)]
    return only


def urls() -> list[tuple[str, dict[str, str]]]:
    """Each list kind as a URL: its origin's keys with a value each, with `of` and without it."""
    out = []
    for origin, (records, keys) in ORIGINS.items():
        url = {"records": records, **{k: SAMPLE[k] for k in keys}}
        out += [(f"{origin}+of", {**url, "of": origin}), (origin, url)]
    return out


def test_every_link_is_in_the_origins():
    assert set(linked_from()) <= set(ORIGINS)  # and ui/drill.py Link refuses keys its origin does not set


@pytest.mark.parametrize("role", EVERY_ROLE)
@pytest.mark.parametrize(("kind", "url"), urls(), ids=[k for k, _ in urls()])
def test_every_list_kind_opens_for_the_roles_of_its_page(kind, url, role):
    origin = kind.removesuffix("+of")
    allowed = source_page(origin) in role_pages()[role]
    assert (closed_list(parse(url), lambda p: p in role_pages()[role]) is None) == allowed, (kind, role)


def test_a_mixed_list_needs_every_page_it_draws_on():
    marketing = role_pages()["marketing"]
    # a rep's leads drill from the Handoff page's per-rep rows and the Sales page's activity by rep
    assert closed_list(parse({"records": "leads", "stage": "mql", "rep": "Dana"}), marketing.__contains__) == (
        "handoff", "sales")  # fmt: skip
    assert closed_list(parse({"records": "leads", "of": "funnel/stages", "sla": "breached"}), marketing.__contains__)
    sales = role_pages()["sales"]  # a campaign's leads are the Marketing page's
    assert closed_list(parse({"records": "leads", "row_campaign": "Brand"}), sales.__contains__) == ("marketing",)


def signed_in(app, db: Path, role: str):
    entry = {"hash": hash_password("s3cret-s3cret", iterations=1000), "role": role}
    at = app(db, secrets={"revline": {"passwords": [entry]}}, run=False, **OCTOBER)
    at.run()
    at.text_input[0].set_value("s3cret-s3cret")
    at.button[0].click().run()
    assert not at.exception and not at.text_input, role  # signed in
    return at


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_the_records_page_follows_the_role_for_every_list(handoff_db, app, role):
    at = signed_in(app, handoff_db, role)
    for kind, url in urls():
        origin = kind.removesuffix("+of")
        at.query_params.clear()
        at.query_params.update({**OCTOBER, **url})
        at.switch_page("pages/records.py").run()
        assert not at.exception, (kind, role, [e.value for e in at.exception])
        locked = [i.value for i in at.info if "which your role does not include" in i.value]
        described = [m.value for m in at.markdown if m.value.startswith("**")]  # "**3 MQLs whose SLA clock...**"
        if source_page(origin) in role_pages()[role]:
            assert not locked and at.title[-1].value == "Records" and described, (kind, role)
        else:
            title = next(p.title for p in PAGES if p.name == source_page(origin))
            if kind.endswith("+of"):  # the origin named: its page
                assert locked == [f"This list opens from the {title} page, which your role does not include."], (kind, role)
            else:  # a key several pages' rows set (a rep's leads: Handoff and Sales) names each of them
                assert len(locked) == 1 and title in locked[0], (kind, role, locked)
            assert not at.dataframe and not described, (kind, role)  # no rows, no count of them
