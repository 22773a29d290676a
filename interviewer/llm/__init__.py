"""Model clients and the OpenAI-compatible stub server."""
