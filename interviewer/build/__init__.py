"""`interviewer bank build`: a rubric bank drafted from interview-prep documents.

lines (what a line is) and parse (document -> questions and answers); terms (informative
terms -> signals) and draft (-> bank data) and yamlout (-> YAML text); enrich (a model adds
what a draft cannot derive); merge (re-building keeps human edits; atomic writes); pipeline
(the whole run, called by `interviewer/commands/bank.py`).
"""
