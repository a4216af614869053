"""Home: the map links every lesson of the lab."""

from pathlib import Path

from lab.nav import LESSONS
from tests.apptest_utils import run_page


def test_the_home_map_links_every_lesson():
    at = run_page()
    assert not at.exception
    linked = {link.proto.page for link in at.get("page_link")}  # the url_path of each link's page
    others = {path for path in LESSONS if path}  # every page but home itself
    pages = {path.stem for path in (Path(__file__).resolve().parents[1] / "pages").glob("*.py")} - {"home"}
    assert others == pages  # every page file is a lesson of the map, and nothing else
    assert others <= linked, others - linked
