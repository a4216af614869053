"""Words of the lessons (questions, misconceptions): content beside the pages, numbers from ce_core."""
