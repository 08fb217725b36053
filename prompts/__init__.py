"""The LLM prompt templates (*.j2), installed as summarizer.prompts."""
