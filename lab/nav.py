"""The lesson map: one place that names every page, for app.py and for links between pages."""

from __future__ import annotations

from typing import NamedTuple


class Lesson(NamedTuple):
    file: str
    title: str
    icon: str
    url_path: str


SECTIONS: dict[str, list[Lesson]] = {
    "Start": [Lesson("pages/home.py", "Home", ":material/home:", "")],
    "Information": [
        Lesson("pages/surprisal.py", "Surprisal", ":material/bolt:", "surprisal"),
        Lesson("pages/entropy.py", "Entropy", ":material/casino:", "entropy"),
        Lesson("pages/cross_entropy_kl.py", "Cross-entropy and KL", ":material/compare_arrows:", "cross-entropy"),
        Lesson("pages/one_hot_loss.py", "The one-hot loss", ":material/looks_one:", "one-hot"),
        Lesson("pages/bits_on_the_wire.py", "Bits on the wire", ":material/cable:", "bits"),
    ],
    "The loss": [
        Lesson("pages/binary_ce.py", "Binary cross-entropy", ":material/toggle_on:", "binary"),
        Lesson("pages/softmax_logits.py", "Softmax and logits", ":material/bar_chart:", "softmax"),
        Lesson("pages/label_smoothing.py", "Label smoothing", ":material/blur_on:", "label-smoothing"),
        Lesson("pages/focal_loss.py", "Focal loss", ":material/center_focus_strong:", "focal"),
        Lesson("pages/class_weights.py", "Class weights", ":material/balance:", "class-weights"),
        Lesson("pages/clipping.py", "The clipping lab", ":material/content_cut:", "clipping"),
        Lesson("pages/framework_parity.py", "Framework parity", ":material/code:", "parity"),
        Lesson("pages/training.py", "Training", ":material/model_training:", "training"),
    ],
    "Check yourself": [
        Lesson("pages/quiz.py", "Quiz", ":material/quiz:", "quiz"),
        Lesson("pages/misconceptions.py", "Misconceptions", ":material/report:", "misconceptions"),
        Lesson("pages/glossary.py", "Glossary", ":material/menu_book:", "glossary"),
    ],
}

LESSONS: dict[str, Lesson] = {lesson.url_path: lesson for group in SECTIONS.values() for lesson in group}


def page_file(url_path: str) -> str:
    """The script of the lesson at ``url_path`` (for st.page_link)."""
    return LESSONS[url_path].file
