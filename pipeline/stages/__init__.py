"""The analysis stages: each reads layers of a document and writes its own."""
