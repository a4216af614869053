"""Widget keys and defaults of the lesson controls that other pages read.

Every lesson widget has a key with its page's prefix, is bound to the URL
(``bind="query-params"``) and keeps its value for the session
(``persist_state="session"``). The framework-parity page reproduces the state of
other lessons, so the keys and defaults it reads are named here once.
"""

# Binary cross-entropy
BCE_LABEL = "bce_y"  # true label, 0 or 1
BCE_LABEL_DEFAULT = 1
BCE_PRED = "bce_pred"  # predicted probability of class 1
BCE_PRED_DEFAULT = 0.7

# Softmax and logits (one logit per workspace class)
SM_LOGIT = "sm_z{}"  # format with the class index
SM_LOGIT_DEFAULTS = (2.0, 1.0, 0.1, 0.0, -0.5, -1.0, 0.5, 1.5, -1.5, 0.3)
SM_TRUE = "sm_true"  # index of the true class
SM_TRUE_DEFAULT = 0
SM_TEMPERATURE = "sm_t"
SM_TEMPERATURE_DEFAULT = 1.0

# Label smoothing
LS_EPSILON = "ls_eps"
LS_EPSILON_DEFAULT = 0.1

# Focal loss
FL_GAMMA = "fl_gamma"
FL_GAMMA_DEFAULT = 2.0
FL_ALPHA = "fl_alpha"
FL_ALPHA_DEFAULT = 0.25

# Clipping lab
CL_PROB = "cl_q"  # probability of the true class
CL_PROB_DEFAULT = 1e-45  # where all five policies report different losses
CL_EPSILON = "cl_eps"  # user-chosen epsilon, as a power of ten
CL_EPSILON_DEFAULT = -7.0


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
