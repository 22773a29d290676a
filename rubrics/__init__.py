# Data package: the bundled rubrics ship inside the wheel as interviewer.rubrics (read via importlib.resources).
