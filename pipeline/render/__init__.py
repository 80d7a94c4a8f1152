"""Portraits: emulsions (image styles), the procedural and diffusion renderers, blots and the batch job."""
