"""Where a learner's answers and a circle's live state are kept: the answer store, the live stores, the hand-in. No ipywidgets."""
