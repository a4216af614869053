"""Shareable links: restoring state, reporting ignored parameters, hide flags, presenter mode, CSV export."""

import csv
import io

import pytest

import ce_core
from lab.link_check import rejected_params
from lab.ui import charts_csv
from lab.view import HIDE_GROUPS, hide_flags, style_sheet
from tests.apptest_utils import run_page, workspace


def warnings(at):
    return [w.value for w in at.warning]


def test_a_clean_link_restores_state_without_a_notice():
    at = run_page(
        query_params={"k": "4", "p1": "42.5", "unit": "nats"}
    )  # a link of weights, made before the editor
    _, p, _ = workspace(at)
    assert p == pytest.approx([50 / 122.5, 42.5 / 122.5, 20 / 122.5, 10 / 122.5])
    assert not any("could not be used" in w for w in warnings(at))


def test_a_clean_link_of_probabilities_restores_state_without_a_notice():
    at = run_page("entropy", query_params={"k": "4", "p": "0.1,0.2,0.3,0.4", "n3": "yak", "unit": "nats"})
    names, p, q = workspace(at)
    assert p.tolist() == [0.1, 0.2, 0.3, 0.4]
    assert names[3] == "yak"
    assert q.sum() == pytest.approx(1.0)
    assert not any("could not be used" in w for w in warnings(at))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("p0", "abc"),
        ("p0", "NaN"),
        ("p0", "inf"),
        ("q1", "-3"),
        ("k", "99"),
        ("unit", "furlongs"),
        ("p2", "1e400"),
        ("zz", "1"),
    ],
)
def test_an_ignored_parameter_is_reported_on_screen(key, value):
    at = run_page(query_params={key: value})
    notice = " ".join(warnings(at))
    assert "could not be used" in notice
    assert key in notice


def test_the_notice_shows_untrusted_values_as_inert_code():
    at = run_page(query_params={"unit": "[x](javascript:alert(1))`<b>"})
    notice = " ".join(warnings(at))
    assert "`[x](javascript:alert(1))?<b>`" in notice


@pytest.mark.parametrize("key", ["p0", "q", "n1", "k"])
def test_a_workspace_parameter_never_puts_its_value_into_the_notice_as_markdown(key):
    at = run_page(query_params={key: "[x](javascript:alert(1)),0.5,0.5"})
    notice = " ".join(warnings(at))
    assert "could not be used" in notice
    assert "[x](javascript" not in notice


def test_rejected_params_accepts_equal_numbers_written_differently():
    assert rejected_params({"p0": "1e1", "k": "4"}, {"p0": 10.0, "k": 4}) == []
    assert rejected_params({"presenter": "true"}, {"presenter": True}) == []
    assert rejected_params({"presenter": "yes"}, {"presenter": False}) != []


def test_hide_flags_keep_only_whitelisted_names():
    assert hide_flags("workspace, p ,sm_t") == ["workspace", "p", "sm_t"]
    assert hide_flags("<script>,}body{,x y") == []


def test_style_sheet_hides_groups_and_scales_for_presenter():
    css = style_sheet(["workspace", "p"], presenter=True)
    for selector in HIDE_GROUPS["workspace"] + HIDE_GROUPS["p"]:
        assert selector in css
    assert "font-size" in css
    assert '[class*="st-key-prose_"] { display: none' in css  # long prose hidden on the projector
    plain = style_sheet([], presenter=False)
    assert "st-key-prose_" not in plain
    assert "html { font-size" not in plain
    assert "@media (max-width: 640px)" in plain  # the phone rules are always there
    for sheet in (css, plain):  # st.html's sanitizer drops a style element holding a literal "<"
        assert "<" not in sheet.removeprefix("<style>").removesuffix("</style>")


def test_presenter_flag_in_a_link_turns_presenter_mode_on_and_scales_charts():
    plain = run_page()
    presented = run_page(query_params={"presenter": "true"})
    assert presented.toggle(key="presenter").value is True
    size = plain.get("plotly_chart")[0].proto.spec
    big = presented.get("plotly_chart")[0].proto.spec
    assert size != big
    assert '"size":21' in big.replace(" ", "")


def test_presenter_mode_reaches_the_live_lesson_controls():
    """Live controls (lab.components.live_chart) size their text in rem and know presenter mode."""
    from tests.apptest_utils import live_data

    plain = run_page("surprisal", {"predict": "false"})
    presented = run_page("surprisal", {"predict": "false", "presenter": "true"})
    assert live_data(plain, "sp_point")["presenter"] is False
    assert live_data(presented, "sp_point")["presenter"] is True


def test_csv_export_holds_the_plotted_numbers():
    from lab.figures.distributions import make_distribution_bars

    p = ce_core.normalize([1, 3])
    fig = make_distribution_bars(["a", "b"], p, [0.5, 0.5])
    rows = list(csv.DictReader(io.StringIO(charts_csv({"bars": ("caption", fig)}))))
    p_rows = [r for r in rows if r["trace"] == "p (truth)"]
    assert [float(r["y"]) for r in p_rows] == pytest.approx(list(p))
    assert [r["x"] for r in p_rows] == ["a", "b"]


def test_every_page_run_offers_the_csv_download():
    at = run_page()
    assert at.get("download_button")


def test_the_address_keeps_good_parameters_and_drops_ignored_ones():
    """The share box shows the address bar as it is: the run must leave it clean.

    A legacy weight (p0) is kept as what it means today: the probabilities ``p=``.
    """
    at = run_page("entropy", query_params={"p0": "12.5", "zz": "<b>", "q1": "NaN", "n0": "ant"})
    query = at.query_params.to_dict() if hasattr(at.query_params, "to_dict") else dict(at.query_params)
    query = {key: value[0] if isinstance(value, list) else value for key, value in query.items()}
    assert [float(v) for v in query["p"].split(",")] == pytest.approx([12.5 / 62.5, 30 / 62.5, 20 / 62.5])
    assert query.get("n0") == "ant"
    for dropped in ("p0", "zz", "q1"):
        assert dropped not in query


def test_the_share_box_is_fixed_markup_that_reads_the_address_in_the_browser():
    import json
    from pathlib import Path

    from lab.components import share_box

    at = run_page("entropy", query_params={"n0": "<script>alert(1)</script>"})
    boxes = [e for e in at.sidebar.get("bidi_component") if e.proto.id.endswith("-share_link")]
    assert len(boxes) == 1
    assert json.loads(boxes[0].proto.json) == share_box.TEXTS  # no user input reaches the box
    assert "<script>" not in boxes[0].proto.json
    module = (Path(share_box.__file__).parent / "share_box.js").read_text(encoding="utf-8")
    assert "window.location.href" in module  # the address is read in the browser
    for markup_sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
        assert markup_sink not in module  # and never parsed as markup


def test_csv_export_reads_figures_whose_arrays_are_base64():
    import base64

    import numpy as np
    import plotly.graph_objects as go

    y = np.array([0.25, 0.75])
    fig = go.Figure(
        go.Bar(x=["a", "b"], y={"bdata": base64.b64encode(y.tobytes()).decode(), "dtype": "f8"}, name="p")
    )
    rows = list(csv.DictReader(io.StringIO(charts_csv({"c": ("", fig)}))))
    assert [float(r["y"]) for r in rows] == [0.25, 0.75]
