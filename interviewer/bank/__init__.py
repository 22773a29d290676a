"""The rubric bank: loading, structure checks, strict policy checks, lookup."""
