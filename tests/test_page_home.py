"""Home: the map links every lesson of the lab."""

from lab.nav import LESSONS
from tests.apptest_utils import run_page


def test_the_home_map_links_every_lesson():
    at = run_page()
    assert not at.exception
    linked = {link.proto.page for link in at.get("page_link")}  # the url_path of each link's page
    others = {path for path in LESSONS if path}                    # every page but home itself
    assert len(others) == 16
    assert others <= linked, others - linked
