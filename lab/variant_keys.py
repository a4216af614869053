"""Widget keys and defaults of the loss-variant lessons that lab/lesson_keys.py does not name.

The framework-parity page reads these to reproduce the lessons' state. (They
belong next to the others in lab/lesson_keys.py; kept here until that shared
file takes them.)
"""

# Label smoothing: index of the true class among the workspace classes
LS_TRUE = "ls_true"
LS_TRUE_DEFAULT = 0

# Focal loss: true class, and whether the alpha weighting is on
FL_TRUE = "fl_true"
FL_TRUE_DEFAULT = 0
FL_ALPHA_ON = "fl_alpha_on"
FL_ALPHA_ON_DEFAULT = False

# Class weights: one weight per class of the fixed batch (format with the class index)
CW_WEIGHT = "cw_w{}"
CW_WEIGHT_DEFAULTS = (1.0, 3.0, 3.0)

# Framework parity: which lesson's state the snippets reproduce
PP_CASE = "pp_case"
