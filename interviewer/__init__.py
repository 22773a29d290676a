"""interviewer: a mock interviewer for ML / LLM-training fundamentals."""

__version__ = "0.1.0"
