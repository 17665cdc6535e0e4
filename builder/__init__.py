"""The LLM Interview Handbook builder: sources/ in, docs/ (Markdown for MkDocs Material) out."""
