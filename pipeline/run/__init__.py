"""Running: reading inputs, the pipeline, its engines (local processes, Ray) and its outputs."""
