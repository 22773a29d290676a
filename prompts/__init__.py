# Data package: the bundled prompts ship inside the wheel as interviewer.prompts (read via importlib.resources).
