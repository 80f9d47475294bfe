"""Drafting with a model: where drafts may go, the Ollama connection, prompts, de-identification, grounding."""
