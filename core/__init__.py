"""The bottom layer: plumbing every app may import (error adapters, the CSV import reader, COPY streaming).
No models, and it imports no app of this project (the import-linter contract in pyproject.toml)."""
