"""The lesson map: one place that names every page, for app.py and for links between pages."""

from __future__ import annotations

from typing import NamedTuple


class Lesson(NamedTuple):
    file: str
    title: str
    icon: str

    @property
    def url_path(self) -> str:
        """The page's address: its file name, as Streamlit's own default.

        Keeping the address equal to the file name matters: the first visitor of a fresh
        server who opens a lesson's link is served by Streamlit's older page lookup, which
        knows pages only by file name (any other address shows "Page not found").
        Home is the default page, at "".
        """
        stem = self.file.removeprefix("pages/").removesuffix(".py")
        return "" if stem == "home" else stem


SECTIONS: dict[str, list[Lesson]] = {
    "Start": [Lesson("pages/home.py", "Home", ":material/home:")],
    "Information": [
        Lesson("pages/surprisal.py", "Surprisal", ":material/bolt:"),
        Lesson("pages/entropy.py", "Entropy", ":material/casino:"),
        Lesson("pages/cross_entropy_kl.py", "Cross-entropy and KL", ":material/compare_arrows:"),
        Lesson("pages/one_hot_loss.py", "The one-hot loss", ":material/looks_one:"),
        Lesson("pages/bits_on_the_wire.py", "Bits on the wire", ":material/cable:"),
    ],
    "The loss": [
        Lesson("pages/binary_ce.py", "Binary cross-entropy", ":material/toggle_on:"),
        Lesson("pages/softmax_logits.py", "Softmax and logits", ":material/bar_chart:"),
        Lesson("pages/label_smoothing.py", "Label smoothing", ":material/blur_on:"),
        Lesson("pages/focal_loss.py", "Focal loss", ":material/center_focus_strong:"),
        Lesson("pages/class_weights.py", "Class weights", ":material/balance:"),
        Lesson("pages/clipping.py", "The clipping lab", ":material/content_cut:"),
        Lesson("pages/framework_parity.py", "Framework parity", ":material/code:"),
        Lesson("pages/training.py", "Training", ":material/model_training:"),
        Lesson("pages/your_model.py", "Your model", ":material/upload_file:"),
    ],
    "Check yourself": [
        Lesson("pages/quiz.py", "Quiz", ":material/quiz:"),
        Lesson("pages/misconceptions.py", "Misconceptions", ":material/report:"),
        Lesson("pages/glossary.py", "Glossary", ":material/menu_book:"),
    ],
}

LESSONS: dict[str, Lesson] = {lesson.url_path: lesson for group in SECTIONS.values() for lesson in group}


def page_file(url_path: str) -> str:
    """The script of the lesson at ``url_path`` (for st.page_link)."""
    return LESSONS[url_path].file
