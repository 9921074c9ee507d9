"""The shipped vocabulary: table kinds, titles and column spellings (tables.yaml)."""
